"""Measures an agency applies through the API (Arts. 19, 22-27): written with their notice or listing, at once.

Imported measures come through the importer; both keep a record disclosed while a punitive measure based on it
runs (Art. 35), with the same query.
"""

import datetime
from typing import Any, LiteralString

from .connection import Store, Transaction

# Art. 35: a punitive measure that ends after the record's own window keeps it disclosed until it ends.
# A measure an import staged counts once published: the import's own, in the transaction that publishes them. What
# is written is asked of the run itself, not of the shown runs a process read up to a second ago (predicate.py).
UPDATE_DISCLOSURE_UNTIL: LiteralString = """
    UNWIND $ids AS id
    MATCH (r:Record {id: id})
    OPTIONAL MATCH (m:Measure {type: 'PUNITIVE'})-[:BECAUSE_OF]->(r)
    WHERE NOT m:Staged OR EXISTS { (m)-[:STAGED_IN]->(:ImportRun {published: true}) }
    WITH r, max(m.endsAt) AS measureEnds
    SET r.disclosureUntil = CASE
        WHEN r.disclosureBaseUntil IS NULL THEN null
        WHEN measureEnds > r.disclosureBaseUntil THEN measureEnds
        ELSE r.disclosureBaseUntil
    END
"""

# Art. 35 for listings: a punitive measure under a listing that ends after the listing's own period keeps it on the
# public list until it ends.
UPDATE_LISTING_DISCLOSURE_UNTIL: LiteralString = """
    UNWIND $ids AS id
    MATCH (l:Listing {id: id})
    OPTIONAL MATCH (m:Measure {type: 'PUNITIVE'})-[:UNDER_LISTING]->(l)
    WITH l, max(m.endsAt) AS measureEnds
    SET l.disclosureUntil = CASE
        WHEN measureEnds > l.disclosureBaseUntil THEN measureEnds
        ELSE l.disclosureBaseUntil
    END
"""


async def apply(store: Store, measure: dict[str, Any], at: datetime.datetime) -> str:
    """Write the measure; returns its id. It is read back like any measure, through the viewer's filter
    (projection.MEASURES), so what a write shows is what the policy lets its author read."""
    async with store.transaction() as tx:
        rows = await tx.run(
            """
            MATCH (s:Subject {id: $measure.subjectId})
            MATCH (p:Provider {code: $measure.implementedByCode})
            CREATE (m:Measure {id: $measure.id, type: $measure.type, item: $measure.item, means: $measure.means,
                               basis: $measure.basis, startsAt: $measure.startsAt, endsAt: $measure.endsAt,
                               appliedAt: $at, appliedBy: $measure.actorId, subjectCode: s.code,
                               implementedByCode: p.code})
            CREATE (m)-[:APPLIED_TO]->(s)
            CREATE (m)-[:IMPLEMENTED_BY]->(p)
            WITH m, s, p
            CALL (m) {
                UNWIND $measure.recordIds AS recordId
                MATCH (r:Record {id: recordId})
                CREATE (m)-[:BECAUSE_OF]->(r)
            }
            CALL (m) {
                MATCH (n:Notice {id: $measure.noticeId})
                CREATE (m)-[:AFTER_NOTICE]->(n)
            }
            CALL (m) {
                MATCH (l:Listing {id: $measure.listingId})
                CREATE (m)-[:UNDER_LISTING]->(l)
            }
            RETURN m.id AS id
            """,
            measure=measure,
            at=at,
        )
        await tx.run(UPDATE_DISCLOSURE_UNTIL, ids=measure["recordIds"])
        await tx.run(UPDATE_LISTING_DISCLOSURE_UNTIL, ids=[measure["listingId"]] if measure["listingId"] else [])
    applied: str = rows[0]["id"]
    return applied


async def end_early(tx: Transaction, measure_ids: list[str], *, why: str, at: datetime.datetime) -> None:
    """End measures today, inside the caller's transaction, keeping their original end and saying why; the
    records and the listing they kept disclosed go back to their own window (Art. 35)."""
    ended = await tx.run(
        """
        UNWIND $ids AS id
        MATCH (m:Measure {id: id})
        WHERE m.endsAt > date($at)
        SET m.originalEndsAt = coalesce(m.originalEndsAt, m.endsAt), m.endsAt = date($at), m.endReason = $why
        WITH collect(m) AS ended
        RETURN COLLECT { UNWIND ended AS m MATCH (m)-[:BECAUSE_OF]->(r:Record) RETURN DISTINCT r.id } AS recordIds,
               COLLECT { UNWIND ended AS m MATCH (m)-[:UNDER_LISTING]->(l:Listing) RETURN DISTINCT l.id } AS listingIds
        """,
        ids=measure_ids,
        at=at,
        why=why,
    )
    await tx.run(UPDATE_DISCLOSURE_UNTIL, ids=ended[0]["recordIds"])
    await tx.run(UPDATE_LISTING_DISCLOSURE_UNTIL, ids=ended[0]["listingIds"])
