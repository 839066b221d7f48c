"""Credit repair (Art. 36) end to end: apply with evidence, decide once, disclosure stops, punishments end."""

import asyncio
import datetime
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from credit.model import MAX_EVIDENCE, SHORT_TEXT
from credit.working_days import add_working_days
from graph_store.connection import Store
from graph_store.migrations import date_repair_applications

from .conftest import (
    COMPANY,
    COURT,
    MARKET_REGULATOR,
    RESTAURANT,
    SAMPLE_DAY,
    ask,
    error_codes,
    headers,
    load,
    sample_objects,
    wipe,
)

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

APPLY = """mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { repairApplication {
    id status evidence dueDate } } }"""
DECIDE = """mutation($input: DecideRepairInput!) { decideRepair(input: $input) { repairApplication {
    id status reason notice { kind text } record { status versions { reason } } } } }"""
SUBJECT = headers("SUBJECT", COMPANY)
RECENT = (SAMPLE_DAY - datetime.timedelta(days=30)).isoformat()
RECENT_PENALTY: list[dict[str, Any]] = [
    {"kind": "document", "id": "DOC-RECENT", "type": "PENALTY_DECISION", "number": "湘市监处罚〔2026〕99号",
     "issuerCode": MARKET_REGULATOR, "issuedAt": RECENT, "subjectCode": COMPANY},
    {"kind": "record", "id": "REC-PEN-RECENT", "subjectCode": COMPANY, "providerCode": MARKET_REGULATOR,
     "catalogItemId": "CAT-AMR-PEN", "title": "严重违法行政处罚", "nature": "DISHONEST", "severity": "SERIOUS",
     "confirmedAt": RECENT, "documentIds": ["DOC-RECENT"],
     "content": {"decisionNumber": "湘市监处罚〔2026〕99号", "violation": "生产销售假冒伪劣产品"}},
]  # fmt: skip


@pytest.fixture
async def repair_store(store: Store) -> Store:
    await wipe(store)
    await load(store, [*sample_objects(), *RECENT_PENALTY])
    return store


def application(record_id: str = "REC-JD-0001", **overrides: Any) -> dict[str, Any]:
    return {
        "recordId": record_id,
        "statement": "已全额履行判决义务",
        "evidence": ["（2024）湘0102执结123号结案通知书"],
        **overrides,
    }


async def applied_for(client: httpx.AsyncClient) -> dict[str, Any]:
    body = await ask(client, APPLY, SUBJECT, input=application())
    assert "errors" not in body, body
    return body["data"]["applyForRepair"]["repairApplication"]


async def decided_by(client: httpx.AsyncClient, viewer: dict[str, str], decision: dict[str, Any]) -> dict[str, Any]:
    body = await ask(client, DECIDE, viewer, input=decision)
    assert "errors" not in body, body
    return body["data"]["decideRepair"]["repairApplication"]


async def test_approved_repair_stops_disclosure_and_ends_punishments(
    repair_store: Store, client: httpx.AsyncClient, today: datetime.date
):
    applied = await applied_for(client)
    assert applied["status"] == "PENDING"
    decision = {"applicationId": applied["id"], "approve": True, "reason": "已履行全部义务"}
    decided = await decided_by(client, headers("PROVIDER", COURT), decision)
    assert decided["status"] == "APPROVED" and decided["notice"]["kind"] == "REPAIR_RESULT"
    assert "准予信用修复" in decided["notice"]["text"]
    assert decided["record"]["status"] == "REPAIRED"
    assert applied["id"] in decided["record"]["versions"][-1]["reason"]
    assert (await ask(client, '{ record(id: "REC-JD-0001") { id } }', headers()))["data"]["record"] is None
    rows = await repair_store.read(
        "MATCH (m:Measure {id: 'MEA-0001'}) RETURN m.endsAt AS ends, m.originalEndsAt AS was"
    )
    assert rows == [{"ends": today, "was": datetime.date(2028, 6, 1)}]


async def test_rejected_repair_keeps_the_record_and_tells_the_applicant(repair_store: Store, client: httpx.AsyncClient):
    applied = await applied_for(client)
    decision = {"applicationId": applied["id"], "approve": False, "reason": "尚未履行完毕"}
    decided = await decided_by(client, headers("ADMIN", "ADMIN-1"), decision)
    assert decided["status"] == "REJECTED" and "不予信用修复" in decided["notice"]["text"]
    assert decided["record"]["status"] == "ACTIVE"
    again = await ask(client, DECIDE, headers("PROVIDER", COURT), input={**decision, "approve": True})
    assert error_codes(again) == ["CONFLICT"]


