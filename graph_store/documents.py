"""Legal documents revoked or changed (Art. 34): the records that rest on them stop being disclosed, and the punitive
measures based on those records end today (their original end kept), as a repair ends them (Art. 36), and so does a
listing resting on no other active record."""

import datetime
from collections.abc import Mapping
from typing import Any, TypedDict

from . import listings, measures
from .connection import Store, Transaction
from .record_versions import KEEP_CURRENT_VERSION
from .versions import changed_fields, keep_versions

DOCUMENT = "d {.id, .type, .number, .issuedAt, .status, .issuerCode, .revokedAt, .revokedReason, issuerId: issuer.id}"


class DocumentStatusRow(TypedDict):
    """A document with what revoking it checks and says (reads.DocumentRow is the one the API shows)."""

    id: str
    type: str
    number: str
    issuedAt: datetime.date
    status: str
    issuerCode: str
    revokedAt: datetime.datetime | None
    revokedReason: str | None
    issuerId: str


async def by_id(store: Store, document_id: str) -> DocumentStatusRow | None:
    rows = await store.read(
        f"MATCH (d:Document {{id: $id}})-[:ISSUED_BY]->(issuer:Provider) RETURN {DOCUMENT} AS document",
        id=document_id,
    )
    return rows[0]["document"] if rows else None


async def revoke(
    store: Store, document_id: str, *, reason: str, actor_id: str, at: datetime.datetime
) -> list[str] | None:
    """Revoke the document and every active record based only on revoked documents, each with a version saying why;
    end the punitive measures based on a record revoked.

    Returns the ids of the records revoked; None when the document was revoked already (by someone else first).
    """
    async with store.transaction() as tx:
        revoked = await tx.run(
            """
            MATCH (d:Document {id: $id})
            SET d._lock = true REMOVE d._lock  // lock first, then check
            WITH d WHERE d.status = 'EFFECTIVE'
            SET d.status = 'REVOKED', d.revokedAt = $at, d.revokedReason = $reason, d.revokedBy = $actorId
            RETURN d.id AS id
            """,
            id=document_id,
            at=at,
            reason=reason,
            actorId=actor_id,
        )
        if not revoked:
            return None
        records = await tx.run(
            f"""
            MATCH (d:Document {{id: $id}})<-[:BASED_ON]-(r:Record {{status: 'ACTIVE'}})
            WHERE NOT EXISTS {{ (r)-[:BASED_ON]->(:Document {{status: 'EFFECTIVE'}}) }}
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
    return [row["record"]["id"] for row in records]


async def record_document_version(
    tx: Transaction,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    actor_id: str,
    reason: str,
    at: datetime.datetime,
) -> bool:
    """Keep what a document was (`before`: its type, number, issuedAt) as a version, inside the caller's transaction,
    before it changes to `after` (with its id); False when nothing would change. Re-import keeps its documents'
    versions through the same `versions.keep_versions`."""
    version = changed_fields("Document", before, after)
    if version:
        await keep_versions(tx, "Document", [version], actor_id=actor_id, reason=reason, at=at)
    return version is not None
