"""GraphQL over HTTP as its spec says: the reference audit (graphql-http) against the real server, queries over GET
and never changes, status codes for each media type, and which GET answers a cache may keep."""

import dataclasses
import json
import os
import shutil
import subprocess
from typing import Any

import httpx
import pytest

from graph_store import embedded
from graph_store.connection import Store
from server import settings as settings_module

from ..conftest import COMPANY, COURT, ROOT, error_codes, headers, make_app, serving
from ..test_objections import FILE, SUBJECT

AUDIT = ROOT / "tests" / "http_audit" / "audit.mjs"
GRAPHQL_RESPONSE = "application/graphql-response+json"
CATALOG = "{ catalog { id name provider { name } } }"
SUBJECT_NAME = f'{{ subject(code: "{COMPANY}") {{ name }} }}'


def audit(url: str) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (AUDIT.parent / "node_modules" / "graphql-http").is_dir():
        pytest.fail("the audit runs on Node.js with tests/http_audit's packages: `make test` installs them")
    ran = subprocess.run([node, str(AUDIT), url], capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr
    results: list[dict[str, Any]] = json.loads(ran.stdout)
    return results


def test_the_reference_audit_finds_no_failure_of_any_level(neo4j_server: embedded.EmbeddedStatus):
    # The audit asks `__type`, which a schema closed to introspection refuses.
    app = make_app(settings_module.load({**os.environ, "GRAPHQL_INTROSPECTION": "true"}))
    with serving(app) as url:
        results = audit(f"{url}/graphql")
    failed = [result for result in results if result["status"] != "ok"]
    print(f"graphql-http audit: {len(results) - len(failed)} of {len(results)} pass")
    for result in failed:
        print(f"  {result['status']}: {result['name']}: {result['reason']} ({result['answered']} {result['body']})")
    assert len(results) > 50  # the whole suite ran
    assert [result["name"] for result in failed] == []  # no MUST or SHOULD failure, and every MAY (GET too) is met


async def test_queries_run_over_get_and_answers_about_subjects_are_never_cached(
    sample_store: Store, client: httpx.AsyncClient
):
    response = await client.get("/graphql", params={"query": SUBJECT_NAME})
    assert response.status_code == 200 and response.json()["data"]["subject"]["name"]
    assert response.headers["Cache-Control"] == "no-store"


async def test_mutations_over_get_are_refused_with_405_and_change_nothing(
    sample_store: Store, client: httpx.AsyncClient
):
    variables = json.dumps({"input": {"recordId": "REC-REG-0001", "reason": "有误"}})
    response = await client.get("/graphql", params={"query": FILE, "variables": variables}, headers=SUBJECT)
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    assert "POST" in response.json()["errors"][0]["message"]
    assert await sample_store.read("MATCH (o:Objection) RETURN o.id") == []


async def test_get_answers_reading_only_the_published_catalog_may_be_cached(
    sample_store: Store, client: httpx.AsyncClient
):
    response = await client.get("/graphql", params={"query": CATALOG}, headers=headers("AGENCY", COURT))
    assert response.status_code == 200 and response.json()["data"]["catalog"]
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    "query",
    [
        f'{{ catalog {{ id }} catalog2: subject(code: "{COMPANY}") {{ name }} }}',
        f'{{ catalog {{ id }} ...More }} fragment More on Query {{ subject(code: "{COMPANY}") {{ name }} }}',
        f'{{ catalog {{ id }} ... @skip(if: true) {{ subject(code: "{COMPANY}") {{ name }} }} }}',
        "{ catalog { id } seriousDishonestyList(first: 1) { totalCount } }",
    ],
    ids=["alias", "fragment", "skipped", "public-list-of-subjects"],
)
async def test_a_get_that_reads_anything_besides_the_catalog_is_never_cached(
    sample_store: Store, client: httpx.AsyncClient, query: str
):
    response = await client.get("/graphql", params={"query": query})
    assert response.status_code == 200 and "errors" not in response.json()
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_failed_or_posted_catalog_answer_is_never_cached(sample_store: Store, client: httpx.AsyncClient):
    posted = await client.post("/graphql", json={"query": CATALOG})
    assert posted.headers["Cache-Control"] == "no-store"
    app = make_app(dataclasses.replace(settings_module.load(), bolt_port=1))  # nothing listens there
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://x") as http:
        failed = await http.get("/graphql", params={"query": CATALOG})
    assert error_codes(failed.json()) == ["UNAVAILABLE"]
    assert failed.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{"},
        {"query": "{ noSuchField }"},
        {"query": "query($code: String!) { subject(code: $code) { name } }", "variables": {"code": None}},
        {"query": "query A { catalog { id } }", "operationName": "B"},
    ],
    ids=["does-not-parse", "does-not-validate", "variable-does-not-coerce", "no-such-operation"],
)
async def test_request_errors_answer_400_without_data_in_graphql_response_json_and_200_in_json(
    sample_store: Store, client: httpx.AsyncClient, body: dict[str, Any]
):
    strict = await client.post("/graphql", json=body, headers={"Accept": f"{GRAPHQL_RESPONSE}, application/json"})
    assert strict.status_code == 400 and strict.headers["Content-Type"] == GRAPHQL_RESPONSE
    assert "data" not in strict.json() and error_codes(strict.json()) == ["BAD_USER_INPUT"]
    legacy = await client.post("/graphql", json=body, headers={"Accept": "application/json"})
    assert legacy.status_code == 200 and legacy.headers["Content-Type"] == "application/json"
    assert [error["message"] for error in legacy.json()["errors"]] == [
        error["message"] for error in strict.json()["errors"]
    ]


