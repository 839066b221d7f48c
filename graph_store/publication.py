"""The subject's own publication (Art. 16): a SUBJECT_PUBLISHED record is public only while its subject publishes it.

Publication is not content: it makes no version (Art. 33 versions are corrections of what a record says). The record
keeps when and by whom it was last published (`publishedBySubjectAt`, `publishedBy`) or withdrawn
(`publicationWithdrawnAt`, `publicationWithdrawnBy`); the access log has every change.
"""

import datetime
from typing import TypedDict

from .connection import Store


class PublicationRow(TypedDict):
    """The record published or withdrawn: its id, and whom it is about."""

    id: str
    subjectId: str


async def publish(store: Store, record_id: str, actor_id: str, at: datetime.datetime) -> PublicationRow | None:
    """Publish the record; None when it is published already (someone published it first)."""
    rows = await store.write(
        """
        MATCH (r:Record {id: $id})-[:ABOUT]->(s:Subject)
        WHERE r.disclosureMode = 'SUBJECT_PUBLISHED' AND r.publishedBySubjectAt IS NULL
        SET r.publishedBySubjectAt = $at, r.publishedBy = $actorId
        RETURN r {entity: 'Record', .id, subjectId: s.id} AS record
        """,
        id=record_id,
        actorId=actor_id,
        at=at,
    )
    published: PublicationRow | None = rows[0]["record"] if rows else None
    return published


async def withdraw(store: Store, record_id: str, actor_id: str, at: datetime.datetime) -> PublicationRow | None:
    """Withdraw the record's publication; None when it is not published (someone withdrew it first)."""
    rows = await store.write(
        """
        MATCH (r:Record {id: $id})-[:ABOUT]->(s:Subject)
        WHERE r.disclosureMode = 'SUBJECT_PUBLISHED' AND r.publishedBySubjectAt IS NOT NULL
        SET r.publishedBySubjectAt = null, r.publicationWithdrawnAt = $at, r.publicationWithdrawnBy = $actorId
        RETURN r {entity: 'Record', .id, subjectId: s.id} AS record
        """,
        id=record_id,
        actorId=actor_id,
        at=at,
    )
    withdrawn: PublicationRow | None = rows[0]["record"] if rows else None
    return withdrawn
