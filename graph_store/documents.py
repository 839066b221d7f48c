"""Legal documents revoked or changed (Art. 34): the records that rest on them stop being disclosed, and the punitive
measures based on those records end today (their original end kept), as a repair ends them (Art. 36). A changed
document keeps its earlier state as a version, and so does every record based on it; the subjects of those records
are served a written notice either way."""

import datetime
from typing import Any, Literal, NotRequired, TypedDict

from credit.model import NoticeKind

from . import listings, measures, notices
from .connection import Store, Transaction
from .predicate import published
from .record_versions import KEEP_CURRENT_VERSION
from .versions import changed_fields, keep_versions

DOCUMENT = f"""d {{.id, .type, .number, .issuedAt, .status, .issuerCode, .revokedAt, .revokedReason,
    issuerId: issuer.id, version: coalesce(d.version, 1),
    providerCodes: COLLECT {{
        MATCH (d)<-[:BASED_ON]-(r:Record) WHERE {published("r")} RETURN DISTINCT r.providerCode ORDER BY r.providerCode
    }}}}"""


class DocumentStatusRow(TypedDict):
    """A document with what revoking or amending it checks and says (reads.DocumentRow is the one the API shows)."""

    id: str
    type: str
    number: str
    issuedAt: datetime.date
    status: str
    issuerCode: str
    revokedAt: datetime.datetime | None
    revokedReason: str | None
    issuerId: str
    version: int
    selected: NotRequired[dict[str, Any]]
    """Never set here: a read of a selection sets it (reads.DocumentRow)."""
    """1 as imported; each revocation or amendment adds one, keeping the state before it (`record_document_version`)."""
    providerCodes: list[str]
    """The providers of the records based on it: each may report it revoked or changed (Art. 34)."""


async def record_document_version(
    tx: Transaction,
    document: DocumentStatusRow,
    *,
    changes: dict[str, Any],
    reason: str,
    actor_id: str,
    at: datetime.datetime,
) -> bool:
    """The one way a document changes once imported: `changes` set, its version one more, with who, when and why,
    and what its versioned fields were kept as a `Version` (graph_store/versions.py, as re-import keeps them). Only
    while it is in force and still at the version the caller read (`document`): False, and nothing changed, when
    another change came first, so of two at once exactly one wins."""
    rows = await tx.run(
        """
        MATCH (d:Document {id: $id})
        SET d._lock = true REMOVE d._lock  // lock first, then check
        WITH d WHERE d.status = 'EFFECTIVE' AND coalesce(d.version, 1) = $version
        SET d += $changes, d.version = coalesce(d.version, 1) + 1, d.versionAt = $at, d.versionActorId = $actorId,
            d.versionReason = $reason
        RETURN d.id AS id
        """,
        id=document["id"],
        version=document["version"],
        changes=changes,
        reason=reason,
        actorId=actor_id,
        at=at,
    )
    if not rows:
        return False
    version = changed_fields("Document", document, {**document, **changes})
    await keep_versions(tx, "Document", [version] if version else [], actor_id=actor_id, reason=reason, at=at)
    return True


async def by_id(store: Store, document_id: str) -> DocumentStatusRow | None:
    rows = await store.read(
        f"MATCH (d:Document {{id: $id}})-[:ISSUED_BY]->(issuer:Provider) WHERE {published('d')} "
        f"RETURN {DOCUMENT} AS document",
        id=document_id,
    )
    return rows[0]["document"] if rows else None