async def test_a_field_error_is_still_a_200_answer_with_its_data_entry(sample_store: Store, client: httpx.AsyncClient):
    response = await client.post(
        "/graphql", json={"query": "{ accessLog { totalCount } }"}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 200 and response.headers["Content-Type"] == GRAPHQL_RESPONSE
    assert response.json()["data"] == {"accessLog": None} and error_codes(response.json()) == ["FORBIDDEN"]


async def test_an_answer_withheld_for_want_of_its_log_entry_is_503_in_graphql_response_json(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    await fresh_sample_store.write("MERGE (h:AccessLogHead {id: 'main'}) ON CREATE SET h.seq = 0, h.hash = ''")
    head = (await fresh_sample_store.read("MATCH (h:AccessLogHead) RETURN h.seq AS seq"))[0]["seq"]
    await fresh_sample_store.write("CREATE (:AccessLogEntry {seq: $seq, hash: 'squatter', prevHash: ''})", seq=head + 1)
    try:
        response = await client.post("/graphql", json={"query": SUBJECT_NAME}, headers={"Accept": GRAPHQL_RESPONSE})
    finally:
        await fresh_sample_store.write("MATCH (e:AccessLogEntry {hash: 'squatter'}) DELETE e")
    assert response.status_code == 503
    assert "data" not in response.json() and error_codes(response.json()) == ["UNAVAILABLE"]


@pytest.mark.parametrize(
    ("request_", "status"),
    [
        ({"content": b'{"query": ', "headers": {"Content-Type": "application/json"}}, 400),
        ({"json": {"qeury": "{ catalog { id } }"}}, 400),
        ({"content": b'{"query": "{ catalog { id } }"}', "headers": {"Content-Type": "text/plain"}}, 400),
        ({"json": {"query": "{ catalog { id } }"}, "headers": {"Accept": "text/csv"}}, 406),
    ],
    ids=["not-json", "no-query", "not-a-json-body", "nothing-acceptable"],
)
async def test_malformed_requests_get_a_graphql_error_with_a_code_and_an_error_status(
    sample_store: Store, client: httpx.AsyncClient, request_: dict[str, Any], status: int
):
    response = await client.post("/graphql", **request_)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
