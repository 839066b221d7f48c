"""GraphiQL, served by the API itself from its npm install (web/): it opens with an example for each role, runs on
the demo data, and works in Chromium with nothing from any other origin."""

import dataclasses
import datetime
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Request

from graph_store.connection import Store
from intake.seed import generate
from server import settings as settings_module
from server.graphiql import DEMO_PERSON, EXAMPLES, POLICY, Example
from server.middleware import CONTENT_SECURITY_POLICY

from .conftest import DEMO_SUBJECTS, make_app, serving, token
from .test_server import app_client, production_settings

SETTINGS = re.compile(r'<script id="graphiql-settings" type="application/json">(.*?)</script>', re.S)


def settings_of(page: str) -> dict:
    found = SETTINGS.search(page)
    assert found, page
    return json.loads(found.group(1))


def as_sent(example: Example) -> tuple[dict, dict[str, str]]:
    """The example's tab as GraphiQL sends it, with a token of its role in place of TOKEN."""
    tab = example.tab()
    sent = {
        name: value.replace("TOKEN", token(example.role, example.unit)) if example.role else value
        for name, value in json.loads(tab["headers"]).items()
    }
    return {"query": tab["query"], "variables": json.loads(tab["variables"] or "{}")}, sent


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.role or "anonymous")
async def test_every_example_runs_as_its_role_on_the_demo_data(
    demo_store: Store, client: httpx.AsyncClient, example: Example
):
    body, sent = as_sent(example)
    answer = (await client.post("/graphql", json=body, headers=sent)).json()
    assert "errors" not in answer, answer
    assert all(value is not None for value in answer["data"].values()), answer
    if example.role in ("SUBJECT", "AGENCY", "PROVIDER"):  # revealed to himself, an agency, a provider of his
        subject = answer["data"].get("subject") or answer["data"]["creditReport"]["subject"]
        assert (subject["code"], subject["name"]) == (DEMO_PERSON, "李波")
    if example.role is None:
        assert answer["data"]["subjects"]["totalCount"] > 0


async def test_the_page_opens_with_an_example_for_each_role_in_development(client: httpx.AsyncClient):
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    tabs = settings_of(response.text)["tabs"]
    assert [re.findall(r"^query (\w+)", tab["query"], re.M)[0] for tab in tabs] == [
        "Anonymous", "Subject", "Agency", "Provider", "CreditService", "Admin", "Auditor",
    ]  # fmt: skip
    for tab, example in zip(tabs, EXAMPLES, strict=True):
        if example.role:
            assert f"credit-graph token --role {example.role}" in tab["query"]
            assert json.loads(tab["headers"])["Authorization"] == "Bearer TOKEN"
    assert json.loads(tabs[2]["headers"])["X-Query-Purpose"] == "MARKET_SUPERVISION"


async def test_only_the_page_allows_inline_styles_and_nothing_else_is_loosened(client: httpx.AsyncClient):
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert (
        page.headers["Content-Security-Policy"]
        == POLICY
        == f"{CONTENT_SECURITY_POLICY}; style-src 'self' 'unsafe-inline'"
    )
    assert "script-src" not in POLICY and "unsafe-eval" not in POLICY and "blob:" not in POLICY
    assert page.headers["Cache-Control"] == "no-store"
    bundle = await client.get("/graphiql/graphiql.js")
    assert bundle.status_code == 200 and "javascript" in bundle.headers["content-type"]
    assert bundle.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert bundle.headers["Cache-Control"] == "no-cache" and bundle.headers["ETag"]
    unchanged = await client.get("/graphiql/graphiql.js", headers={"If-None-Match": bundle.headers["ETag"]})
    assert unchanged.status_code == 304