async def revoke(
    store: Store, document: DocumentStatusRow, *, reason: str, actor_id: str, at: datetime.datetime
) -> list[str] | None:
    """Revoke the document and every active record based only on revoked documents, each with a version saying why;
    end the punitive measures based on a record revoked; serve the subjects of its records a notice.

    Returns the ids of the records revoked; None when the document changed since it was read (revoked or amended by
    someone else first).
    """
    document_id = document["id"]
    async with store.transaction() as tx:
        changes = {"status": "REVOKED", "revokedAt": at, "revokedReason": reason, "revokedBy": actor_id}
        if not await record_document_version(tx, document, changes=changes, reason=reason, actor_id=actor_id, at=at):
            return None
        records = await tx.run(
            f"""
            MATCH (d:Document {{id: $id}})<-[:BASED_ON]-(r:Record {{status: 'ACTIVE'}})
            WHERE NOT EXISTS {{ (r)-[:BASED_ON]->(:Document {{status: 'EFFECTIVE'}}) }} AND {published("r")}
            {KEEP_CURRENT_VERSION}
            SET r.status = 'REVOKED', r.version = r.version + 1, r.versionAt = $at, r.versionActorId = $actorId,
                r.versionReason = $why
            RETURN r {{entity: 'Record', .id, subjectId: [(r)-[:ABOUT]->(s:Subject) | s.id][0]}} AS record
            ORDER BY r.id
            """,
            id=document_id,
            at=at,
            actorId=actor_id,
            why=f"document {document_id} revoked (Art. 34): {reason}",
        )
        punitive = await tx.run(
            "UNWIND $ids AS id MATCH (m:Measure {type: 'PUNITIVE'})-[:BECAUSE_OF]->(:Record {id: id}) "
            "RETURN DISTINCT m.id AS id",
            ids=[row["record"]["id"] for row in records],
        )
        # The measure's reason is public with it: no ids, no free text (the record's version keeps both).
        why = "a record it rested on was revoked with its legal document (Art. 34)"
        await measures.end_early(tx, [row["id"] for row in punitive], why=why, at=at)
        revoked_ids = [row["record"]["id"] for row in records]
        await listings.end_with_records(tx, revoked_ids, actor_id=actor_id, at=at)
        await serve_notices(tx, document_id, "DOCUMENT_REVOKED", reason=reason, at=at)
    return [row["record"]["id"] for row in records]


async def amend(
    store: Store,
    document: DocumentStatusRow,
    *,
    number: str,
    issued_on: datetime.date,
    reason: str,
    actor_id: str,
    at: datetime.datetime,
) -> list[str] | None:
    """Change the document's number and date of issue, keeping what it said as a version, and give every record based
    on it a version saying why; serve the subjects of those records a notice.

    Returns the ids of the records versioned; None when the document changed since it was read.
    """
    document_id = document["id"]
    async with store.transaction() as tx:
        changes = {"number": number, "issuedAt": issued_on}
        if not await record_document_version(tx, document, changes=changes, reason=reason, actor_id=actor_id, at=at):
            return None
        records = await tx.run(
            f"""
            MATCH (d:Document {{id: $id}})<-[:BASED_ON]-(r:Record)
            WHERE {published("r")}
            {KEEP_CURRENT_VERSION}
            SET r.version = r.version + 1, r.versionAt = $at, r.versionActorId = $actorId, r.versionReason = $why
            RETURN r.id AS id ORDER BY r.id
            """,
            id=document_id,
            at=at,
            actorId=actor_id,
            why=f"document {document_id} amended (Art. 34): {reason}",
        )
        await serve_notices(tx, document_id, "DOCUMENT_AMENDED", reason=reason, at=at)
    return [row["id"] for row in records]


NOTICE_TEXTS = {
    NoticeKind.DOCUMENT_REVOKED.value: "您的信用记录所依据的法律文书{number}已被撤销（第三十四条）：{reason}",
    NoticeKind.DOCUMENT_AMENDED.value: (
        "您的信用记录所依据的法律文书已变更为{number}（{issuedAt}）（第三十四条）：{reason}"
    ),
}


async def serve_notices(
    tx: Transaction,
    document_id: str,
    kind: Literal["DOCUMENT_REVOKED", "DOCUMENT_AMENDED"],
    *,
    reason: str,
    at: datetime.datetime,
) -> None:
    """A written notice on each subject of a record based on the document (Art. 34), naming its records."""
    rows = await tx.run(
        "MATCH (d:Document {id: $id}) RETURN d.number AS number, d.issuedAt AS issuedAt", id=document_id
    )
    text = NOTICE_TEXTS[kind].format(number=rows[0]["number"], issuedAt=rows[0]["issuedAt"], reason=reason)
    await notices.serve_on_document_subjects(tx, document_id, kind=kind, text=text, at=at)
