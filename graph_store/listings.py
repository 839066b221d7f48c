"""The serious-dishonesty list (Arts. 24-26): listings decided by agencies after a written notice.

A listing is never deleted: removal marks it REMOVED with who, when and why,
and ends the punitive measures taken under it (their original end kept); so does
the repair or revocation of the last record it rests on (Arts. 34, 36). It is on
the public list until `disclosureUntil` (Art. 35: three years from the listing,
longer while a punitive measure under it runs; graph_store/measures.py). Every
query that returns listings takes the viewer's `ReadFilter` and says where its
listing predicate goes (LISTING_FILTER, speaking of the listing as `l`).
"""

import datetime
from typing import Any, TypedDict

from credit.disclosure import listing_disclosure_until

from . import measures
from .connection import Store, Transaction
from .predicate import ReadFilter

LISTING = """l {
    entity: 'Listing', .id, .ground, .basis, .removalConditions, .status, .listedAt, .disclosureUntil, .removedAt,
    .removalReason, .subjectCode, .decidedByCode, subjectId: s.id, decidedById: p.id, representativeId: rep.id,
    noticeId: n.id, noticeServedAt: n.servedAt, underObjection: coalesce(l.underObjection, false),
    recordIds: COLLECT { MATCH (l)-[:BECAUSE_OF]->(r:Record) RETURN r.id ORDER BY r.id }
}"""


class ListingRow(TypedDict):
    id: str
    ground: str
    basis: str
    removalConditions: str
    status: str
    listedAt: datetime.datetime
    disclosureUntil: datetime.date
    """The last day it is on the public list unless removed first (Art. 35)."""
    removedAt: datetime.datetime | None
    removalReason: str | None
    subjectCode: str
    decidedByCode: str
    subjectId: str
    decidedById: str
    representativeId: str | None
    noticeId: str | None
    noticeServedAt: datetime.datetime | None
    underObjection: bool
    recordIds: list[str]


PARTS = """
    MATCH (l)-[:OF]->(s:Subject)
    MATCH (l)-[:DECIDED_BY]->(p:Provider)
    OPTIONAL MATCH (l)-[:AFTER_NOTICE]->(n:Notice)
    OPTIONAL MATCH (l)-[:NAMES_REPRESENTATIVE]->(rep:Subject)
"""


