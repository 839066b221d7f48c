"""Who reads a measure (Arts. 19, 35, 36; policy.polar, "reading a measure"): everyone while it runs; after it ended,
or once a repair ended it early, only its subject, the implementing agency, ADMIN and AUDITOR, and whoever may read a
record it rests on."""

import datetime
from typing import Any

import httpx
import pytest

from graph_store.connection import Store

from .conftest import (
    COMPANY,
    COURT,
    MARKET_REGULATOR,
    PURPOSE,
    RESTAURANT,
    ask,
    headers,
    load,
    sample_objects,
    wipe,
)

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

MEASURES = "query($code: String!) { subject(code: $code) { measures { id endsOn endReason } } }"
REPORT = "query($code: String!) { creditReport(code: $code) { measures { id } } }"
REVOKE = """mutation($input: RevokeDocumentInput!) { revokeDocument(input: $input) { document { status } } }"""
REPAIR = """mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { repairApplication { id } } }"""
DECIDE = """mutation($input: DecideRepairInput!) { decideRepair(input: $input) { repairApplication { status } } }"""
# An expired regulatory measure on the restaurant's tax penalty, a record shared with agencies only (Art. 20).
EXPIRED_ON_SHARED: dict[str, Any] = {
    "kind": "measure", "id": "MEA-TAX-OLD", "type": "REGULATORY", "subjectCode": RESTAURANT,
    "implementedByCode": COURT, "item": "列为重点监管对象", "means": "提高抽查比例和频次",
    "basis": "《湖南省社会信用信息管理办法》第二十三条", "startsAt": "2025-01-01", "endsAt": "2026-06-30",
    "recordIds": ["REC-TAX-0001"],
}  # fmt: skip

ANONYMOUS = headers()
SUBJECT = headers("SUBJECT", COMPANY)
IMPLEMENTER = headers("PROVIDER", COURT)  # MEA-0001 is the court's
OTHER_AGENCY = headers("AGENCY", MARKET_REGULATOR, PURPOSE)
ADMIN = headers("ADMIN", "ADMIN-1")
AUDITOR = headers("AUDITOR", "AUDIT-1")


@pytest.fixture
async def measure_store(store: Store) -> Store:
    await wipe(store)
    await load(store, [*sample_objects(), EXPIRED_ON_SHARED])
    return store


async def shown(client: httpx.AsyncClient, viewer: dict[str, str], code: str = COMPANY) -> set[str]:
    """The measures the viewer reads on the subject's page; the credit report must list the same."""
    body = await ask(client, MEASURES, viewer, code=code)
    assert "errors" not in body, body
    listed = {measure["id"] for measure in body["data"]["subject"]["measures"]}
    report = await ask(client, REPORT, viewer, code=code)
    assert "errors" not in report, report
    assert {measure["id"] for measure in report["data"]["creditReport"]["measures"]} == listed
    return listed


async def test_a_running_measure_is_public_until_a_repair_ends_it_then_only_those_concerned_read_it(
    measure_store: Store, client: httpx.AsyncClient
):
    # MEA-0001 (the court's, until 2028-06-01) runs; MEA-0002 ended on 2026-06-30 and its record is no longer public.
    assert await shown(client, ANONYMOUS) == {"MEA-0001"}
    assert await shown(client, OTHER_AGENCY) == {"MEA-0001", "MEA-0002"}  # MEA-0002 is this agency's own
    applied = await ask(client, REPAIR, SUBJECT, input={"recordId": "REC-JD-0001", "statement": "已全额履行判决义务",
                                                        "evidence": ["（2024）湘0102执结123号结案通知书"]})  # fmt: skip
    decision = {"applicationId": applied["data"]["applyForRepair"]["repairApplication"]["id"], "approve": True,
                "reason": "已履行全部义务"}  # fmt: skip
    decided = await ask(client, DECIDE, IMPLEMENTER, input=decision)
    assert decided["data"]["decideRepair"]["repairApplication"]["status"] == "APPROVED", decided
    assert await shown(client, ANONYMOUS) == set()
    assert await shown(client, OTHER_AGENCY) == {"MEA-0002"}
    for viewer in (SUBJECT, ADMIN, AUDITOR):
        assert await shown(client, viewer) == {"MEA-0001", "MEA-0002"}
    assert await shown(client, IMPLEMENTER) == {"MEA-0001"}
    own = (await ask(client, MEASURES, SUBJECT, code=COMPANY))["data"]["subject"]["measures"]
    ended = next(measure for measure in own if measure["id"] == "MEA-0001")
    assert ended["endReason"] == "a record it rested on was repaired (Art. 36)"


async def test_an_expired_measure_is_shown_with_a_record_it_rests_on_to_whoever_may_read_that_record(
    measure_store: Store, client: httpx.AsyncClient
):
    assert "MEA-TAX-OLD" in await shown(client, OTHER_AGENCY, RESTAURANT)  # the tax record is shared with it
    assert "MEA-TAX-OLD" not in await shown(client, ANONYMOUS, RESTAURANT)  # and not public
    assert "MEA-TAX-OLD" in await shown(client, headers("SUBJECT", RESTAURANT), RESTAURANT)


async def test_a_punitive_measure_on_a_record_revoked_with_its_document_ends_and_leaves_public_view(
    measure_store: Store, client: httpx.AsyncClient, today: datetime.date
):
    revoke = {"documentId": "DOC-2024-COURT-0001", "reason": "判决已被再审撤销"}
    body = await ask(client, REVOKE, headers("AGENCY", COURT, PURPOSE), input=revoke)
    assert body["data"]["revokeDocument"]["document"]["status"] == "REVOKED", body
    assert "MEA-0001" not in await shown(client, ANONYMOUS)
    own = (await ask(client, MEASURES, SUBJECT, code=COMPANY))["data"]["subject"]["measures"]
    ended = next(measure for measure in own if measure["id"] == "MEA-0001")
    assert ended == {"id": "MEA-0001", "endsOn": today.isoformat(),
                     "endReason": "a record it rested on was revoked with its legal document (Art. 34)"}  # fmt: skip