@pytest.mark.parametrize(
    ("record_id", "reason"),
    [
        ("REC-REG-0001", "only dishonesty records are repaired"),
        ("REC-PEN-0001", "its disclosure ended on 2026-06-10"),
        ("REC-PEN-RECENT", "a SERIOUS administrative penalty can be repaired from"),
    ],
)
async def test_a_record_that_cannot_be_repaired_now_is_a_conflict_saying_why(
    repair_store: Store, client: httpx.AsyncClient, record_id: str, reason: str
):
    body = await ask(client, APPLY, SUBJECT, input=application(record_id))
    assert error_codes(body) == ["CONFLICT"] and reason in body["errors"][0]["message"]


async def test_applying_twice_is_a_conflict(repair_store: Store, client: httpx.AsyncClient):
    assert "errors" not in await ask(client, APPLY, SUBJECT, input=application())
    assert error_codes(await ask(client, APPLY, SUBJECT, input=application())) == ["CONFLICT"]


async def test_only_the_subject_applies_and_only_the_provider_or_admin_decides(
    repair_store: Store, client: httpx.AsyncClient
):
    assert error_codes(await ask(client, APPLY, headers("PROVIDER", COURT), input=application())) == ["NOT_FOUND"]
    applied = await applied_for(client)
    decision = {"applicationId": applied["id"], "approve": True, "reason": "x"}
    assert error_codes(await ask(client, DECIDE, headers("PROVIDER", MARKET_REGULATOR), input=decision)) == [
        "NOT_FOUND"
    ]
    assert error_codes(await ask(client, DECIDE, SUBJECT, input=decision)) == ["NOT_FOUND"]


async def test_the_subject_reads_the_notices_served_on_it(repair_store: Store, client: httpx.AsyncClient):
    applied = await applied_for(client)
    decision = {"applicationId": applied["id"], "approve": False, "reason": "证据不足"}
    await ask(client, DECIDE, headers("PROVIDER", COURT), input=decision)
    notices = (await ask(client, "{ myNotices { kind text } }", SUBJECT))["data"]["myNotices"]
    assert [notice["kind"] for notice in notices] == ["REPAIR_RESULT"] and "证据不足" in notices[0]["text"]
    assert error_codes(await ask(client, "{ myNotices { kind } }", headers("PROVIDER", COURT))) == ["FORBIDDEN"]


async def test_repairing_a_revoked_record_is_a_conflict_saying_it_is_revoked(
    repair_store: Store, client: httpx.AsyncClient
):
    revoke = "mutation($input: RevokeDocumentInput!) { revokeDocument(input: $input) { revokedRecordIds } }"
    revocation = {"documentId": "DOC-2024-COURT-0001", "reason": "原判决经再审撤销"}
    revoked = await ask(client, revoke, headers("PROVIDER", COURT), input=revocation)
    assert revoked["data"]["revokeDocument"]["revokedRecordIds"] == ["REC-JD-0001"]
    body = await ask(client, APPLY, SUBJECT, input=application())
    assert error_codes(body) == ["CONFLICT"] and "REVOKED" in body["errors"][0]["message"]


async def test_measures_ended_by_a_repair_stop_keeping_their_other_records_disclosed(
    repair_store: Store, client: httpx.AsyncClient
):
    both = {"kind": "measure", "id": "MEA-BOTH", "type": "PUNITIVE", "subjectCode": COMPANY,
            "implementedByCode": COURT, "item": "限制招投标", "means": "禁止参与政府采购", "basis": "第二十五条",
            "startsAt": RECENT, "endsAt": "2030-12-31", "recordIds": ["REC-JD-0001", "REC-PEN-RECENT"]}  # fmt: skip
    await load(repair_store, [both])
    window = "MATCH (r:Record {id: 'REC-PEN-RECENT'}) RETURN r.disclosureUntil AS until, r.disclosureBaseUntil AS own"
    before = (await repair_store.read(window))[0]
    assert before["until"] == datetime.date(2030, 12, 31) > before["own"]
    applied = await applied_for(client)
    decision = {"applicationId": applied["id"], "approve": True, "reason": "已履行全部义务"}
    assert "errors" not in await ask(client, DECIDE, headers("PROVIDER", COURT), input=decision)
    after = (await repair_store.read(window))[0]
    assert after["until"] == before["own"]  # back to its own window: the measure that extended it has ended


HANDLED = """query($overdue: Boolean!) { repairApplications(overdue: $overdue) { totalCount
    edges { node { id dueDate } } } }"""
MINE = """query($status: RepairStatus) { myRepairApplications(status: $status) { totalCount
    edges { node { id status dueDate dueDateProvisional evidence } } } }"""


async def test_records_of_a_catalog_item_not_repairable_by_law_cannot_be_repaired(
    repair_store: Store, client: httpx.AsyncClient
):
    item = next(line for line in sample_objects() if line["kind"] == "catalogItem" and line["id"] == "CAT-COURT-JD")
    await load(repair_store, [{**item, "repairable": False}])
    body = await ask(client, APPLY, SUBJECT, input=application())
    assert error_codes(body) == ["CONFLICT"] and "may not be repaired by law" in body["errors"][0]["message"]
    catalog = (await ask(client, "{ catalog { id repairable versions { changed before } } }", headers()))["data"]
    item_now = {entry["id"]: entry for entry in catalog["catalog"]}["CAT-COURT-JD"]
    assert item_now == {"id": "CAT-COURT-JD", "repairable": False,
                        "versions": [{"changed": ["repairable"], "before": {"repairable": True}}]}  # fmt: skip
    catalog = catalog["catalog"]
    assert {entry["repairable"] for entry in catalog if entry["id"] != "CAT-COURT-JD"} == {True}  # by default


