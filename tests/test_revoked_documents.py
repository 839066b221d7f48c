"""Art. 34: a revoked document revokes the records based only on it; they stop being disclosed, with a reason."""

import httpx
import pytest

from graph_store.connection import Store

from .conftest import COMPANY, COURT, MARKET_REGULATOR, ask, error_codes, headers, load, sample_objects, wipe

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


async def test_only_the_issuer_or_admin_revokes_a_document(documents_store: Store, client: httpx.AsyncClient):
    for viewer in (headers(), headers("AGENCY", MARKET_REGULATOR), headers("SUBJECT", COMPANY)):
        body = await ask(client, REVOKE, viewer, input={"documentId": "DOC-2024-COURT-0001", "reason": REASON})
        assert error_codes(body) == ["NOT_FOUND"]  # the same answer as for a document that does not exist


async def test_revoking_twice_is_a_conflict(documents_store: Store, client: httpx.AsyncClient):
    admin = headers("ADMIN", "ADMIN-1")
    assert "errors" not in await ask(
        client, REVOKE, admin, input={"documentId": "DOC-2024-COURT-0001", "reason": REASON}
    )
    body = await ask(client, REVOKE, admin, input={"documentId": "DOC-2024-COURT-0001", "reason": REASON})
    assert error_codes(body) == ["CONFLICT"]
