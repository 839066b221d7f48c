"""The log records what left, whatever the document's shape, and a change commits only together with its entry."""

from typing import Any

import httpx
import pytest

from graph_store.connection import Store
from graph_store.rows import Seen

from ..conftest import COMPANY, ask, error_codes, headers
from ..test_objections import FILE, SUBJECT

PUBLIC_RECORDS = ["REC-JD-0001", "REC-REG-0001"]
SHAPES = {
    "plain": f'{{ subject(code: "{COMPANY}") {{ name records {{ edges {{ node {{ id }} }} }} }} }}',
    "inline-fragment": f'{{ ... on Query {{ subject(code: "{COMPANY}") {{ records {{ edges {{ node {{ id }} }} }} }} }} }}',
    "named-fragment": f"""query {{ ...Page }}
        fragment Page on Query {{ subject(code: "{COMPANY}") {{ records {{ edges {{ node {{ id }} }} }} }} }}""",
    "nested-fragments": f"""query {{ ...Outer }}
        fragment Outer on Query {{ ...Inner }}
        fragment Inner on Query {{ s: subject(code: "{COMPANY}") {{ ...Recs }} }}
        fragment Recs on Subject {{ records {{ edges {{ node {{ id }} }} }} }}""",
    "alias": f'{{ x: subject(code: "{COMPANY}") {{ y: records {{ edges {{ node {{ id }} }} }} }} }}',
    "directive": f"""query($yes: Boolean = true) {{
        subject(code: "{COMPANY}") @include(if: $yes) {{ records {{ edges {{ node {{ id }} }} }} }} }}""",
    "typename-beside": f'{{ __typename catalog {{ id }} subject(code: "{COMPANY}") {{ records {{ edges {{ node {{ id }} }} }} }} }}',
    "through-a-record": '{ record(id: "REC-JD-0001") { subject { records { edges { node { id } } } } } }',
}


async def entries_after(store: Store, seq: int) -> list[dict[str, Any]]:
    return await store.read(
        """
        MATCH (e:AccessLogEntry) WHERE e.seq > $seq
        RETURN e.subjectIds AS subjects, e.recordIds AS records, e.decision AS decision, e.operation AS operation,
               e.requestId AS requestId
        ORDER BY e.seq
        """,
        seq=seq,
    )


async def head(store: Store) -> int:
    rows = await store.read("MATCH (h:AccessLogHead) RETURN h.seq AS seq")
    return rows[0]["seq"] if rows else 0


@pytest.mark.parametrize("shape", list(SHAPES))
async def test_every_document_shape_that_reads_credit_data_is_logged_alike(
    fresh_sample_store: Store, client: httpx.AsyncClient, shape: str
):
    company = await fresh_sample_store.read("MATCH (s:Subject {code: $code}) RETURN s.id AS id", code=COMPANY)
    before = await head(fresh_sample_store)
    body = await ask(client, SHAPES[shape], headers())
    assert "errors" not in body, body
    [entry] = await entries_after(fresh_sample_store, before)
    assert entry["subjects"] == [company[0]["id"]]
    assert entry["records"] == PUBLIC_RECORDS
    assert entry["decision"] == "ALLOWED"


async def test_a_document_that_reveals_nothing_about_anyone_writes_no_entry(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    before = await head(fresh_sample_store)
    body = await ask(client, f'{{ catalog {{ id }} subject(code: "{COMPANY}") @skip(if: true) {{ name }} }}', headers())
    assert "errors" not in body and "subject" not in body["data"]
    assert await entries_after(fresh_sample_store, before) == []


async def test_a_change_and_its_entry_commit_together(fresh_sample_store: Store, client: httpx.AsyncClient):
    before = await head(fresh_sample_store)
    response = await client.post(
        "/graphql", json={"query": FILE, "variables": {"input": {"recordId": "REC-REG-0001", "reason": "有误"}}},
        headers=SUBJECT,
    )  # fmt: skip
    objection = response.json()["data"]["fileObjection"]["objection"]
    [entry] = await entries_after(
        fresh_sample_store, before
    )  # the change's own entry: the answer revealed nothing more
    assert entry["requestId"] == response.headers["X-Request-Id"] and "(fileObjection)" in entry["operation"]
    assert entry["records"] == ["REC-REG-0001"] and entry["decision"] == "ALLOWED"
    objections = await fresh_sample_store.read("MATCH (e:AccessLogEntry {requestId: $id}) RETURN e.objectionIds AS ids",
                                   id=response.headers["X-Request-Id"])  # fmt: skip
    assert objections == [{"ids": [objection["id"]]}]


async def test_no_change_commits_when_its_entry_cannot_be_written(fresh_sample_store: Store, client: httpx.AsyncClient):
    # The next entry's place is taken behind the log's back: the change's own append fails, so the change must too.
    await fresh_sample_store.write("MERGE (h:AccessLogHead {id: 'main'}) ON CREATE SET h.seq = 0, h.hash = ''")
    seq = await head(fresh_sample_store)
    await fresh_sample_store.write("CREATE (:AccessLogEntry {seq: $seq, hash: 'squatter', prevHash: ''})", seq=seq + 1)
    body = await ask(client, FILE, SUBJECT, input={"recordId": "REC-REG-0001", "reason": "有误"})
    assert body["data"] is None and error_codes(body) == ["UNAVAILABLE"]
    assert await fresh_sample_store.read("MATCH (o:Objection) RETURN o.id") == []
    assert await fresh_sample_store.read(
        "MATCH (r:Record {id: 'REC-REG-0001'}) RETURN r.underObjection AS flagged"
    ) == [{"flagged": False}]


async def test_a_change_that_fails_is_logged_as_failed_not_as_done(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    await ask(client, FILE, SUBJECT, input={"recordId": "REC-REG-0001", "reason": "有误"})
    before = await head(fresh_sample_store)
    again = await ask(client, FILE, SUBJECT, input={"recordId": "REC-REG-0001", "reason": "again"})
    assert error_codes(again) == ["CONFLICT"]
    [entry] = await entries_after(fresh_sample_store, before)
    assert entry["decision"] == "FAILED" and entry["records"] == ["REC-REG-0001"]
    assert await fresh_sample_store.read("MATCH (o:Objection) RETURN count(o) AS objections") == [{"objections": 1}]


async def test_a_request_store_writes_only_inside_a_unit_of_change(store: Store):
    request_store = store.for_request()
    with pytest.raises(RuntimeError, match="only inside a unit of change"):
        await request_store.write("CREATE (:Anything)")
    async with request_store.unit(Seen()) as tx:
        await tx.run("RETURN 1 AS one")
    with pytest.raises(RuntimeError, match="only inside a unit of change"):
        async with request_store.transaction():
            pass
