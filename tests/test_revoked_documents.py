"""Art. 34: a revoked document revokes the records based only on it; they stop being disclosed, with a reason."""

import asyncio
from typing import Any

import httpx
import pytest

from graph_store.connection import Store

from .conftest import (
    COMPANY,
    COURT,
    MARKET_REGULATOR,
    RESTAURANT,
    ask,
    error_codes,
    headers,
    load,
    sample_objects,
    wipe,
)

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

REVOKE = """mutation($input: RevokeDocumentInput!) { revokeDocument(input: $input) {
    document { id status } revokedRecordIds } }"""
REASON = "原判决经再审撤销，（2025）湘01民再12号"
SECOND_DOCUMENT = {
    "kind": "document", "id": "DOC-2025-COURT-0002", "type": "RULING", "number": "（2025）湘0102执55号",
    "issuerCode": COURT, "issuedAt": "2025-02-01", "subjectCode": COMPANY,
}  # fmt: skip
TWO_DOCUMENTS = {
    "kind": "record", "id": "REC-JD-0002", "subjectCode": COMPANY, "providerCode": COURT, "catalogItemId": "CAT-COURT-JD",
    "title": "拒不履行生效裁定", "nature": "DISHONEST", "severity": "GENERAL", "confirmedAt": "2025-03-01",
    "documentIds": ["DOC-2024-COURT-0001", "DOC-2025-COURT-0002"],
    "content": {"caseNumber": "（2025）湘0102执55号", "obligation": "支付货款"},
}  # fmt: skip


@pytest.fixture
async def documents_store(store: Store) -> Store:
    await wipe(store)
    await load(store, [*sample_objects(), SECOND_DOCUMENT, TWO_DOCUMENTS])
    return store


async def test_records_based_only_on_the_revoked_document_are_revoked_with_a_reason(
    documents_store: Store, client: httpx.AsyncClient
):
    body = await ask(
        client, REVOKE, headers("AGENCY", COURT), input={"documentId": "DOC-2024-COURT-0001", "reason": REASON}
    )
    assert body["data"]["revokeDocument"] == {
        "document": {"id": "DOC-2024-COURT-0001", "status": "REVOKED"},
        "revokedRecordIds": ["REC-JD-0001"],
    }
    assert (await ask(client, '{ record(id: "REC-JD-0001") { id } }', headers()))["data"]["record"] is None
    seen_by_subject = await ask(
        client, '{ record(id: "REC-JD-0001") { status versions { version reason } } }', headers("SUBJECT", COMPANY)
    )
    record = seen_by_subject["data"]["record"]
    assert record["status"] == "REVOKED"
    assert record["versions"][-1]["reason"] == f"document DOC-2024-COURT-0001 revoked (Art. 34): {REASON}"
    still = await ask(client, '{ record(id: "REC-JD-0002") { status } }', headers("SUBJECT", COMPANY))
    assert still["data"]["record"] == {"status": "ACTIVE"}  # another document still stands behind it


async def test_only_the_issuer_a_provider_of_a_record_on_it_or_admin_revokes_a_document(
    documents_store: Store, client: httpx.AsyncClient
):
    unknown = await ask(client, REVOKE, headers("AGENCY", COURT), input={"documentId": "DOC-NONE", "reason": REASON})
    for viewer in (headers(), headers("AGENCY", MARKET_REGULATOR), headers("SUBJECT", COMPANY)):
        body = await ask(client, REVOKE, viewer, input={"documentId": "DOC-2024-COURT-0001", "reason": REASON})
        assert error_codes(body) == ["NOT_FOUND"]  # the same answer as for a document that does not exist
        assert body["errors"][0]["message"] == unknown["errors"][0]["message"].replace(
            "DOC-NONE", "DOC-2024-COURT-0001"
        )


async def test_revoking_twice_is_a_conflict(documents_store: Store, client: httpx.AsyncClient):
    admin = headers("ADMIN", "ADMIN-1")
    assert "errors" not in await ask(
        client, REVOKE, admin, input={"documentId": "DOC-2024-COURT-0001", "reason": REASON}
    )
    body = await ask(client, REVOKE, admin, input={"documentId": "DOC-2024-COURT-0001", "reason": REASON})
    assert error_codes(body) == ["CONFLICT"]


