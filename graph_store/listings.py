"""The serious-dishonesty list (Arts. 24-26): listings decided by agencies after a written notice.

A listing is never deleted: removal marks it REMOVED with who, when and why,
and ends the punitive measures taken under it (their original end kept). Every
query that returns listings takes the viewer's listing `Predicate`, which
speaks of the listing as `l`.
"""

import datetime
from typing import Any

from . import measures
from .connection import Row, Store, run
from .predicate import Predicate

LISTING = """l {
    .id, .ground, .basis, .removalConditions, .status, .listedAt, .removedAt, .removalReason,
    .subjectCode, .decidedByCode, subjectId: s.id, decidedById: p.id, representativeId: rep.id,
    noticeId: n.id, noticeServedAt: n.servedAt,
    recordIds: COLLECT { MATCH (l)-[:BECAUSE_OF]->(r:Record) RETURN r.id ORDER BY r.id }
}"""
PARTS = """
    MATCH (l)-[:OF]->(s:Subject)
    MATCH (l)-[:DECIDED_BY]->(p:Provider)
    OPTIONAL MATCH (l)-[:AFTER_NOTICE]->(n:Notice)
    OPTIONAL MATCH (l)-[:NAMES_REPRESENTATIVE]->(rep:Subject)
"""


async def add(store: Store, listing: dict[str, Any], at: datetime.datetime) -> Row | None:
    """List a subject, naming its current representative; None when it already stands listed on that ground."""
    rows = await store.write(
        f"""
        MATCH (s:Subject {{code: $listing.subjectCode}})
        SET s._lock = true REMOVE s._lock  // one listing per ground at a time: a second attempt waits, then sees it
        WITH s
        WHERE NOT EXISTS {{ (s)<-[:OF]-(:Listing {{status: 'ACTIVE', ground: $listing.ground}}) }}
        MATCH (p:Provider {{code: $listing.decidedByCode}})
        MATCH (n:Notice {{id: $listing.noticeId}})
        OPTIONAL MATCH (s)<-[term:REPRESENTS]-(rep:Subject)
        WHERE term.until IS NULL
        CREATE (l:Listing {{id: $listing.id, ground: $listing.ground, basis: $listing.basis,
                           removalConditions: $listing.removalConditions, status: 'ACTIVE', listedAt: $at,
                           listedBy: $listing.actorId, subjectCode: s.code, decidedByCode: p.code}})
        CREATE (l)-[:OF]->(s)
        CREATE (l)-[:DECIDED_BY]->(p)
        CREATE (l)-[:AFTER_NOTICE]->(n)
        FOREACH (person IN CASE WHEN rep IS NULL THEN [] ELSE [rep] END |
            CREATE (l)-[:NAMES_REPRESENTATIVE]->(person))
        WITH l, s, p, n, rep
        CALL (l) {{
            UNWIND $listing.recordIds AS recordId
            MATCH (r:Record {{id: recordId}})
            CREATE (l)-[:BECAUSE_OF]->(r)
        }}
        RETURN {LISTING} AS listing
        """,
        listing=listing,
        at=at,
    )
    return rows[0]["listing"] if rows else None


async def by_ids(store: Store, ids: list[str], visible: Predicate) -> dict[str, Row]:
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (l:Listing {{id: id}})
        WHERE {visible.text}
        {PARTS}
        RETURN id, {LISTING} AS listing
        """,
        ids=ids,
        **visible.params,
    )
    return {row["id"]: row["listing"] for row in rows}


async def remove(store: Store, listing_id: str, *, reason: str, actor_id: str, at: datetime.datetime) -> bool:
    """Take a listing off the list and end the punitive measures under it; False when it was not ACTIVE."""
    why = f"listing {listing_id} removed: {reason}"
    async with store.transaction() as tx:
        removed = await run(
            tx,
            """
            MATCH (l:Listing {id: $id})
            SET l._lock = true REMOVE l._lock
            WITH l WHERE l.status = 'ACTIVE'
            SET l.status = 'REMOVED', l.removedAt = $at, l.removedBy = $actorId, l.removalReason = $reason
            RETURN l.id AS id
            """,
            id=listing_id,
            at=at,
            actorId=actor_id,
            reason=reason,
        )
        if not removed:
            return False
        under = await run(
            tx,
            "MATCH (:Listing {id: $id})<-[:UNDER_LISTING]-(m:Measure {type: 'PUNITIVE'}) RETURN m.id AS id",
            id=listing_id,
        )
        await measures.end_early(tx, [row["id"] for row in under], why=why, at=at)
    return True


async def of_subjects(store: Store, subject_ids: list[str], visible: Predicate) -> dict[str, list[Row]]:
    """The listings of each subject the viewer may read, newest first."""
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (s:Subject {{id: id}})<-[:OF]-(l:Listing)
        WHERE {visible.text}
        {PARTS}
        WITH id, l, s, p, n, rep ORDER BY l.listedAt DESC, l.id
        RETURN id, collect({LISTING}) AS listings
        """,
        ids=subject_ids,
        **visible.params,
    )
    return {row["id"]: row["listings"] for row in rows}


async def page(
    store: Store, visible: Predicate, *, first: int, after: tuple[datetime.datetime, str] | None
) -> list[Row]:
    """The list, newest first; ask for one more than shown to know if a next page exists."""
    rows = await store.read(
        f"""
        MATCH (l:Listing)
        WHERE l.status = 'ACTIVE' AND {visible.text}
          AND ($afterAt IS NULL OR l.listedAt < $afterAt OR (l.listedAt = $afterAt AND l.id > $afterId))
        WITH l ORDER BY l.listedAt DESC, l.id LIMIT $first
        {PARTS}
        RETURN {LISTING} AS listing
        """,
        first=first,
        afterAt=after[0] if after else None,
        afterId=after[1] if after else None,
        **visible.params,
    )
    return [row["listing"] for row in rows]


async def count(store: Store, visible: Predicate) -> int:
    rows = await store.read(
        f"MATCH (l:Listing) WHERE l.status = 'ACTIVE' AND {visible.text} RETURN count(l) AS total", **visible.params
    )
    return int(rows[0]["total"])
