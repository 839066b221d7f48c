"""Consents granted and revoked through the API. Revoking sets a status; nothing is deleted."""

import datetime
from typing import Any, TypedDict

from .connection import Store
from .predicate import published

CONSENT = """c {entity: 'Consent', .id, .subjectCode, .granteeCode, .purpose, .categories, .validFrom, .validUntil,
    .status, .revokedAt, granteeId: p.id, subjectId: s.id}"""


class ConsentRow(TypedDict):
    id: str
    subjectCode: str
    granteeCode: str
    purpose: str
    categories: list[str]
    validFrom: datetime.datetime
    validUntil: datetime.datetime
    status: str
    revokedAt: datetime.datetime | None
    granteeId: str
    subjectId: str


async def create(store: Store, subject_id: str, consent: dict[str, Any]) -> ConsentRow:
    """The subject with `subject_id` grants `consent` (its subject's code is taken from the graph)."""
    rows = await store.write(
        f"""
        MATCH (s:Subject {{id: $subjectId}})
        MATCH (p:Provider {{code: $consent.granteeCode}})
        WHERE {published("p")}
        CREATE (c:Consent)
        SET c = $consent, c.subjectCode = s.code, c.status = 'ACTIVE'
        CREATE (c)-[:GRANTED_BY]->(s)
        CREATE (c)-[:GRANTED_TO]->(p)
        RETURN {CONSENT} AS consent
        """,
        subjectId=subject_id,
        consent=consent,
    )
    created: ConsentRow = rows[0]["consent"]
    return created


async def by_id(store: Store, consent_id: str) -> ConsentRow | None:
    rows = await store.read(
        f"""
        MATCH (s:Subject)<-[:GRANTED_BY]-(c:Consent {{id: $id}})-[:GRANTED_TO]->(p:Provider)
        WHERE {published("c")}
        RETURN {CONSENT} AS consent
        """,
        id=consent_id,
    )
    return rows[0]["consent"] if rows else None


async def revoke(store: Store, consent_id: str, at: datetime.datetime, actor_id: str | None) -> ConsentRow | None:
    """Revoke an active consent; None when it is no longer active (someone revoked it first)."""
    rows = await store.write(
        f"""
        MATCH (s:Subject)<-[:GRANTED_BY]-(c:Consent {{id: $id}})-[:GRANTED_TO]->(p:Provider)
        WHERE c.status = 'ACTIVE' AND {published("c")}
        SET c.status = 'REVOKED', c.revokedAt = $at, c.revokedBy = $actorId
        RETURN {CONSENT} AS consent
        """,
        id=consent_id,
        at=at,
        actorId=actor_id,
    )
    return rows[0]["consent"] if rows else None


async def of_subject(store: Store, subject_code: str) -> list[ConsentRow]:
    rows = await store.read(
        f"""
        MATCH (s:Subject {{code: $code}})<-[:GRANTED_BY]-(c:Consent)-[:GRANTED_TO]->(p:Provider)
        WHERE {published("c")}
        RETURN {CONSENT} AS consent ORDER BY c.validFrom DESC, c.id
        """,
        code=subject_code,
    )
    return [row["consent"] for row in rows]