@pytest.mark.parametrize(
    "evidence",
    [[], ["  "], ["x" * (SHORT_TEXT + 1)], ["证明"] * (MAX_EVIDENCE + 1)],
    ids=["none", "blank", "too-long", "too-many"],
)
async def test_an_application_needs_evidence(repair_store: Store, client: httpx.AsyncClient, evidence: list[str]):
    body = await ask(client, APPLY, SUBJECT, input=application(evidence=evidence))
    assert error_codes(body) == ["BAD_USER_INPUT"] and "needs evidence" in body["errors"][0]["message"]
    assert await repair_store.read("MATCH (a:RepairApplication) RETURN count(a) AS n") == [{"n": 0}]


async def test_an_application_is_due_in_3_working_days_and_handlers_list_it_overdue_after(
    repair_store: Store,
    client: httpx.AsyncClient,
    clock: Callable[[datetime.datetime], None],
    now: datetime.datetime,
    today: datetime.date,
):
    applied = await applied_for(client)
    court, admin = headers("PROVIDER", COURT), headers("ADMIN", "ADMIN-1")
    listed = (await ask(client, HANDLED, court, overdue=False))["data"]["repairApplications"]
    assert listed["edges"] == [{"node": {"id": applied["id"], "dueDate": add_working_days(today, 3).due.isoformat()}}]
    assert (await ask(client, HANDLED, court, overdue=True))["data"]["repairApplications"]["totalCount"] == 0
    clock(now + datetime.timedelta(days=30))
    assert (await ask(client, HANDLED, court, overdue=True))["data"]["repairApplications"]["totalCount"] == 1
    assert (await ask(client, HANDLED, admin, overdue=True))["data"]["repairApplications"]["totalCount"] == 1
    regulator = headers("PROVIDER", MARKET_REGULATOR)
    assert (await ask(client, HANDLED, regulator, overdue=True))["data"]["repairApplications"]["totalCount"] == 0
    assert error_codes(await ask(client, HANDLED, SUBJECT, overdue=False)) == ["FORBIDDEN"]
    decision = {"applicationId": applied["id"], "approve": False, "reason": "证据不足"}
    await decided_by(client, court, decision)
    assert (await ask(client, HANDLED, court, overdue=True))["data"]["repairApplications"]["totalCount"] == 0


async def test_the_subject_lists_its_own_repair_applications(repair_store: Store, client: httpx.AsyncClient):
    applied = await applied_for(client)
    mine = (await ask(client, MINE, SUBJECT))["data"]["myRepairApplications"]
    assert mine["totalCount"] == 1 and mine["edges"][0]["node"]["id"] == applied["id"]
    assert mine["edges"][0]["node"]["evidence"] == ["（2024）湘0102执结123号结案通知书"]
    assert (await ask(client, MINE, SUBJECT, status="APPROVED"))["data"]["myRepairApplications"]["totalCount"] == 0
    assert (await ask(client, MINE, headers("SUBJECT", RESTAURANT)))["data"]["myRepairApplications"]["totalCount"] == 0
    assert error_codes(await ask(client, MINE, headers("PROVIDER", COURT))) == ["FORBIDDEN"]


async def test_two_deciders_of_one_application_at_once_exactly_one_wins(repair_store: Store, client: httpx.AsyncClient):
    applied = await applied_for(client)
    decisions = [
        ask(client, DECIDE, viewer, input={"applicationId": applied["id"], "approve": approve, "reason": "决定"})
        for viewer, approve in ((headers("PROVIDER", COURT), True), (headers("ADMIN", "ADMIN-1"), False))
    ]
    results = await asyncio.gather(*decisions)
    assert sorted(tuple(error_codes(body)) for body in results) == [(), ("CONFLICT",)]
    rows = await repair_store.read("MATCH (n:Notice) RETURN count(n) AS notices")
    assert rows == [{"notices": 1}]


async def test_applications_filed_before_they_had_a_due_date_get_one_on_migrate(
    repair_store: Store, client: httpx.AsyncClient
):
    applied = await applied_for(client)
    await repair_store.write("MATCH (a:RepairApplication) REMOVE a.dueDate, a.dueDateProvisional")  # as filed before
    await date_repair_applications(repair_store)
    await date_repair_applications(repair_store)  # every start
    mine = (await ask(client, MINE, SUBJECT))["data"]["myRepairApplications"]["edges"]
    assert [edge["node"]["dueDate"] for edge in mine] == [applied["dueDate"]]
