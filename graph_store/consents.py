"""Consents granted and revoked through the API. Revoking sets a status; nothing is deleted."""

import datetime
from typing import Any

from .connection import Row, Store

CONSENT = """c {entity: 'Consent', .id, .subjectCode, .granteeCode, .purpose, .categories, .validFrom, .validUntil,
    .status, .revokedAt, granteeId: p.id, subjectId: s.id}"""


async def create(store: Store, subject_id: str, consent: dict[str, Any]) -> Row:
    """The subject with `subject_id` grants `consent` (its subject's code is taken from the graph)."""
    rows = await store.write(
        f"""
        MATCH (s:Subject {{id: $subjectId}})
        MATCH (p:Provider {{code: $consent.granteeCode}})
        CREATE (c:Consent)
        SET c = $consent, c.subjectCode = s.code, c.status = 'ACTIVE'
        CREATE (c)-[:GRANTED_BY]->(s)
        CREATE (c)-[:GRANTED_TO]->(p)
        RETURN {CONSENT} AS consent
        """,
        subjectId=subject_id,
        consent=consent,
    )
    return rows[0]["consent"]


async def by_id(store: Store, consent_id: str) -> Row | None:
    rows = await store.read(
        f"""
        MATCH (s:Subject)<-[:GRANTED_BY]-(c:Consent {{id: $id}})-[:GRANTED_TO]->(p:Provider)
        RETURN {CONSENT} AS consent
        """,
        id=consent_id,
    )
    return rows[0]["consent"] if rows else None


async def revoke(store: Store, consent_id: str, at: datetime.datetime, actor_id: str | None) -> Row | None:
    """Revoke an active consent; None when it is no longer active (someone revoked it first)."""
    rows = await store.write(
        f"""
        MATCH (s:Subject)<-[:GRANTED_BY]-(c:Consent {{id: $id}})-[:GRANTED_TO]->(p:Provider)
        WHERE c.status = 'ACTIVE'
        SET c.status = 'REVOKED', c.revokedAt = $at, c.revokedBy = $actorId
        RETURN {CONSENT} AS consent
        """,
        id=consent_id,
        at=at,
        actorId=actor_id,
    )
    return rows[0]["consent"] if rows else None


async def of_subject(store: Store, subject_code: str) -> list[Row]:
    rows = await store.read(
        f"""
        MATCH (s:Subject {{code: $code}})<-[:GRANTED_BY]-(c:Consent)-[:GRANTED_TO]->(p:Provider)
        RETURN {CONSENT} AS consent ORDER BY c.validFrom DESC, c.id
        """,
        code=subject_code,
    )
    return [row["consent"] for row in rows]
