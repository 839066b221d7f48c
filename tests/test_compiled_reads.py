"""Reads compiled from the selection (graph_store/projection.py): a page and what it selects below it are one query,
answered as the loaders answer the same fields, whatever shape the document gives the selection."""

import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from graph_store.connection import Store

from .conftest import COMPANY, COURT, PURPOSE, actor_of, ask, headers
from .test_access_log import audit
from .test_query_count import neo4j_queries, seeded, shown_runs_kept

__all__ = ["seeded", "shown_runs_kept"]  # the fixtures, shared with test_query_count

PAGE = """query($first: Int!) { subjects(first: $first) { edges { node {
    code name legalRepresentative { name } represents { name } measures { id type implementedBy { name } }
    records(first: 10) { totalCount edges { node { id title content provider { name } documents { number issuer { name } } } } }
} } } }"""
RECORD = """query($id: ID!) { record(id: $id) {
    id title content provider { name } documents { number issuer { name } } } }"""
AGENCY = headers("AGENCY", COURT, PURPOSE)


@pytest.mark.dated
async def test_a_page_with_everything_below_it_is_one_read_whatever_its_size(
    seeded: Store, client: httpx.AsyncClient, app: Starlette, shown_runs_kept: None
):
    await app.state.refusals.flush(app.state.clock())  # the app's own periodic writes must not fall into the count
    await ask(client, PAGE, first=1)  # the access log's writer finds the head it appends after
    for first in (5, 15):
        before = await neo4j_queries(client)
        body = await ask(client, PAGE, first=first)
        after = await neo4j_queries(client)
        assert "errors" not in body, body
        edges = body["data"]["subjects"]["edges"]
        assert len(edges) == first and any(edge["node"]["records"]["edges"] for edge in edges)
        assert after - before == 2  # the page, and the access log's append
        alone = await ask(
            client, "query($first: Int!) { subjects(first: $first) { edges { node { code } } } }", first=first
        )
        # a subject with nothing to show below it is on the page all the same
        assert [edge["node"]["code"] for edge in edges] == [
            edge["node"]["code"] for edge in alone["data"]["subjects"]["edges"]
        ]