async def test_production_serves_graphiql_only_where_introspection_is_opened(store: Store, tmp_path: Path):
    """GraphiQL cannot work without introspection, and shows nothing introspection does not; the examples, which
    name development tokens, are for development only."""
    settings, _ = production_settings(tmp_path)
    for introspection, status in ((False, 404), (True, 200)):
        app = make_app(dataclasses.replace(settings, introspection=introspection))
        async with app.router.lifespan_context(app), app_client(app) as http:
            page = await http.get("/graphql", headers={"accept": "text/html"})
            assert page.status_code == status
            assert (await http.get("/graphiql/graphiql.js")).status_code == status
        if introspection:
            assert settings_of(page.text)["tabs"] == []


@pytest.fixture(scope="module")
def demo_server(demo_store: Store) -> Iterator[str]:
    with serving(make_app(settings_module.load())) as url:
        yield url


async def test_graphiql_works_in_chromium_with_nothing_from_another_origin(
    demo_server: str, browser: Browser, tmp_path: Path
):
    """The editor, the explorer and the documentation render, the schema arrives by introspection (its description
    lists the limits), and the first example runs from the page: no CDN, no request elsewhere, no CSP violation."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = await context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = await page.goto(f"{demo_server}/graphql")
    assert response is not None and response.status == 200
    await page.wait_for_selector(".graphiql-query-editor .monaco-editor", timeout=60_000)
    assert await page.locator(".graphiql-tab").all_inner_texts() == [
        "Anonymous", "Subject", "Agency", "Provider", "CreditService", "Admin", "Auditor",
    ]  # fmt: skip

    await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]')
    docs = page.locator(".graphiql-doc-explorer")
    await docs.get_by_text("2,000 points per operation", exact=False).wait_for(timeout=60_000)
    await page.click('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]')
    await page.locator(".graphiql-explorer-root").get_by_text("creditReport", exact=True).wait_for()

    async with page.expect_response(lambda answer: is_operation(answer.request, "Anonymous")) as answered:
        await page.click(".graphiql-execute-button")
    answer = await (await answered.value).json()
    assert "errors" not in answer and answer["data"]["subjects"]["totalCount"] > 0, answer
    shown = page.locator(".graphiql-response .view-lines")
    await shown.get_by_text('"totalCount"', exact=False).first.wait_for()
    await page.screenshot(path=str(tmp_path / "graphiql.png"))
    await context.close()

    assert requested and all(url.startswith(f"{demo_server}/") for url in requested), requested
    assert {url.removeprefix(demo_server).split("?")[0] for url in requested} >= {
        "/graphql", "/graphiql/graphiql.js", "/graphiql/graphiql.css", "/graphiql/editor.worker.js",
        "/graphiql/graphql.worker.js", "/graphiql/json.worker.js",
    }  # fmt: skip
    # Chromium asks for /favicon.ico, which the API does not have: the only error allowed.
    assert [problem for problem in problems if "404 (Not Found)" not in problem] == []
    assert not any("Content Security Policy" in problem for problem in problems)


def is_operation(request: Request, name: str) -> bool:
    return request.method == "POST" and json.loads(request.post_data or "{}").get("operationName") == name


@pytest.mark.parametrize("today", [datetime.date(2025, 1, 1), datetime.date(2026, 6, 30), datetime.date(2027, 11, 15)])
def test_the_examples_name_what_the_demo_data_holds_whatever_the_day(today: datetime.date):
    """`make run` seeds on the day it runs: the examples' person is its first subject on any day, and their units
    and purposes are reference data, the same for every seed."""
    objects = list(itertools.islice(generate(DEMO_SUBJECTS, seed=0, today=today), 400))
    first = next(obj for obj in objects if obj["kind"] == "subject")
    assert (first["code"], first["name"]) == (DEMO_PERSON, "李波")
    codes = {obj["code"] for obj in objects if obj["kind"] in ("provider", "queryPurpose")}
    assert {example.unit for example in EXAMPLES if example.role not in (None, "SUBJECT", "AUDITOR")} <= codes
    assert {example.purpose for example in EXAMPLES if example.purpose} <= codes