AMEND = """mutation($input: AmendDocumentInput!) { amendDocument(input: $input) {
    document { id number issuedOn status } versionedRecordIds } }"""
CHANGE = "原判决经再审改判，文书号更正"
AMENDED = {
    "documentId": "DOC-2024-COURT-0001",
    "number": "（2025）湘01民再12号",
    "issuedOn": "2025-05-06",
    "reason": CHANGE,
}
NOTICES = "{ myNotices { kind text records { id } } }"


async def test_a_changed_document_keeps_its_versions_and_every_record_on_it_gets_one(
    documents_store: Store, client: httpx.AsyncClient
):
    """Art. 34: the document as it was is kept; the records based on it stay disclosed, each with a version why."""
    body = await ask(client, AMEND, headers("AGENCY", COURT), input=AMENDED)
    assert body["data"]["amendDocument"] == {
        "document": {"id": "DOC-2024-COURT-0001", "number": AMENDED["number"], "issuedOn": "2025-05-06",
                     "status": "EFFECTIVE"},
        "versionedRecordIds": ["REC-JD-0001", "REC-JD-0002"],
    }  # fmt: skip
    kept = await ask(client, '{ record(id: "REC-JD-0001") { documents { id versions { reason changed before } } } }')
    assert kept["data"]["record"]["documents"] == [{"id": "DOC-2024-COURT-0001", "versions": [
        {"reason": CHANGE, "changed": ["number", "issuedAt"],
         "before": {"number": "（2024）湘0102民初1234号", "issuedAt": "2024-03-02"}},
    ]}]  # fmt: skip
    seen = await ask(client, '{ record(id: "REC-JD-0001") { status versions { reason } } }', headers())
    assert seen["data"]["record"]["status"] == "ACTIVE"  # still disclosed: a changed document still stands
    assert (
        seen["data"]["record"]["versions"][-1]["reason"] == f"document DOC-2024-COURT-0001 amended (Art. 34): {CHANGE}"
    )


async def test_the_subject_is_served_a_notice_when_a_document_is_changed_or_revoked(
    documents_store: Store, client: httpx.AsyncClient
):
    court = headers("AGENCY", COURT)
    assert "errors" not in await ask(client, AMEND, court, input=AMENDED)
    assert "errors" not in await ask(
        client, REVOKE, court, input={"documentId": "DOC-2024-COURT-0001", "reason": REASON}
    )
    notices = (await ask(client, NOTICES, headers("SUBJECT", COMPANY)))["data"]["myNotices"]
    by_kind = {notice["kind"]: notice for notice in notices}
    both = [{"id": "REC-JD-0001"}, {"id": "REC-JD-0002"}]
    assert by_kind["DOCUMENT_AMENDED"]["records"] == both and AMENDED["number"] in by_kind["DOCUMENT_AMENDED"]["text"]
    assert by_kind["DOCUMENT_REVOKED"]["records"] == both and REASON in by_kind["DOCUMENT_REVOKED"]["text"]
    assert (await ask(client, NOTICES, headers("SUBJECT", RESTAURANT)))["data"]["myNotices"] == []


