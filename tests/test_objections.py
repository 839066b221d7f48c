"""Objections (Art. 32) end to end through GraphQL: file, flag, extend, decide once, notice, list."""

import asyncio
import datetime
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from credit.working_days import add_working_days
from graph_store.connection import Store
from graph_store.migrations import mark_objection_targets

from .conftest import (
    COMPANY,
    COURT,
    MARKET_REGULATOR,
    PERSON,
    PURPOSE,
    RESTAURANT,
    ask,
    error_codes,
    headers,
    load,
    sample_objects,
    wipe,
)
from .test_measures_and_listings import listed

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


MINE = """query($status: ObjectionStatus, $first: Int, $after: String) { myObjections(status: $status, first: $first,
    after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status kind target dueDate
    record { id } measure { id } provider { code } } } } }"""
COURT_AGENCY = headers("AGENCY", COURT, PURPOSE)


async def filed(client: httpx.AsyncClient, viewer: dict[str, str], **input: str) -> dict[str, Any]:
    body = await ask(client, FILE, viewer, input={"reason": "有误", **input})
    assert "errors" not in body, body
    return body["data"]["fileObjection"]["objection"]


async def test_a_subject_objects_to_a_measure_and_the_implementing_agency_decides_it(
    objection_store: Store, client: httpx.AsyncClient, today: datetime.date
):
    objection = await filed(client, SUBJECT, measureId="MEA-0001")  # implemented by the court
    assert objection["record"] is None and objection["dueDate"] == add_working_days(today, 3).due.isoformat()
    decision = {"objectionId": objection["id"], "outcome": "UPHELD", "reply": "措施已调整"}
    assert error_codes(await ask(client, DECIDE, HANDLER, input=decision)) == ["NOT_FOUND"]
    listed = (await ask(client, LIST, COURT_AGENCY, overdue=False))["data"]["objections"]
    assert [edge["node"]["id"] for edge in listed["edges"]] == [objection["id"]]
    decided = (await ask(client, DECIDE, COURT_AGENCY, input=decision))["data"]["decideObjection"]["objection"]
    assert decided["status"] == "UPHELD" and "信用惩戒措施 MEA-0001" in decided["notice"]["text"]


FLAGS = "{ myObjections { edges { node { id measure { underObjection } listing { underObjection } } } } }"


async def test_an_open_objection_marks_the_measure_or_listing_it_is_about_until_it_is_decided(
    objection_store: Store, client: httpx.AsyncClient
):
    """Art. 32 ¶3: while an objection is handled, the information it is about is marked, as a record is."""
    restaurant = headers("SUBJECT", RESTAURANT)
    listing = await listed(client)
    on_listing = await filed(client, restaurant, listingId=listing["id"], kind="INFRINGEMENT")
    on_measure = await filed(client, SUBJECT, measureId="MEA-0001")

    async def flags(viewer: dict[str, str]) -> list[dict[str, Any]]:
        edges = (await ask(client, FLAGS, viewer))["data"]["myObjections"]["edges"]
        return [edge["node"] for edge in edges]

    assert await flags(restaurant) == [{"id": on_listing["id"], "measure": None, "listing": {"underObjection": True}}]
    assert await flags(SUBJECT) == [{"id": on_measure["id"], "measure": {"underObjection": True}, "listing": None}]
    decision = {"objectionId": on_measure["id"], "outcome": "REJECTED", "reply": "措施无误"}
    assert "errors" not in await ask(client, DECIDE, COURT_AGENCY, input=decision)
    assert await flags(SUBJECT) == [{"id": on_measure["id"], "measure": {"underObjection": False}, "listing": None}]


