"""Cross-origin calls from browsers: only from the origins of CORS_ORIGINS (none by default), with the headers a
client sends and reads; a preflight is answered before any limit or token is looked at, and refused, like anything
else, with a GraphQL error."""

import os
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from graph_store.connection import Store
from server import settings as settings_module

from .conftest import COURT, PURPOSE, headers, make_app

APP_ORIGIN = "https://credit.example.gov.cn"
DEV_ORIGIN = "http://localhost:5173"
CATALOG = {"query": "{ catalog { id } }"}


def preflight(origin: str, method: str = "POST", asked: str = "authorization, content-type, x-query-purpose") -> dict:
    return {"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": asked}


@pytest.fixture(scope="module")
async def cors_app(store: Store) -> AsyncIterator[Starlette]:
    """Two origins allowed, and one request a minute for each caller: a preflight must never count against it."""
    environment = dict(os.environ) | {"CORS_ORIGINS": f"{APP_ORIGIN}, {DEV_ORIGIN}", "RATE_LIMIT": "1/minute"}
    app = make_app(settings_module.load(environment))
    async with app.router.lifespan_context(app):
        yield app


def client_from(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_a_configured_origin_may_call_with_the_headers_a_client_sends_and_read_those_it_needs(
    sample_store: Store, cors_app: Starlette
):
    async with client_from(cors_app, "10.13.0.1") as client:
        allowed = await client.options("/graphql", headers=preflight(APP_ORIGIN, asked="authorization, x-request-id"))
        assert allowed.status_code == 204 and allowed.content == b""
        assert allowed.headers["Access-Control-Allow-Origin"] == APP_ORIGIN
        assert {"GET", "POST"} <= set(allowed.headers["Access-Control-Allow-Methods"].split(", "))
        granted = {name.lower() for name in allowed.headers["Access-Control-Allow-Headers"].split(", ")}
        assert {"authorization", "content-type", "accept", "x-query-purpose", "x-request-id"} <= granted
        answer = await client.post(
            "/graphql", json=CATALOG, headers={"Origin": DEV_ORIGIN} | headers("AGENCY", COURT, PURPOSE)
        )
    assert answer.status_code == 200 and "errors" not in answer.json()
    assert answer.headers["Access-Control-Allow-Origin"] == DEV_ORIGIN
    exposed = {name.lower() for name in answer.headers["Access-Control-Expose-Headers"].split(", ")}
    assert {"x-request-id", "retry-after", "www-authenticate"} <= exposed
    assert "Origin" in answer.headers["Vary"]


async def test_a_cacheable_answer_varies_with_the_origin_only_where_origins_are_named(
    sample_store: Store, cors_app: Starlette, client: httpx.AsyncClient
):
    async with client_from(cors_app, "10.13.0.4") as named:
        varies = await named.get("/graphql", params=CATALOG)
    assert varies.headers["Cache-Control"] == "public, max-age=60"
    assert set(varies.headers["Vary"].split(", ")) == {"Accept", "Origin"}
    assert (await client.get("/graphql", params=CATALOG)).headers["Vary"] == "Accept"


async def test_a_preflight_is_answered_before_the_rate_limit_and_never_counted(
    sample_store: Store, cors_app: Starlette
):
    async with client_from(cors_app, "10.13.0.2") as client:
        for _ in range(5):
            assert (await client.options("/graphql", headers=preflight(APP_ORIGIN))).status_code == 204
        first = await client.post("/graphql", json=CATALOG, headers={"Origin": APP_ORIGIN})
        assert first.status_code == 200  # the caller's one request a minute was still there
        limited = await client.post("/graphql", json=CATALOG, headers={"Origin": APP_ORIGIN})
        again = await client.options("/graphql", headers=preflight(APP_ORIGIN))
    assert limited.status_code == 429 and again.status_code == 204
    assert limited.headers["Access-Control-Allow-Origin"] == APP_ORIGIN  # the page can read why it was refused
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        (preflight("https://elsewhere.example"), "pages on https://elsewhere.example may not call"),
        (preflight(APP_ORIGIN, method="PUT"), "not PUT"),
        (preflight(APP_ORIGIN, asked="authorization, x-forwarded-for"), "x-forwarded-for"),
    ],
    ids=["another-origin", "another-method", "another-header"],
)
async def test_a_preflight_asking_what_is_not_allowed_is_refused_with_a_graphql_error(
    sample_store: Store, cors_app: Starlette, asked: dict[str, str], said: str
):
    async with client_from(cors_app, "10.13.0.3") as client:
        refused = await client.options("/graphql", headers=asked)
    assert refused.status_code == 403 and refused.headers["Content-Type"] == "application/json"
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN" and said in error["message"]
    assert error["extensions"]["requestId"] == refused.headers["X-Request-Id"]
    if asked["Origin"] != APP_ORIGIN:
        assert "Access-Control-Allow-Origin" not in refused.headers


async def test_no_origin_is_allowed_unless_configured(sample_store: Store, client: httpx.AsyncClient):
    refused = await client.options("/graphql", headers=preflight(APP_ORIGIN))
    assert refused.status_code == 403 and "CORS_ORIGINS names none" in refused.json()["errors"][0]["message"]
    answer = await client.post("/graphql", json=CATALOG, headers={"Origin": APP_ORIGIN})
    assert answer.status_code == 200 and "Access-Control-Allow-Origin" not in answer.headers


@pytest.mark.parametrize("origin", ["https://credit.example.gov.cn/", "*", "credit.example.gov.cn", "https://a/b"])
def test_an_origin_written_so_that_it_would_match_nothing_stops_the_start(origin: str):
    with pytest.raises(SystemExit, match="CORS_ORIGINS"):
        settings_module.load(dict(os.environ) | {"CORS_ORIGINS": f"{APP_ORIGIN},{origin}"})