async def test_the_original_provider_of_a_record_based_on_a_document_reports_it(
    documents_store: Store, client: httpx.AsyncClient
):
    """A record provided by another party than the document's issuer: its provider reports the document changed."""
    await load(documents_store, [{**TWO_DOCUMENTS, "id": "REC-JD-0003", "providerCode": MARKET_REGULATOR,
                                  "catalogItemId": "CAT-AMR-PEN", "documentIds": ["DOC-2025-COURT-0002"],
                                  "content": {"decisionNumber": "湘市监处罚〔2025〕30号", "violation": "拒不履行"}}])  # fmt: skip
    changed = {**AMENDED, "documentId": "DOC-2025-COURT-0002"}
    body = await ask(client, AMEND, headers("PROVIDER", MARKET_REGULATOR), input=changed)
    assert "errors" not in body, body
    assert "REC-JD-0003" in body["data"]["amendDocument"]["versionedRecordIds"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        pytest.param({"reason": "  "}, "BAD_USER_INPUT", id="no-reason"),
        pytest.param({"number": " "}, "BAD_USER_INPUT", id="no-number"),
        pytest.param({"issuedOn": "2999-01-01"}, "BAD_USER_INPUT", id="issued-in-the-future"),
        pytest.param({"issuedOn": "2025-13-01"}, "BAD_USER_INPUT", id="not-a-date"),
        pytest.param({"documentId": "DOC-NONE"}, "NOT_FOUND", id="unknown-document"),
        pytest.param(
            {"number": "（2024）湘0102民初1234号", "issuedOn": "2024-03-02"}, "CONFLICT", id="changes-nothing"
        ),
    ],
)
async def test_a_bad_amendment_is_refused_and_changes_nothing(
    documents_store: Store, client: httpx.AsyncClient, change: dict[str, Any], code: str
):
    before = await documents_store.read("MATCH (n) WHERE NOT n:AccessLogEntry AND NOT n:AccessLogHead RETURN count(n)")
    body = await ask(client, AMEND, headers("AGENCY", COURT), input={**AMENDED, **change})
    assert error_codes(body) == [code]
    after = await documents_store.read("MATCH (n) WHERE NOT n:AccessLogEntry AND NOT n:AccessLogHead RETURN count(n)")
    assert after == before


async def test_the_wrong_party_amending_hears_what_an_unknown_document_answers(
    documents_store: Store, client: httpx.AsyncClient
):
    unknown = await ask(client, AMEND, headers("AGENCY", COURT), input={**AMENDED, "documentId": "DOC-NONE"})
    for viewer in (headers(), headers("AGENCY", MARKET_REGULATOR), headers("SUBJECT", COMPANY)):
        body = await ask(client, AMEND, viewer, input=AMENDED)
        assert error_codes(body) == ["NOT_FOUND"]
        assert body["errors"][0]["message"] == unknown["errors"][0]["message"].replace(
            "DOC-NONE", "DOC-2024-COURT-0001"
        )


async def test_a_revoked_document_is_not_amended_and_a_repeat_changes_nothing(
    documents_store: Store, client: httpx.AsyncClient
):
    admin = headers("ADMIN", "ADMIN-1")
    first = await ask(client, AMEND, admin, input={**AMENDED, "clientMutationId": "amend-1"})
    assert (
        "errors" not in first
        and await ask(client, AMEND, admin, input={**AMENDED, "clientMutationId": "amend-1"}) == first
    )
    assert error_codes(await ask(client, AMEND, admin, input=AMENDED)) == ["CONFLICT"]  # the same change again
    assert "errors" not in await ask(
        client, REVOKE, admin, input={"documentId": "DOC-2024-COURT-0001", "reason": REASON}
    )
    assert error_codes(await ask(client, AMEND, admin, input={**AMENDED, "number": "另号"})) == ["CONFLICT"]


@pytest.mark.parametrize("mutation", ["amend", "revoke"])
async def test_reports_on_one_document_at_once_have_one_winner(
    documents_store: Store, client: httpx.AsyncClient, mutation: str
):
    document, given = (AMEND, AMENDED) if mutation == "amend" else (REVOKE, {"documentId": "DOC-2024-COURT-0001",
                                                                              "reason": REASON})  # fmt: skip
    attempts = [ask(client, document, headers("ADMIN", "ADMIN-1"), input=given) for _ in range(3)]
    results: list[dict[str, Any]] = await asyncio.gather(*attempts)
    assert sorted(tuple(error_codes(body)) for body in results) == [(), ("CONFLICT",), ("CONFLICT",)]
    versions = await documents_store.read(
        "MATCH (:Document {id: 'DOC-2024-COURT-0001'})-[:PREVIOUS]->(v) RETURN v.version AS version"
    )
    assert len(versions) == 1
