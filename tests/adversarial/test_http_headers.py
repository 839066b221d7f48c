"""What every HTTP answer says to browsers and caches, over a real socket: nothing cached, sniffed or framed."""

import os
import socket

import httpx
import pytest
from playwright.async_api import Browser

from graph_store.connection import Store
from server import settings as settings_module

from ..conftest import COMPANY, COURT, PURPOSE, headers, make_app

CSP_PARTS = ("default-src 'self'", "frame-ancestors 'none'")


async def test_graphql_answers_carrying_credit_data_are_never_cached(fresh_sample_store: Store, live_server: str):
    async with httpx.AsyncClient(base_url=live_server) as http:
        response = await http.post(
            "/graphql", json={"query": f'{{ subject(code: "{COMPANY}") {{ name records {{ totalCount }} }} }}'}
        )
    assert response.status_code == 200 and "errors" not in response.json()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [f"/reports/{COMPANY}", f"/graph/{COMPANY}?hops=1", "/reports/not-a-code"])
async def test_pages_load_only_from_this_origin_and_cannot_be_framed(
    fresh_sample_store: Store, live_server: str, path: str
):
    async with httpx.AsyncClient(base_url=live_server) as http:
        response = await http.get(path, headers=headers("AGENCY", COURT, PURPOSE))
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["Content-Security-Policy"]
    assert all(part in policy for part in CSP_PARTS), policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


async def test_the_pages_work_under_their_content_security_policy(
    fresh_sample_store: Store, live_server: str, browser: Browser
):
    """No inline script or style the policy would block: the report prints, the graph draws."""
    context = await browser.new_context(extra_http_headers=headers("AGENCY", COURT, PURPOSE))
    page = await context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    await page.goto(f"{live_server}/graph/{COMPANY}?hops=2")
    await page.wait_for_function("window.creditGraph !== undefined")
    await page.goto(f"{live_server}/reports/{COMPANY}")
    assert await page.evaluate("getComputedStyle(document.querySelector('h2')).borderBottomStyle") == "solid"
    await context.close()
    assert refused == []


async def test_the_log_keeps_its_own_request_id_and_the_callers_only_as_a_correlation_id(
    fresh_sample_store: Store, live_server: str
):
    async with httpx.AsyncClient(base_url=live_server) as http:
        response = await http.post(
            "/graphql",
            json={"query": f'{{ subject(code: "{COMPANY}") {{ name }} }}'},
            headers={"X-Request-Id": "client-chosen-1"},
        )
    assert response.headers["X-Correlation-Id"] == "client-chosen-1"
    assert response.headers["X-Request-Id"] != "client-chosen-1"
    entries = await fresh_sample_store.read(
        "MATCH (e:AccessLogEntry {requestId: $id}) RETURN e.correlationId AS correlationId",
        id=response.headers["X-Request-Id"],
    )
    assert entries == [{"correlationId": "client-chosen-1"}]
    assert await fresh_sample_store.read("MATCH (e:AccessLogEntry {requestId: 'client-chosen-1'}) RETURN e.seq") == []


async def test_readiness_tells_outsiders_unavailable_and_nothing_more():
    """The driver's error text (hosts, ports, versions) is for operators: the probe only says ready or not."""
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    environment = {**os.environ, "NEO4J_URI": f"neo4j://127.0.0.1:{closed}", "NEO4J_PASSWORD": "unused"}
    app = make_app(settings_module.load(environment))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://x") as http:
        response = await http.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