async def add(store: Store, listing: dict[str, Any], at: datetime.datetime) -> ListingRow | None:
    """List a subject, naming its current representative; None when it already stands listed on that ground."""
    rows = await store.write(
        f"""
        MATCH (s:Subject {{id: $listing.subjectId}})
        SET s._lock = true REMOVE s._lock  // one listing per ground at a time: a second attempt waits, then sees it
        WITH s
        WHERE NOT EXISTS {{ (s)<-[:OF]-(:Listing {{status: 'ACTIVE', ground: $listing.ground}}) }}
        MATCH (p:Provider {{code: $listing.decidedByCode}})
        MATCH (n:Notice {{id: $listing.noticeId}})
        OPTIONAL MATCH (s)<-[term:REPRESENTS]-(rep:Subject)
        WHERE term.until IS NULL
        CREATE (l:Listing {{id: $listing.id, ground: $listing.ground, basis: $listing.basis,
                           removalConditions: $listing.removalConditions, status: 'ACTIVE', listedAt: $at,
                           disclosureBaseUntil: $until, disclosureUntil: $until,
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
        until=listing_disclosure_until(at.date()),
    )
    return rows[0]["listing"] if rows else None


async def by_ids(store: Store, ids: list[str], filters: ReadFilter) -> dict[str, ListingRow]:
    query = f"""
        UNWIND $ids AS id
        MATCH (l:Listing {{id: id}})
        WHERE LISTING_FILTER
        {PARTS}
        RETURN id, {LISTING} AS listing
    """
    text, params = filters.applied(query)
    rows = await store.read(text, ids=ids, **params)
    return {row["id"]: row["listing"] for row in rows}


async def remove(store: Store, listing_id: str, *, reason: str, actor_id: str, at: datetime.datetime) -> bool:
    """Take a listing off the list and end the punitive measures under it; False when it was not ACTIVE."""
    async with store.transaction() as tx:
        removed = await end(
            tx, [listing_id], reason=reason, why="its serious-dishonesty listing was removed (Art. 24)",
            actor_id=actor_id, at=at,
        )  # fmt: skip
    return bool(removed)


RECORDS_GONE = "every record it rested on was repaired or revoked (Arts. 34, 36)"
"""Why a listing ends with the last record it rests on: its removal reason, public with it (no ids, no free text)."""


async def end_with_records(tx: Transaction, record_ids: list[str], *, actor_id: str, at: datetime.datetime) -> None:
    """Inside the caller's transaction, which just repaired or revoked these records: end each ACTIVE listing that
    rests on one of them and now on no ACTIVE record at all, as a removal does, with RECORDS_GONE as its reason."""
    resting = await tx.run(
        """
        UNWIND $ids AS id
        MATCH (:Record {id: id})<-[:BECAUSE_OF]-(l:Listing {status: 'ACTIVE'})
        WITH DISTINCT l ORDER BY l.id
        SET l._lock = true REMOVE l._lock  // of two transactions ending its last two records, the second sees both
        WITH l WHERE NOT EXISTS { (l)-[:BECAUSE_OF]->(:Record {status: 'ACTIVE'}) }
        RETURN l.id AS id
        """,
        ids=record_ids,
    )
    why = "its serious-dishonesty listing ended: every record it rested on was repaired or revoked (Arts. 34, 36)"
    await end(tx, [row["id"] for row in resting], reason=RECORDS_GONE, why=why, actor_id=actor_id, at=at)


async def end(
    tx: Transaction, listing_ids: list[str], *, reason: str, why: str, actor_id: str, at: datetime.datetime
) -> list[str]:
    """Mark the ACTIVE ones of these listings REMOVED with who, when and `reason`, and end the punitive measures under
    them saying `why` (public with each measure); the one way a listing leaves the list early. Returns those ended."""
    ended = await tx.run(
        """
        UNWIND $ids AS id
        MATCH (l:Listing {id: id})
        SET l._lock = true REMOVE l._lock  // lock first, then check: of two enders one finds it ACTIVE
        WITH l WHERE l.status = 'ACTIVE'
        SET l.status = 'REMOVED', l.removedAt = $at, l.removedBy = $actorId, l.removalReason = $reason
        RETURN l.id AS id, COLLECT {
            MATCH (l)<-[:UNDER_LISTING]-(m:Measure {type: 'PUNITIVE'})-[:APPLIED_TO]->(s:Subject)
            RETURN m {entity: 'Measure', .id, subjectId: s.id}
        } AS measures
        """,
        ids=listing_ids,
        at=at,
        actorId=actor_id,
        reason=reason,
    )
    await measures.end_early(tx, [measure["id"] for row in ended for measure in row["measures"]], why=why, at=at)
    return [row["id"] for row in ended]


async def of_subjects(store: Store, subject_ids: list[str], filters: ReadFilter) -> dict[str, list[ListingRow]]:
    """The listings of each subject the viewer may read, newest first."""
    query = f"""
        UNWIND $ids AS id
        MATCH (s:Subject {{id: id}})<-[:OF]-(l:Listing)
        WHERE LISTING_FILTER
        {PARTS}
        WITH id, l, s, p, n, rep ORDER BY l.listedAt DESC, l.id
        RETURN id, collect({LISTING}) AS listings
    """
    text, params = filters.applied(query)
    rows = await store.read(text, ids=subject_ids, **params)
    return {row["id"]: row["listings"] for row in rows}


async def page(
    store: Store, filters: ReadFilter, *, first: int, after: tuple[datetime.datetime, str] | None
) -> list[ListingRow]:
    """The list as it stands today (the policy's "standing"), newest first; ask for one more than shown to know if a
    next page exists."""
    query = f"""
        MATCH (l:Listing)
        WHERE STANDING_FILTER AND LISTING_FILTER
          AND ($afterAt IS NULL OR l.listedAt < $afterAt OR (l.listedAt = $afterAt AND l.id > $afterId))
        WITH l ORDER BY l.listedAt DESC, l.id LIMIT $first
        {PARTS}
        RETURN {LISTING} AS listing
    """
    text, params = filters.applied(query)
    rows = await store.read(
        text, first=first, afterAt=after[0] if after else None, afterId=after[1] if after else None, **params
    )
    return [row["listing"] for row in rows]


async def count(store: Store, filters: ReadFilter) -> int:
    query = "MATCH (l:Listing) WHERE STANDING_FILTER AND LISTING_FILTER RETURN count(l) AS total"
    text, params = filters.applied(query)
    rows = await store.read(text, **params)
    return int(rows[0]["total"])
