"""Objections (Art. 32) end to end through GraphQL: file, flag, extend, decide once, notice, list."""

import asyncio
import datetime
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from credit.working_days import add_working_days
from graph_store.connection import Store

from .conftest import COMPANY, COURT, MARKET_REGULATOR, ask, error_codes, headers, load, sample_objects, wipe

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

FILE = """mutation($input: FileObjectionInput!) { fileObjection(input: $input) { objection {
    id status dueDate dueDateProvisional record { id underObjection } } } }"""
ASSIST = """mutation($input: RequestAssistanceInput!) { requestAssistance(input: $input) { clientMutationId objection {
    id dueDate dueDateProvisional } } }"""
DECIDE = """mutation($input: DecideObjectionInput!) { decideObjection(input: $input) { objection {
    id status reply notice { kind text } record { title underObjection versions { version reason } } } } }"""
LIST = "query($overdue: Boolean!) { objections(overdue: $overdue) { totalCount edges { node { id status } } } }"
SUBJECT = headers("SUBJECT", COMPANY)
HANDLER = headers("PROVIDER", MARKET_REGULATOR)


@pytest.fixture
async def objection_store(store: Store) -> Store:
    await wipe(store)
    await load(store, sample_objects())
    return store


async def file_objection(client: httpx.AsyncClient, record_id: str = "REC-REG-0001") -> dict[str, Any]:
    body = await ask(client, FILE, SUBJECT, input={"recordId": record_id, "reason": "注册资本登记有误"})
    assert "errors" not in body, body
    return body["data"]["fileObjection"]["objection"]


async def test_filed_objection_flags_the_record_for_every_reader_and_is_due_in_3_working_days(
    objection_store: Store, client: httpx.AsyncClient, today: datetime.date
):
    objection = await file_objection(client)
    expected = add_working_days(today, 3)
    assert objection["status"] == "OPEN"
    assert objection["dueDate"] == expected.due.isoformat()
    assert objection["record"] == {"id": "REC-REG-0001", "underObjection": True}
    anonymous = await ask(client, '{ record(id: "REC-REG-0001") { underObjection } }', headers())
    assert anonymous["data"]["record"] == {"underObjection": True}


async def test_objecting_twice_is_a_conflict(objection_store: Store, client: httpx.AsyncClient):
    await file_objection(client)
    body = await ask(client, FILE, SUBJECT, input={"recordId": "REC-REG-0001", "reason": "again"})
    assert error_codes(body) == ["CONFLICT"]


async def test_only_the_subject_objects(objection_store: Store, client: httpx.AsyncClient):
    """Anyone else is answered as if the record did not exist (the message says who may object)."""
    body = await ask(client, FILE, HANDLER, input={"recordId": "REC-REG-0001", "reason": "x"})
    assert error_codes(body) == ["NOT_FOUND"] and "the subject a record is about" in body["errors"][0]["message"]


async def test_assistance_moves_the_due_date_to_5_working_days_after_receipt(
    objection_store: Store, client: httpx.AsyncClient, today: datetime.date
):
    objection = await file_objection(client)
    body = await ask(client, ASSIST, HANDLER, input={"objectionId": objection["id"]})
    due = body["data"]["requestAssistance"]["objection"]["dueDate"]
    assert due == add_working_days(today, 5).due.isoformat()
    court = headers("PROVIDER", COURT)
    assert error_codes(await ask(client, ASSIST, court, input={"objectionId": objection["id"]})) == ["NOT_FOUND"]


async def test_upheld_objection_corrects_the_record_and_serves_a_written_result(
    objection_store: Store, client: httpx.AsyncClient
):
    objection = await file_objection(client)
    decision = {
        "objectionId": objection["id"], "outcome": "UPHELD", "reply": "经核实，注册资本应为800万元",
        "correction": {"title": "企业设立登记（更正）", "content": {"registeredCapital": 8000000, "establishedOn": "2019-04-01"}},
    }  # fmt: skip
    decided = (await ask(client, DECIDE, HANDLER, input=decision))["data"]["decideObjection"]["objection"]
    assert decided["status"] == "UPHELD" and decided["reply"] == "经核实，注册资本应为800万元"
    assert decided["notice"]["kind"] == "OBJECTION_RESULT" and "异议成立" in decided["notice"]["text"]
    assert decided["record"]["title"] == "企业设立登记（更正）" and decided["record"]["underObjection"] is False
    assert [version["version"] for version in decided["record"]["versions"]] == [1, 2]
    assert objection["id"] in decided["record"]["versions"][1]["reason"]


async def test_deciding_a_closed_objection_is_a_conflict(objection_store: Store, client: httpx.AsyncClient):
    objection = await file_objection(client)
    decision = {"objectionId": objection["id"], "outcome": "REJECTED", "reply": "信息无误"}
    assert "errors" not in await ask(client, DECIDE, HANDLER, input=decision)
    body = await ask(client, DECIDE, headers("ADMIN", "ADMIN-1"), input=decision)
    assert error_codes(body) == ["CONFLICT"] and "REJECTED" in body["errors"][0]["message"]