@pytest.mark.dated
@pytest.mark.parametrize("viewer", [{}, AGENCY], ids=["anonymous", "agency-with-purpose"])
async def test_records_read_with_their_subjects_are_what_the_record_alone_answers(
    seeded: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    body = await ask(client, PAGE, viewer, first=15)
    assert "errors" not in body, body
    records = [
        record["node"] for edge in body["data"]["subjects"]["edges"] for record in edge["node"]["records"]["edges"]
    ]
    assert any(record["documents"] for record in records)
    for record in records:
        alone = await ask(client, RECORD, viewer, id=record["id"])
        assert alone["data"]["record"] == record


@pytest.mark.dated
async def test_a_record_by_id_and_what_it_selects_below_it_are_one_read(
    seeded: Store, client: httpx.AsyncClient, app: Starlette, shown_runs_kept: None
):
    await app.state.refusals.flush(app.state.clock())  # the app's own periodic writes must not fall into the count
    body = await ask(client, PAGE, AGENCY, first=15)
    records = [
        record["node"] for edge in body["data"]["subjects"]["edges"] for record in edge["node"]["records"]["edges"]
    ]
    record = next(record for record in records if record["documents"])
    await ask(client, RECORD, AGENCY, id=record["id"])  # the access log's writer finds the head it appends after
    before = await neo4j_queries(client)
    alone = await ask(client, RECORD, AGENCY, id=record["id"])
    assert await neo4j_queries(client) - before == 2  # the record with its provider and documents, and the log
    assert alone["data"]["record"] == record


SHAPES = """query($code: String!, $skip: Boolean!) { subject(code: $code) {
    ...Newest
    few: records(first: 1) { edges { node { id } } }
    hidden: records(first: 10) @skip(if: $skip) { edges { node { id } } }
    ... on Subject { records(first: 10) { totalCount } }
} }
fragment Newest on Subject { records(first: 10) { edges { node { id provider { name } } } } }"""


async def test_fragments_aliases_and_skip_shape_what_is_read_and_logged(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    body = await ask(client, SHAPES, AGENCY, code=COMPANY, skip=True)
    subject = body["data"]["subject"]
    assert "hidden" not in subject
    assert len(subject["few"]["edges"]) == 1
    assert subject["records"]["totalCount"] == len(subject["records"]["edges"]) == 2
    assert all(edge["node"]["provider"]["name"] for edge in subject["records"]["edges"])

    only_one = "query($code: String!) { subject(code: $code) { few: records(first: 1) { edges { node { id } } } } }"
    await ask(client, only_one, AGENCY, code=COMPANY)
    skipped = """query($code: String!) { subject(code: $code) { few: records(first: 1) { edges { node { id } } }
        hidden: records(first: 10) @include(if: false) { edges { node { id } } } } }"""
    await ask(client, skipped, AGENCY, code=COMPANY)
    entries = await audit(client, actor=actor_of("AGENCY", COURT))
    # newest first: the skipped page of ten was not read, so it is not in the log either
    assert [len(entry["recordIds"]) for entry in entries[:2]] == [1, 1]


def ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


@pytest.mark.dated
async def test_one_key_asked_two_ways_on_a_page_is_answered_each_way(seeded: Store, client: httpx.AsyncClient):
    body = await ask(
        client,
        """{ subjects(first: 15) { edges {
            a: node { r: records(first: 1) { edges { node { id } } } }
            b: node { r: records(first: 3) { edges { node { id } } } } } } }""",
    )
    assert "errors" not in body, body
    edges = body["data"]["subjects"]["edges"]
    assert any(len(ids(edge["b"]["r"])) > 1 for edge in edges)
    for edge in edges:
        assert ids(edge["a"]["r"]) == ids(edge["b"]["r"])[:1]


async def test_a_category_narrows_the_records_read_with_their_subject(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    every = (
        """query($code: String!) { subject(code: $code) { records(first: 100) { edges { node { id category } } } } }"""
    )
    body = await ask(client, every, AGENCY, code=COMPANY)
    records = [edge["node"] for edge in body["data"]["subject"]["records"]["edges"]]
    categories = {record["category"] for record in records}
    assert len(categories) > 1
    one = """query($code: String!, $category: Category!) { subject(code: $code) {
        records(category: $category, first: 100) { totalCount edges { node { id } } } } }"""
    for category in categories:
        body = await ask(client, one, AGENCY, code=COMPANY, category=category)
        page = body["data"]["subject"]["records"]
        expected = [record["id"] for record in records if record["category"] == category]
        assert ids(page) == expected and page["totalCount"] == len(expected)


async def test_a_field_of_the_record_asked_two_ways_on_a_page_is_answered_each_way(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    body = await ask(
        client,
        """query($code: String!) { subject(code: $code) { records(first: 5) {
            a: edges { node { id title } } b: edges { node { id title: status } } } } }""",
        AGENCY,
        code=COMPANY,
    )
    assert "errors" not in body, body
    page = body["data"]["subject"]["records"]
    assert page["a"] and all(edge["node"]["title"] not in {"ACTIVE", None} for edge in page["a"])
    assert [edge["node"]["title"] for edge in page["b"]] == ["ACTIVE"] * len(page["a"])


async def test_an_empty_first_page_still_says_that_more_follow(fresh_sample_store: Store, client: httpx.AsyncClient):
    body = await ask(client, "{ subjects(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage } } }")
    assert body["data"]["subjects"]["edges"] == []
    assert body["data"]["subjects"]["totalCount"] > 0 and body["data"]["subjects"]["pageInfo"]["hasNextPage"]


async def test_aliases_named_like_the_querys_placeholders_and_many_related_fields_answer_as_usual(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    """The same page under many aliases is read once; past the related reads one query compiles (MOST_RELATED),
    the rest are read by their loaders; an alias that looks like a placeholder of the query is only an alias."""
    below = "edges { node { id provider { name } documents { number issuer { name } } } }"
    plain = f"query($code: String!) {{ subject(code: $code) {{ records(first: 10) {{ {below} }} }} }}"
    expected = (await ask(client, plain, AGENCY, code=COMPANY))["data"]["subject"]["records"]["edges"]
    assert len(expected) == 2
    same = " ".join(f"r{at}: records(first: 10) {{ {below} }}" for at in range(6))
    varied = " ".join(f"v{at}: records(first: {at}) {{ {below} }}" for at in range(1, 7))
    odd = f"RECORD_FILTER: records(first: 10) {{ {below} }} IDENTITY_FILTER: legalRepresentative {{ name }}"
    for fields in (same, varied, odd, f"{odd} {same} {varied}"):
        document = f"query($code: String!) {{ subject(code: $code) {{ {fields} }} }}"
        body = await ask(client, document, AGENCY, code=COMPANY)
        assert "errors" not in body, body
        for key, page in body["data"]["subject"].items():
            if key.startswith("v"):
                assert page["edges"] == expected[: int(key[1:])]
            elif key != "IDENTITY_FILTER":
                assert page["edges"] == expected


async def test_a_records_content_with_keys_named_like_the_querys_own_is_answered_as_stored(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    """Content is its provider's JSON: a key named `selected` or `rows` in it is data, not where related objects
    are (a page of records with their content, nothing related selected, once failed with INTERNAL)."""
    page = "query($code: String!) { subject(code: $code) { records(first: 10) { edges { node { id content } } } } }"
    before = (await ask(client, page, AGENCY, code=COMPANY))["data"]["subject"]["records"]["edges"]
    record_id = before[0]["node"]["id"]
    content = {**before[0]["node"]["content"], "selected": {"f1": {"rows": []}}, "rows": [{"selected": {"n1": 1}}]}
    await fresh_sample_store.write(
        "MATCH (r:Record {id: $id}) SET r.content = $content", id=record_id, content=json.dumps(content)
    )
    body = await ask(client, page, AGENCY, code=COMPANY)
    assert "errors" not in body, body
    assert body["data"]["subject"]["records"]["edges"][0]["node"] == {"id": record_id, "content": content}
