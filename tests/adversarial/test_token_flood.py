"""Refusals cannot flood the chain: bad tokens are counted and written per reason and source, not one entry each."""

import asyncio
import os
from typing import Any

import httpx
from starlette.applications import Starlette

from graph_store.connection import Store
from server import settings as settings_module

from ..conftest import COURT, actor_of, headers, make_app, serving

FLOODS = 150
PERIOD = 2.0


async def chain_length(store: Store) -> int:
    rows = await store.read("MATCH (head:AccessLogHead) RETURN head.seq AS seq")
    return rows[0]["seq"] if rows else 0


async def refused_entries(store: Store, after: int) -> list[dict[str, Any]]:
    return await store.read(
        """
        MATCH (e:AccessLogEntry) WHERE e.seq > $after AND e.operation STARTS WITH 'refused requests from'
        RETURN e.operation AS operation, e.count AS count, e.decision AS decision ORDER BY e.seq
        """,
        after=after,
    )


async def test_bad_tokens_are_counted_not_written_one_by_one(
    fresh_sample_store: Store, app: Starlette, client: httpx.AsyncClient
):
    await app.state.refusals.flush(app.state.clock())  # what other tests left counted in the tests' own app
    flooded = make_app(settings_module.load({**os.environ, "REFUSAL_LOG_PERIOD": str(PERIOD)}))
    with serving(flooded) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            before = await chain_length(fresh_sample_store)
            forged = [
                http.post("/graphql", json={"query": "{ catalog { id } }"}, headers={"Authorization": f"Bearer x{n}"})
                for n in range(FLOODS)
            ]
            answers = await asyncio.gather(*forged)
            assert {answer.status_code for answer in answers} == {401}
            during = await chain_length(fresh_sample_store) - before
            await asyncio.sleep(PERIOD * 1.5)  # one more period: the tally is written
    entries = await refused_entries(fresh_sample_store, before)
    assert during <= 2, f"{FLOODS} bad tokens took the chain's lock {during} times"
    assert sum(entry["count"] for entry in entries) == FLOODS
    assert {entry["decision"] for entry in entries} == {"DENIED"}
    assert all("from 127.0.0.1: bad token" in str(entry["operation"]) for entry in entries)
    assert len(entries) <= 2  # at most one per reason and source per period


async def test_an_authenticated_principals_refusal_is_still_an_entry_of_its_own(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    before = await chain_length(fresh_sample_store)
    response = await client.post(
        "/graphql", json={"query": "{ catalog { id } }"}, headers=headers("AGENCY", COURT, "FISHING")
    )
    assert response.status_code == 400
    [entry] = await fresh_sample_store.read(
        "MATCH (e:AccessLogEntry {seq: $seq}) RETURN e.actorId AS actor, e.decision AS decision", seq=before + 1
    )
    assert entry == {"actor": actor_of("AGENCY", COURT), "decision": "DENIED"}
