"""Hostile documents are refused quickly, with LIMIT_EXCEEDED, and logged like other refusals.

Each document here once stalled the server: a 1 KB chain of fragments made the
depth rule walk 2^24 paths (21 s), 6,000 repeated fields took 1.4 s to refuse.
Time bounds are loose (a busy 2-core machine); the old code missed them by far.
"""

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from graphql import build_client_schema, get_introspection_query, parse
from starlette.applications import Starlette

from graph_store.connection import Store
from schema.limits import MAX_DEPTH, MAX_INTROSPECTION_DEPTH, shapes
from server import settings as settings_module

from ..conftest import ask, error_codes, headers, make_app
from ..test_server import app_client, production_environment, production_settings

QUICKLY = 1.0
"""Seconds any refusal here may take, on a busy machine; the attacks took 1.4 s to minutes."""
GRAPHQL_CORE_INTROSPECTION = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
    experimental_directive_deprecation=True,
    one_of=True,
)
GRAPHQL_JS_INTROSPECTION = (Path(__file__).parent / "introspection_graphql_js.graphql").read_text()
"""graphql-js's getIntrospectionQuery with every option on (the file says how it was made)."""


@pytest.fixture(autouse=True)
async def refusals_written(app: Starlette) -> AsyncIterator[None]:
    """The anonymous refusals these tests make are written when each ends, not in a later test's log count."""
    yield
    await app.state.refusals.flush(app.state.clock())


def fragment_chain(levels: int) -> str:
    """Each fragment spreads the next twice: 2^levels paths through a document of a few hundred bytes."""
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"query Chain {{ ...F0 }} {chain} fragment F{levels} on Query {{ catalog {{ id }} }}"


async def timed(client: httpx.AsyncClient, query: str, sent: dict[str, str] | None = None) -> tuple[dict, float]:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query}, headers=sent)
    assert response.status_code == 200, response.text
    return response.json(), time.perf_counter() - started


async def refusals_logged(store: Store, after: int) -> list[dict]:
    rows = await store.read(
        "MATCH (e:AccessLogEntry) WHERE e.seq > $after AND e.decision = 'DENIED' RETURN e {.*} AS e ORDER BY e.seq",
        after=after,
    )
    return [row["e"] for row in rows]


async def log_head(store: Store) -> int:
    rows = await store.read("MATCH (e:AccessLogEntry) RETURN coalesce(max(e.seq), 0) AS seq")
    return rows[0]["seq"]


async def test_a_chain_of_fragments_each_spread_twice_is_checked_in_linear_time(client: httpx.AsyncClient):
    await ask(client, "{ catalog { id } }")  # the first request of a session opens connections: not timed
    for levels in (24, 60):
        body, seconds = await timed(client, fragment_chain(levels))
        assert seconds < QUICKLY, f"{levels} levels took {seconds:.2f} s"
        assert "errors" not in body and body["data"]["catalog"], body  # harmless once measured once: it runs


async def test_a_document_over_the_token_limit_is_refused_before_it_is_validated(client: httpx.AsyncClient):
    body, seconds = await timed(client, "{ " + "catalog { id } " * 6000 + "}")
    assert seconds < QUICKLY
    assert error_codes(body) == ["LIMIT_EXCEEDED"]
    assert body["errors"][0]["message"] == "the document has more than 2000 tokens: split it"


@pytest.mark.parametrize(
    "query",
    [
        "{ " + "catalog { id } " * 11 + "}",
        "{ catalog { " + "id " * 11 + "} }",
        "{ " + " ".join(f"...F{i}" for i in range(11)) + " } "
        + " ".join(f"fragment F{i} on Query {{ catalog {{ id }} }}" for i in range(11)),
        "{ " + "... on Query { catalog { id } } " * 11 + "}",
    ],
    ids=["fields", "leaves", "fragments", "inline-fragments"],
)  # fmt: skip
async def test_a_field_selected_more_than_ten_times_in_one_selection_is_refused(client: httpx.AsyncClient, query: str):
    body, seconds = await timed(client, query)
    assert seconds < QUICKLY
    assert error_codes(body) == ["LIMIT_EXCEEDED"]
    assert "selected 11 times in one selection set" in body["errors"][0]["message"]


