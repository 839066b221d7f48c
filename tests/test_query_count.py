"""No N+1: a page of subjects with their records, providers and documents costs the same number of
Cypher queries whatever the page size. Counted from the driver's own log of RUN messages."""

import datetime
import logging

import httpx
import pytest
from starlette.applications import Starlette

from credit.model import china_now
from graph_store.connection import Store
from intake.importer import import_in_chunks
from intake.seed import generate

from .conftest import graphql, wipe

PAGE = """query($first: Int!) { subjects(first: $first) { totalCount edges { node {
    code name legalRepresentative { name } records(first: 10) { totalCount edges { node {
        id title provider { name } catalogItem { name } documents { number issuer { name } } } } } } } } }"""


@pytest.fixture(scope="module")
async def seeded(store: Store) -> Store:
    await wipe(store)
    await import_in_chunks(store, generate(120, seed=1, today=datetime.date.today()), chunk_size=5000)
    return store


async def cypher_queries_for_page(client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, first: int) -> int:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="neo4j.io"):
        body = await graphql(client, PAGE, first=first)
    assert "errors" not in body, body
    edges = body["data"]["subjects"]["edges"]
    assert len(edges) == first
    assert sum(len(edge["node"]["records"]["edges"]) for edge in edges) > 0
    return sum(1 for record in caplog.records if "C: RUN" in record.getMessage())


async def test_queries_per_page_do_not_grow_with_the_page_size(
    seeded: Store, client: httpx.AsyncClient, app: Starlette, caplog: pytest.LogCaptureFixture
):
    await app.state.refusals.flush(china_now())  # the app's own periodic writes must not fall into the count
    await graphql(client, PAGE, first=1)  # the access log's writer finds the head it appends after
    small = await cypher_queries_for_page(client, caplog, 5)
    large = await cypher_queries_for_page(client, caplog, 15)  # within the cost budget (docs/limits.md)
    # 8 reads at most (the provider loader runs a second time only when a document's issuer is not
    # already among the records' providers, which depends on which subjects the page holds) and the
    # access-log entry (one conditional append). An N+1 would make the large page cost 10 more.
    assert small <= 9
    assert large <= 9
