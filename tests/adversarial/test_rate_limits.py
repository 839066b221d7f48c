"""Each caller gets so many requests a second: past that, 429 with Retry-After and RATE_LIMITED, and a count in the
log. A principal is limited by its id, an anonymous caller by its address; the health probes never are.

Every test runs twice: counting in the process's memory (one process), and in the file the processes of one
`credit-graph serve` share (server/shared_limits.py; tests/test_several_processes.py runs two real processes)."""

import os
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from graph_store.connection import Store
from server import settings as settings_module
from server.settings import SHARED_DIR

from ..conftest import headers, make_app

QUERY = {"query": "{ catalog { id } }"}


@pytest.fixture(scope="module", params=["in memory", "shared"])
async def limited_app(
    store: Store, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Starlette]:
    environ = dict(os.environ) | {"RATE_LIMIT": "5/second;8/minute"}
    if request.param == "shared":
        environ[SHARED_DIR] = str(tmp_path_factory.mktemp("shared"))
    app = make_app(settings_module.load(environ))
    async with app.router.lifespan_context(app):
        yield app


def client_from(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def statuses(client: httpx.AsyncClient, count: int, **sent: str) -> list[int]:
    return [(await client.post("/graphql", json=QUERY, headers=sent)).status_code for _ in range(count)]


async def test_a_caller_over_its_rate_is_told_when_to_retry(limited_app: Starlette):
    async with client_from(limited_app, "10.0.0.1") as client:
        assert await statuses(client, 5) == [200] * 5
        for _ in range(4):  # the ninth is over 8 a minute, however slowly the machine answers
            response = await client.post("/graphql", json=QUERY)
            if response.status_code != 200:
                break
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert "retry after" in error["message"]


async def test_one_caller_over_its_rate_does_not_hold_up_another(limited_app: Starlette):
    async with client_from(limited_app, "10.0.0.2") as flooding, client_from(limited_app, "10.0.0.3") as other:
        assert 429 in await statuses(flooding, 9)
        assert await statuses(other, 3) == [200] * 3
        officer = headers("AUDITOR", "AUDIT-1")
        assert await statuses(flooding, 3, **officer) == [200] * 3  # a principal has its own allowance


async def test_the_health_probes_are_never_limited(limited_app: Starlette):
    async with client_from(limited_app, "10.0.0.4") as client:
        await statuses(client, 9)
        for path in ("/healthz", "/readyz"):
            assert [(await client.get(path)).status_code for _ in range(10)] == [200] * 10


async def test_refused_requests_are_counted_in_the_log_not_written_one_by_one(limited_app: Starlette, store: Store):
    await limited_app.state.refusals.flush(limited_app.state.clock())
    after = (await store.read("MATCH (e:AccessLogEntry) RETURN coalesce(max(e.seq), 0) AS seq"))[0]["seq"]
    async with client_from(limited_app, "10.0.0.5") as client:
        refused = (await statuses(client, 20)).count(429)
    await limited_app.state.refusals.flush(limited_app.state.clock())
    rows = await store.read(
        "MATCH (e:AccessLogEntry) WHERE e.seq > $after RETURN e.operation AS operation, e.count AS count", after=after
    )
    assert refused >= 12
    assert sum(row["count"] for row in rows) == refused
    assert all(row["operation"].startswith("refused requests from 10.0.0.5: rate limited") for row in rows)