async def test_sixty_fragments_merging_one_deep_field_are_refused_before_the_merging_rule_runs(
    client: httpx.AsyncClient,
):
    """The field-merging rule compares such fields pairwise: 60 of them took it a quarter of a second."""
    deep = "subjects { edges { node { code name records { edges { node { id category } } } } } }"
    fragments = " ".join(f"fragment F{i} on Query {{ {deep} }}" for i in range(60))
    body, seconds = await timed(client, "{ " + " ".join(f"...F{i}" for i in range(60)) + " } " + fragments)
    assert seconds < QUICKLY
    assert error_codes(body) == ["LIMIT_EXCEEDED"]


async def test_a_field_used_a_few_times_through_fragments_is_fine(client: httpx.AsyncClient):
    query = "{ ...A ...B catalog { id } } fragment A on Query { catalog { id name } } fragment B on Query { catalog { id } }"
    body = await ask(client, query)
    assert "errors" not in body and body["data"]["catalog"]


async def test_an_anonymous_callers_refused_documents_are_counted_in_the_log(
    app: Starlette, client: httpx.AsyncClient, store: Store
):
    await app.state.refusals.flush(app.state.clock())  # what other tests left counted
    after = await log_head(store)
    for _ in range(3):
        await timed(client, "{ " + "catalog { id } " * 6000 + "}")
    await app.state.refusals.flush(app.state.clock())
    entries = await refusals_logged(store, after)
    assert len(entries) == 1, entries
    assert entries[0]["count"] == 3
    assert entries[0]["operation"].endswith("the document has more than 2000 tokens: split it")


async def test_an_authenticated_callers_refused_document_is_an_entry_of_its_own(
    client: httpx.AsyncClient, store: Store
):
    after = await log_head(store)
    too_often = "{ catalog { " + "id " * 11 + "} }"
    body, _ = await timed(client, too_often, headers("AUDITOR", "AUDIT-1"))
    assert error_codes(body) == ["LIMIT_EXCEEDED"]
    entries = await refusals_logged(store, after)
    assert [entry["role"] for entry in entries] == ["AUDITOR"]
    assert entries[0]["operation"].startswith("refused: id is selected 11 times")


@pytest.mark.parametrize(
    "query", [GRAPHQL_CORE_INTROSPECTION, GRAPHQL_JS_INTROSPECTION], ids=["graphql-core", "graphql-js"]
)
async def test_the_standard_introspection_queries_pass_where_introspection_is_on(
    app: Starlette, client: httpx.AsyncClient, query: str
):
    """Tools (GraphiQL, codegen, IDEs) send these; they nest 15 deep, past the schema's own depth limit of 12, which
    does not measure introspection: introspection has its own bounds."""
    assert shapes(parse(query))["IntrospectionQuery"].introspection == 15 > MAX_DEPTH
    body = await ask(client, query)
    assert "errors" not in body, body
    rebuilt = build_client_schema(body["data"])
    served = app.state.schema._schema
    assert set(rebuilt.type_map) == set(served.type_map)
    assert rebuilt.description == served.description and "2,000 points per operation" in str(rebuilt.description)


def of_type_chain(levels: int) -> str:
    return '{ __type(name: "Subject") ' + "{ ofType " * levels + "{ name }" + " }" * levels + " }"


async def test_an_of_type_chain_is_bounded_by_the_introspection_depth(client: httpx.AsyncClient):
    """Past a type's wrappers (3 here, [String!]!) `ofType` answers null: a longer chain only pads the document."""
    longest = MAX_INTROSPECTION_DEPTH - 2  # __type and name around the chain
    body = await ask(client, of_type_chain(longest))
    assert "errors" not in body and body["data"]["__type"] == {"ofType": None}
    body, seconds = await timed(client, of_type_chain(longest + 1))
    assert seconds < QUICKLY
    assert error_codes(body) == ["LIMIT_EXCEEDED"]
    assert body["errors"][0]["message"] == "operation - introspects 21 levels deep; at most 20 are allowed: split it"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
            "operation - nests 3 lists of fields, input fields, interfaces or possible types in introspection; at most "
            "2 are allowed: ask for the types you need by name (__type)",
        ),
        (
            "{ a: __schema { queryType { name } } b: __schema { types { name } } }",
            "operation - introspects the whole schema 2 times (__schema); 1 is allowed: select __schema once",
        ),
        (
            "query Q { __schema { types { name } } ...More } fragment More on Query { again: __schema { types { name } } }",
            "operation Q introspects the whole schema 2 times (__schema); 1 is allowed: select __schema once",
        ),
        (
            '{ __type(name: "Query") { name } subject(code: "x") { '
            + "legalRepresentative { " * 11 + "id" + " }" * 11 + " } }",
            "operation - is 13 levels deep; at most 12 are allowed: split it",
        ),
    ],
    ids=["lists-of-fields-in-lists-of-fields", "two-schemas", "two-schemas-through-a-fragment", "schema-depth-still-12"],
)  # fmt: skip
async def test_introspection_is_bounded_by_what_it_multiplies(client: httpx.AsyncClient, query: str, message: str):
    """An introspection answer is bounded by the schema's size, but lists of a type's fields in lists of fields
    multiply it, and so do aliases of `__schema` (one full introspection takes 80 ms; fifteen took 1.2 s)."""
    body, seconds = await timed(client, query)
    assert seconds < QUICKLY
    assert error_codes(body) == ["LIMIT_EXCEEDED"]
    assert body["errors"][0]["message"] == message


