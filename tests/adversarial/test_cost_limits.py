"""An operation's cost is counted before any resolver runs; over the budget it is refused whole, with its cost.

Fifteen credit reports at once, or a hundred subjects with a hundred records
each, were accepted from anonymous callers. The relationship lookups also
count against how many one principal may have running.
"""

from collections.abc import Callable

import httpx
import pytest
from graphql import parse

from credit.errors import LimitExceeded
from graph_store.connection import Store
from resolvers.context import LookupLimits, RunningLookups
from schema import schema
from schema.cost import MAX_COST, operation_cost
from server.graph_page import GRAPH_QUERY, MAX_NODES
from server.reports import REPORT_QUERY

from ..conftest import COMPANY, MARKET_REGULATOR, PERSON, PURPOSE, ask, error_codes, headers

AGENCY = headers("AGENCY", MARKET_REGULATOR, PURPOSE)


async def log_size(store: Store) -> int:
    return (await store.read("MATCH (e:AccessLogEntry) RETURN count(e) AS n"))[0]["n"]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (
            "{ "
            + " ".join(f'r{i}: creditReport(code: "{COMPANY}") {{ subject {{ name }} }}' for i in range(15))
            + " }",
            {},
        ),
        ("{ subjects(first: 100) { edges { node { records(first: 100) { edges { node { id } } } } } } }", {}),
        (
            "query ($n: Int) { subjects(first: $n) { edges { node { records(first: $n) { edges { node { id } } } } } } }",
            {"n": 100},
        ),
        ("{ " + " ".join(f"s{i}: subjects {{ totalCount }}" for i in range(15)) + " }", {}),
    ],
    ids=["credit-reports", "nested-pages", "nested-pages-by-variables", "counts"],
)
async def test_an_operation_over_the_budget_is_refused_before_anything_runs(
    sample_store: Store, client: httpx.AsyncClient, query: str, variables: dict
):
    before = await log_size(sample_store)
    body = await ask(client, query, **variables)
    assert error_codes(body) == ["LIMIT_EXCEEDED"]
    assert body["data"] is None
    message = body["errors"][0]["message"]
    assert message.startswith("the query costs ") and "at most 2,000 are allowed" in message
    assert await log_size(sample_store) == before  # nothing was read; an anonymous refusal is counted, not written


async def test_everyday_pages_and_a_full_credit_report_are_within_the_budget(
    sample_store: Store, client: httpx.AsyncClient
):
    page = await ask(
        client,
        "{ subjects { edges { node { code name records { edges { node { id title provider { name } } } } } } } }",
    )
    assert "errors" not in page, page
    report = await ask(
        client,
        "query ($code: String!) { creditReport(code: $code) { subject { name } sections { category "
        "records { id title documents { id } versions { version } } } measures { id } listings { id } } }",
        code=COMPANY,
    )
    assert "errors" not in report, report


async def test_a_variable_page_size_counts_as_sent(sample_store: Store, client: httpx.AsyncClient):
    query = (
        "query ($n: Int) { subjects(first: $n) { edges { node { records(first: $n) { edges { node { id } } } } } } }"
    )
    assert "errors" not in await ask(client, query, n=10)
    assert error_codes(await ask(client, query, n=60)) == ["LIMIT_EXCEEDED"]


async def test_an_unpaged_list_returns_at_most_100_items(sample_store: Store, client: httpx.AsyncClient):
    await sample_store.write(
        """
        MATCH (s:Subject {code: $code})<-[:APPLIED_TO]-(m:Measure {id: 'MEA-0001'})-[:IMPLEMENTED_BY]->(p:Provider)
        WITH s, m, p
        UNWIND range(1, 105) AS i
        CREATE (copy:Measure)
        SET copy = m {.*, id: m.id + '-COPY-' + toString(i)}
        CREATE (s)<-[:APPLIED_TO]-(copy)-[:IMPLEMENTED_BY]->(p)
        """,
        code=COMPANY,
    )
    try:
        body = await ask(client, "query ($code: String!) { subject(code: $code) { measures { id } } }", code=COMPANY)
        assert len(body["data"]["subject"]["measures"]) == 100
    finally:
        await sample_store.write("MATCH (m:Measure) WHERE m.id CONTAINS '-COPY-' DETACH DELETE m")


def test_the_servers_own_pages_are_within_the_budget():
    """The report and graph pages run their documents through the same schema, limits included."""
    for query, variables in (
        (REPORT_QUERY, {"code": COMPANY}),
        (GRAPH_QUERY, {"code": COMPANY, "hops": 3, "first": MAX_NODES}),
    ):
        assert operation_cost(schema._schema, parse(query), None, variables) <= MAX_COST


RELATED = "query ($code: String!) { relatedSubjects(code: $code, maxHops: 1) { totalCount } }"
CONNECTION = "query ($a: String!, $b: String!) { connection(fromCode: $a, toCode: $b) { steps { relation } } }"
RISK = "query ($code: String!) { riskNetwork(code: $code, maxHops: 1) { totalCount } }"


async def test_every_relationship_lookup_counts_against_the_principals_running_lookups(
    sample_store: Store, client: httpx.AsyncClient, lookup_limits: Callable[[LookupLimits], None]
):
    lookup_limits(LookupLimits(concurrent=0))
    for query, variables in ((RELATED, {"code": COMPANY}), (CONNECTION, {"a": COMPANY, "b": PERSON}),
                             (RISK, {"code": COMPANY})):  # fmt: skip
        body = await ask(client, query, AGENCY, **variables)
        assert error_codes(body) == ["LIMIT_EXCEEDED"]
        assert "relationship lookups running; wait for one to finish" in body["errors"][0]["message"]


def test_a_principal_may_run_only_so_many_lookups_at_once_and_others_are_not_held_up():
    running = RunningLookups()
    with running.one_more("officer-1", 2), running.one_more("officer-1", 2):
        with pytest.raises(LimitExceeded), running.one_more("officer-1", 2):
            pass
        with running.one_more("officer-2", 2):
            pass
    with running.one_more("officer-1", 2):
        pass  # the two finished: there is room again
    assert not running.running