async def test_an_omission_names_the_provider_that_left_it_out_and_that_provider_decides_it(
    objection_store: Store, client: httpx.AsyncClient
):
    objection = await filed(client, SUBJECT, providerCode=MARKET_REGULATOR, kind="OMISSION", reason="漏报表彰信息")
    mine = (await ask(client, MINE, SUBJECT))["data"]["myObjections"]["edges"][0]["node"]
    assert mine | {"id": objection["id"]} == {"id": objection["id"], "status": "OPEN", "kind": "OMISSION",
                                              "target": "PROVIDER", "dueDate": objection["dueDate"], "record": None,
                                              "measure": None, "provider": {"code": MARKET_REGULATOR}}  # fmt: skip
    decision = {"objectionId": objection["id"], "outcome": "REJECTED", "reply": "无遗漏"}
    assert error_codes(await ask(client, DECIDE, headers("PROVIDER", COURT), input=decision)) == ["NOT_FOUND"]
    assert (await ask(client, LIST, headers("PROVIDER", COURT), overdue=False))["data"]["objections"]["totalCount"] == 0
    decided = (await ask(client, DECIDE, HANDLER, input=decision))["data"]["decideObjection"]["objection"]
    assert decided["status"] == "REJECTED" and "信用信息提供单位" in decided["notice"]["text"]


async def test_a_listing_objection_is_decided_by_the_agency_that_listed(
    objection_store: Store, client: httpx.AsyncClient
):
    listing = await listed(client)  # the restaurant, listed by the market regulator as an agency
    objection = await filed(client, headers("SUBJECT", RESTAURANT), listingId=listing["id"], kind="INFRINGEMENT")
    decision = {"objectionId": objection["id"], "outcome": "REJECTED", "reply": "认定无误"}
    assert error_codes(await ask(client, DECIDE, HANDLER, input=decision)) == ["NOT_FOUND"]  # not as a provider
    decided = await ask(client, DECIDE, headers("AGENCY", MARKET_REGULATOR, PURPOSE), input=decision)
    assert decided["data"]["decideObjection"]["objection"]["status"] == "REJECTED"


@pytest.mark.parametrize(
    ("input", "words"),
    [
        ({}, "exactly one thing"),
        ({"recordId": "REC-REG-0001", "measureId": "MEA-0001"}, "exactly one thing"),
        ({"recordId": "REC-REG-0001", "kind": "OMISSION"}, "give providerCode"),
        ({"providerCode": MARKET_REGULATOR, "kind": "ERROR"}, "object to that"),
        ({"recordId": "REC-REG-0001", "reason": " "}, "needs a reason"),
        ({"recordId": "REC-REG-0001", "kind": "TYPO"}, "ObjectionKind"),
    ],
)
async def test_an_objection_needs_one_target_a_fitting_kind_and_a_reason(
    objection_store: Store, client: httpx.AsyncClient, input: dict[str, str], words: str
):
    body = await ask(client, FILE, SUBJECT, input={"reason": "有误", **input})
    assert error_codes(body) == ["BAD_USER_INPUT"] and words in body["errors"][0]["message"]
    assert await objection_store.read("MATCH (o:Objection) RETURN count(o) AS n") == [{"n": 0}]


@pytest.mark.parametrize(
    ("input", "unknown"),
    [
        ({"measureId": "MEA-0001"}, {"measureId": "MEA-NONE"}),  # the company's measure
        ({"recordId": "REC-REG-0001"}, {"recordId": "REC-NONE"}),
    ],
)
async def test_objecting_to_what_is_not_yours_is_answered_as_for_nothing_there(
    objection_store: Store, client: httpx.AsyncClient, input: dict[str, str], unknown: dict[str, str]
):
    other = headers("SUBJECT", RESTAURANT)
    theirs = await ask(client, FILE, other, input={"reason": "有误", **input})
    none = await ask(client, FILE, other, input={"reason": "有误", **unknown})
    assert error_codes(theirs) == error_codes(none) == ["NOT_FOUND"]
    key = next(iter(input.values()))
    assert theirs["errors"][0]["message"] == none["errors"][0]["message"].replace(next(iter(unknown.values())), key)
    provider = await ask(client, FILE, HANDLER, input={"providerCode": COURT, "kind": "OMISSION", "reason": "x"})
    assert error_codes(provider) == ["NOT_FOUND"]  # only a subject objects to a provider


