"""The credit report (Art. 31): through GraphQL, and as a printable page opened in a real headless Chromium."""

import datetime
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser

from graph_store.connection import Store

from .conftest import (
    COMPANY,
    PERSON,
    PURPOSE,
    SAMPLE_DAY,
    ask,
    error_codes,
    headers,
    load,
    sample_objects,
    suite_clock,
    wipe,
)

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

REPORT = """query($code: String!) { creditReport(code: $code) {
    madeAt recordCount truncated subject { code name masked }
    sections { category records { id provider { code } documents { number } versions { version reason } } }
    measures { id statements { text } } listings { id } } }"""


@pytest.fixture(scope="module")
async def report_store(store: Store) -> AsyncIterator[Store]:
    with suite_clock.on(SAMPLE_DAY):
        await wipe(store)
        await load(store, sample_objects())
        yield store


def record_ids(report: dict[str, Any]) -> set[str]:
    return {record["id"] for section in report["sections"] for record in section["records"]}


async def test_the_report_groups_what_the_viewer_may_see_by_category_with_sources_and_changes(
    report_store: Store, client: httpx.AsyncClient, clock: Callable[[datetime.datetime], None]
):
    clock(datetime.datetime(2026, 11, 26, 10, 0))
    report = (await ask(client, REPORT, headers(), code=COMPANY))["data"]["creditReport"]
    assert report["madeAt"] == "2026-11-26T10:00:00.000+08:00"
    assert record_ids(report) == {"REC-REG-0001", "REC-JD-0001"} and report["recordCount"] == 2
    assert [section["category"] for section in report["sections"]] == ["REGISTRATION", "JUDGMENT_DEFAULT"]
    judgment = report["sections"][1]["records"][0]
    assert judgment["provider"] == {"code": "11430102760543217L"} and judgment["documents"][0]["number"]
    assert judgment["versions"] == [{"version": 1, "reason": "imported"}]
    assert {measure["id"] for measure in report["measures"]} == {"MEA-0001"}  # MEA-0002 ended, its record too
    own = (await ask(client, REPORT, headers("SUBJECT", COMPANY), code=COMPANY))["data"]["creditReport"]
    assert {measure["id"] for measure in own["measures"]} == {"MEA-0001", "MEA-0002"}
    assert record_ids(own) == {"REC-REG-0001", "REC-PEN-0001", "REC-JD-0001"}


async def test_a_persons_report_is_only_for_those_who_may_find_them_and_is_logged(
    report_store: Store, client: httpx.AsyncClient
):
    """Nothing about the person is disclosed to the public: to them the person is not on the platform."""
    assert (await ask(client, REPORT, headers(), code=PERSON))["data"]["creditReport"] is None
    agency = (await ask(client, REPORT, headers("AGENCY", "11430000006147849R", PURPOSE), code=PERSON))["data"]
    assert agency["creditReport"]["subject"]["name"] == "李建国"
    log = await ask(
        client, "{ accessLog(first: 1) { edges { node { operation subjectCodes } } } }", headers("AUDITOR", "AUDIT-1")
    )
    entry = log["data"]["accessLog"]["edges"][0]["node"]
    assert "creditReport" in entry["operation"] and entry["subjectCodes"] == [PERSON]


async def test_a_report_on_nobody_is_null_and_a_bad_code_is_bad_input(report_store: Store, client: httpx.AsyncClient):
    assert await ask(client, REPORT, headers(), code="91430100MA4L16JQ9D") == {"data": {"creditReport": None}}
    assert error_codes(await ask(client, REPORT, headers(), code="nonsense")) == ["BAD_USER_INPUT"]


async def test_the_report_page_prints_the_same_report_in_a_real_browser(
    report_store: Store, live_server: str, browser: Browser, tmp_path: Path
):
    context = await browser.new_context(extra_http_headers=headers("SUBJECT", COMPANY))
    page = await context.new_page()
    response = await page.goto(f"{live_server}/reports/{COMPANY}")
    assert response is not None and response.status == 200
    shown = await page.eval_on_selector_all("[data-record-id]", "tables => tables.map(t => t.dataset.recordId)")
    assert set(shown) == {"REC-REG-0001", "REC-PEN-0001", "REC-JD-0001"}
    assert await page.title() == "信用报告 · 长沙市芙蓉区星辰科技有限公司"
    text = await page.inner_text("body")
    assert "拒不履行生效判决" in text and "限制高消费" in text and "生成时间" in text
    screenshot = await page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert screenshot.startswith(b"\x89PNG") and len(screenshot) > 10_000
    printed = await page.pdf(format="A4")
    assert printed.startswith(b"%PDF")
    await context.close()


async def test_the_report_page_applies_the_same_policy_and_masking(
    report_store: Store, live_server: str, browser: Browser
):
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{live_server}/reports/{COMPANY}")
    shown = await page.eval_on_selector_all("[data-record-id]", "tables => tables.map(t => t.dataset.recordId)")
    assert set(shown) == {"REC-REG-0001", "REC-JD-0001"}
    text = await page.inner_text("#subject")
    assert "李*国" in text and "李建国" not in text  # the company's legal representative, masked for the public
    person = await page.goto(f"{live_server}/reports/{PERSON}")  # nothing about the person is public: not found
    assert person is not None and person.status == 404
    assert "李" not in await page.content()
    missing = await page.goto(f"{live_server}/reports/nonsense")
    assert missing is not None and missing.status == 400
    assert "not a valid" in await page.inner_text("#error")
    await context.close()
