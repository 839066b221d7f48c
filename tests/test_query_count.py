"""No N+1: a page of subjects with their records, providers and documents costs the same number of
Cypher queries whatever the page size. Counted as operators count them: the Neo4j query series of /metrics."""

import math
from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from graph_store.connection import ShownRuns, Store
from intake.importer import import_in_chunks
from intake.seed import generate

from .conftest import ask, suite_clock, wipe

PAGE = """query($first: Int!) { subjects(first: $first) { totalCount edges { node {
    code name legalRepresentative { name } records(first: 10) { totalCount edges { node {
        id title provider { name } catalogItem { name } documents { number issuer { name } } } } } } } } }"""
QUERIES = "credit_graph_neo4j_query_duration_seconds_count"


@pytest.fixture(scope="module")
async def seeded(store: Store) -> AsyncIterator[Store]:
    await wipe(store)
    now = suite_clock()
    await import_in_chunks(store, generate(120, seed=1, today=now.date()), chunk_size=5000, now=now)
    yield store


@pytest.fixture
def shown_runs_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """The published import runs, once read, kept: each process reads them at most once a second (graph_store/
    connection.py, `ShownRuns`), whichever request comes then, and that read is none of the request's own."""
    monkeypatch.setattr(ShownRuns, "FRESH_FOR", math.inf)


async def neo4j_queries(client: httpx.AsyncClient) -> float:
    """Every query the app has sent to Neo4j so far, reads and writes (each is timed into the series)."""
    metrics = (await client.get("/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == QUERIES
    )


async def cypher_queries_for_page(client: httpx.AsyncClient, first: int) -> float:
    before = await neo4j_queries(client)
    body = await ask(client, PAGE, first=first)
    after = await neo4j_queries(client)
    assert "errors" not in body, body
    edges = body["data"]["subjects"]["edges"]
    assert len(edges) == first
    assert sum(len(edge["node"]["records"]["edges"]) for edge in edges) > 0
    return after - before


@pytest.mark.dated
async def test_queries_per_page_do_not_grow_with_the_page_size(
    seeded: Store, client: httpx.AsyncClient, app: Starlette, shown_runs_kept: None
):
    await app.state.refusals.flush(app.state.clock())  # the app's own periodic writes must not fall into the count
    await ask(client, PAGE, first=1)  # the access log's writer finds the head it appends after
    small = await cypher_queries_for_page(client, 5)
    large = await cypher_queries_for_page(client, 15)  # within the cost budget (docs/limits.md)
    # 8 reads at most (the provider loader runs a second time only when a document's issuer is not
    # already among the records' providers, which depends on which subjects the page holds) and the
    # access-log entry (one conditional append). An N+1 would make the large page cost 10 more.
    assert 0 < small <= 9  # counted at all: the series saw the page
    assert 0 < large <= 9