async def test_two_omission_filings_on_one_provider_at_once_open_one_objection(
    objection_store: Store, client: httpx.AsyncClient
):
    input = {"providerCode": COURT, "kind": "OMISSION"}
    results = await asyncio.gather(
        *[ask(client, FILE, SUBJECT, input={**input, "reason": f"漏报{i}"}) for i in range(2)]
    )
    assert sorted(tuple(error_codes(body)) for body in results) == [(), ("CONFLICT",)]
    another = await filed(client, headers("SUBJECT", PERSON), **input)  # another subject's own objection
    assert another["status"] == "OPEN"


async def test_a_correction_comes_only_with_an_objection_to_a_record(objection_store: Store, client: httpx.AsyncClient):
    objection = await filed(client, SUBJECT, measureId="MEA-0001")
    decision = {"objectionId": objection["id"], "outcome": "UPHELD", "reply": "更正",
                "correction": {"title": "更正", "content": {}}}  # fmt: skip
    body = await ask(client, DECIDE, COURT_AGENCY, input=decision)
    assert error_codes(body) == ["BAD_USER_INPUT"] and "corrects a record" in body["errors"][0]["message"]


async def test_the_subject_lists_its_own_objections_newest_first_and_no_one_elses(
    objection_store: Store,
    client: httpx.AsyncClient,
    clock: Callable[[datetime.datetime], None],
    now: datetime.datetime,
):
    first = await file_objection(client)
    clock(now + datetime.timedelta(hours=1))
    second = await filed(client, SUBJECT, measureId="MEA-0001")
    await ask(client, DECIDE, COURT_AGENCY, input={"objectionId": second["id"], "outcome": "REJECTED", "reply": "无误"})
    page = (await ask(client, MINE, SUBJECT, first=1))["data"]["myObjections"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    assert page["edges"][0]["node"]["id"] == second["id"]
    rest = (await ask(client, MINE, SUBJECT, first=1, after=page["pageInfo"]["endCursor"]))["data"]["myObjections"]
    assert [edge["node"]["id"] for edge in rest["edges"]] == [first["id"]] and not rest["pageInfo"]["hasNextPage"]
    open_only = (await ask(client, MINE, SUBJECT, status="OPEN"))["data"]["myObjections"]["edges"]
    assert [edge["node"]["id"] for edge in open_only] == [first["id"]]
    logged = "MATCH (e:AccessLogEntry) RETURN e.objectionIds AS ids ORDER BY e.seq DESC LIMIT 1"
    assert (await objection_store.read(logged))[0]["ids"] == [first["id"]]  # what the subject read, logged
    assert (await ask(client, MINE, headers("SUBJECT", PERSON)))["data"]["myObjections"]["totalCount"] == 0
    assert error_codes(await ask(client, MINE, HANDLER)) == ["FORBIDDEN"]
    assert error_codes(await ask(client, MINE, SUBJECT, status="open")) == ["BAD_USER_INPUT"]


async def test_objections_filed_before_they_had_targets_are_errors_in_records_after_migrate(
    objection_store: Store, client: httpx.AsyncClient
):
    objection = await file_objection(client)
    await objection_store.write(
        "MATCH (o:Objection {id: $id}) REMOVE o.kind, o.targetKind, o.subjectCode, o.handlerCode", id=objection["id"]
    )  # as filed before
    await mark_objection_targets(objection_store)
    await mark_objection_targets(objection_store)  # every start
    mine = (await ask(client, MINE, SUBJECT))["data"]["myObjections"]["edges"]
    assert [(edge["node"]["kind"], edge["node"]["target"]) for edge in mine] == [("ERROR", "RECORD")]
    decision = {"objectionId": objection["id"], "outcome": "REJECTED", "reply": "无误"}
    assert "errors" not in await ask(client, DECIDE, HANDLER, input=decision)