async def test_two_handlers_deciding_at_once_exactly_one_wins(objection_store: Store, client: httpx.AsyncClient):
    objection = await file_objection(client)
    decisions = [
        ask(client, DECIDE, viewer, input={"objectionId": objection["id"], "outcome": outcome, "reply": outcome})
        for viewer, outcome in ((HANDLER, "REJECTED"), (headers("ADMIN", "ADMIN-1"), "UPHELD"))
    ]
    results = await asyncio.gather(*decisions)
    assert sorted(tuple(error_codes(body)) for body in results) == [(), ("CONFLICT",)]
    rows = await objection_store.read("MATCH (n:Notice) RETURN count(n) AS notices")
    assert rows == [{"notices": 1}]


async def test_handlers_list_open_and_overdue_objections(
    objection_store: Store,
    client: httpx.AsyncClient,
    clock: Callable[[datetime.datetime], None],
    now: datetime.datetime,
):
    objection = await file_objection(client)
    listed = (await ask(client, LIST, HANDLER, overdue=False))["data"]["objections"]
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"]["id"] == objection["id"]
    assert (await ask(client, LIST, HANDLER, overdue=True))["data"]["objections"]["totalCount"] == 0
    clock(now + datetime.timedelta(days=30))
    assert (await ask(client, LIST, headers("ADMIN", "ADMIN-1"), overdue=True))["data"]["objections"]["totalCount"] == 1
    assert (await ask(client, LIST, headers("PROVIDER", COURT), overdue=True))["data"]["objections"]["totalCount"] == 0
    assert error_codes(await ask(client, LIST, SUBJECT, overdue=False)) == ["FORBIDDEN"]


async def test_two_filings_at_once_open_one_objection(objection_store: Store, client: httpx.AsyncClient):
    filings = [ask(client, FILE, SUBJECT, input={"recordId": "REC-REG-0001", "reason": f"理由{i}"}) for i in range(2)]
    results = await asyncio.gather(*filings)
    assert sorted(tuple(error_codes(body)) for body in results) == [(), ("CONFLICT",)]
    rows = await objection_store.read("MATCH (o:Objection) RETURN count(o) AS objections")
    assert rows == [{"objections": 1}]


@pytest.mark.parametrize(
    ("filed_on", "assisted", "due", "provisional"),
    [
        (datetime.date(2026, 9, 30), False, "2026-10-10", False),  # National Day, then a make-up Saturday
        (datetime.date(2026, 2, 12), False, "2026-02-24", False),  # Spring Festival
        (datetime.date(2026, 4, 30), True, "2026-05-11", False),  # Labour Day, with other units helping
        (datetime.date(2026, 12, 30), False, "2027-01-04", True),  # 2027: not yet published, Monday-Friday
    ],
)
async def test_deadlines_count_chinese_working_days_from_the_day_after_receipt(
    objection_store: Store,
    client: httpx.AsyncClient,
    clock: Callable[[datetime.datetime], None],
    filed_on: datetime.date,
    assisted: bool,
    due: str,
    provisional: bool,
):
    clock(datetime.datetime.combine(filed_on, datetime.time(16, 30)))
    objection = await file_objection(client)
    if assisted:
        answer = await ask(client, ASSIST, HANDLER, input={"objectionId": objection["id"]})
        objection = answer["data"]["requestAssistance"]["objection"]
    assert (objection["dueDate"], objection["dueDateProvisional"]) == (due, provisional)


async def test_an_objection_is_overdue_the_day_after_its_due_date(
    objection_store: Store, client: httpx.AsyncClient, clock: Callable[[datetime.datetime], None]
):
    clock(datetime.datetime(2026, 9, 30, 9, 0))
    await file_objection(client)
    clock(datetime.datetime(2026, 10, 10, 23, 59))
    assert (await ask(client, LIST, HANDLER, overdue=True))["data"]["objections"]["totalCount"] == 0
    clock(datetime.datetime(2026, 10, 11, 0, 1))
    assert (await ask(client, LIST, HANDLER, overdue=True))["data"]["objections"]["totalCount"] == 1


async def test_statuses_and_outcomes_are_enums_the_schema_checks(objection_store: Store, client: httpx.AsyncClient):
    """A status or an outcome the schema does not know is refused before anything runs, not matched against
    nothing: `objections(status: "open")` used to answer an empty list."""
    objection = await file_objection(client)
    by_status = "query($status: ObjectionStatus) { objections(status: $status) { totalCount } }"
    assert (await ask(client, by_status, HANDLER, status="OPEN"))["data"]["objections"]["totalCount"] == 1
    assert (await ask(client, by_status, HANDLER, status="REJECTED"))["data"]["objections"]["totalCount"] == 0
    assert error_codes(await ask(client, by_status, HANDLER, status="open")) == ["BAD_USER_INPUT"]
    inline = '{ objections(status: "OPEN") { totalCount } }'
    assert error_codes(await ask(client, inline, HANDLER)) == ["BAD_USER_INPUT"]
    decision = {"objectionId": objection["id"], "outcome": "MAYBE", "reply": "待定"}
    assert error_codes(await ask(client, DECIDE, HANDLER, input=decision)) == ["BAD_USER_INPUT"]
    assert (await ask(client, by_status, HANDLER, status="OPEN"))["data"]["objections"]["totalCount"] == 1