async def test_a_fragment_chain_inside_introspection_is_measured_in_linear_time(client: httpx.AsyncClient):
    chain = " ".join(f"fragment F{i} on __Type {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    query = f"{{ __schema {{ types {{ ...F0 }} }} }} {chain} fragment F40 on __Type {{ name }}"
    body, seconds = await timed(client, query)
    assert seconds < QUICKLY
    assert "errors" not in body and body["data"]["__schema"]["types"], body


@pytest.fixture(scope="module")
def production_app(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Starlette:
    settings, _ = production_settings(tmp_path_factory.mktemp("production"))
    return make_app(settings)


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { types { name } } }",
        '{ __type(name: "Subject") { fields { name } } }',
        "{ __typename catalog { id kind: __typename } }",
        GRAPHQL_CORE_INTROSPECTION,
    ],
    ids=["schema", "type", "typename-still-works", "standard-introspection"],
)
async def test_production_answers_no_introspection(production_app: Starlette, query: str):
    async with production_app.router.lifespan_context(production_app), app_client(production_app) as client:
        body = (await client.post("/graphql", json={"query": query})).json()
    if "typename" in query:
        assert "errors" not in body, body
    else:
        assert error_codes(body) == ["FORBIDDEN"]
        assert body["errors"][0]["message"].startswith("introspection is off on this server")


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ subjects(kindd: PERSON) { totalCount } }", {}),
        ("{ subjects(kind: PERSN) { totalCount } }", {}),
        ("query ($k: SubjectKnd) { subjects(kind: $k) { totalCount } }", {}),
        ('{ subjectz(code: "x") { code } }', {}),
        ("query ($k: SubjectKind) { subjects(kind: $k) { totalCount } }", {"k": "PERSN"}),
    ],
    ids=["argument", "enum-value", "type", "field", "variable-enum-value"],
)
async def test_production_suggests_no_names(production_app: Starlette, query: str, variables: dict):
    async with production_app.router.lifespan_context(production_app), app_client(production_app) as client:
        body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "Did you mean" not in body["errors"][0]["message"]


async def test_development_still_suggests(client: httpx.AsyncClient):
    body = await ask(client, "{ subjects(kindd: PERSON) { totalCount } }")
    assert "Did you mean 'kind'?" in body["errors"][0]["message"]


def test_introspection_is_on_only_where_asked(tmp_path: Path):
    assert settings_module.load(production_environment(tmp_path)).introspection is False
    assert settings_module.load(production_environment(tmp_path, GRAPHQL_INTROSPECTION="true")).introspection
    assert settings_module.load({"CREDIT_GRAPH_ENV": "development"}).introspection


async def test_an_oversized_body_is_refused_unread_and_counted_in_the_log(
    app: Starlette, client: httpx.AsyncClient, store: Store
):
    await app.state.refusals.flush(app.state.clock())
    after = await log_head(store)
    response = await client.post(
        "/graphql", content=b"{" + b" " * 300_000 + b"}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and error_codes(response.json()) == ["LIMIT_EXCEEDED"]
    await app.state.refusals.flush(app.state.clock())
    entries = await refusals_logged(store, after)
    assert [entry["operation"].split(": ")[-1] for entry in entries] == ["request body over 262144 bytes"]
