"""Relationship lookups (Arts. 24-26): who stands behind a subject, through representation, shares and branches.

Every traversal is a breadth-first shortest-path search (`ANY SHORTEST` over a
quantified path pattern), so each subject is reached once, by one of its
shortest paths, whichever way the relationships point. A search stops after
`limit` subjects: the caller asks for one more than it allows and refuses the
lookup when it gets them all, before building any answer. Relation types and
hop counts are pasted from validated enums and integers; every value is a
parameter.
"""

import datetime
from dataclasses import dataclass

from .connection import Row, Store
from .model import Relation
from .predicate import Predicate

STEPS = """[rel IN relationships(p) | {
    fromId: startNode(rel).id, relation: type(rel), toId: endNode(rel).id, share: rel.share, since: rel.since
}]"""


@dataclass(frozen=True)
class Traversal:
    origin_code: str
    max_hops: int
    relations: tuple[Relation, ...]
    limit: int
    """Reach at most this many subjects; the caller passes one more than it allows."""

    def pattern(self, start: str, end: str) -> str:
        if not 1 <= self.max_hops <= 3 or not self.relations:
            raise ValueError("a traversal has 1 to 3 hops and at least one relation")
        types = "|".join(relation.value for relation in self.relations)
        return f"({start})-[:{types}]-{{1,{self.max_hops}}}({end}:Subject)"

    def reach(self) -> str:
        """Cypher that leaves `reached` (how many subjects) and `found` (each with its path), nearest first."""
        return f"""
            MATCH (origin:Subject {{code: $originCode}})
            CALL (origin) {{
                MATCH p = ANY SHORTEST {self.pattern("origin", "other")}
                WHERE other <> origin
                RETURN other, p
                LIMIT $limit
            }}
            WITH collect({{other: other, p: p}}) AS found
            WITH found, size(found) AS reached
        """


@dataclass(frozen=True)
class Reached:
    count: int
    rows: list[Row]


async def related(
    store: Store, traversal: Traversal, *, first: int, after: tuple[int, str] | None, timeout: float
) -> Reached:
    """A page of the subjects within reach, by hops then code, each with its path; and how many there are."""
    rows = await store.read(
        f"""
        {traversal.reach()}
        UNWIND found AS f
        WITH reached, f.other AS other, f.p AS p, length(f.p) AS hops
        ORDER BY hops, other.code
        WITH reached, collect({{subjectId: other.id, code: other.code, hops: hops, steps: {STEPS}}})
             AS ordered
        RETURN reached,
               [row IN ordered WHERE $afterHops IS NULL OR row.hops > $afterHops
                    OR (row.hops = $afterHops AND row.code > $afterCode)][..$first] AS page
        """,
        timeout_=timeout,
        originCode=traversal.origin_code,
        limit=traversal.limit,
        first=first,
        afterHops=after[0] if after else None,
        afterCode=after[1] if after else None,
    )
    return Reached(rows[0]["reached"], rows[0]["page"]) if rows else Reached(0, [])


async def risky(
    store: Store,
    traversal: Traversal,
    *,
    records: Predicate,
    listings: Predicate,
    today: datetime.date,
    timeout: float,
) -> Reached:
    """The subjects within reach that stand listed or have disclosable dishonesty records the viewer may see."""
    rows = await store.read(
        f"""
        {traversal.reach()}
        UNWIND found AS f
        WITH reached, f.other AS s, f.p AS p
        WITH reached, s, p,
             COLLECT {{
                 MATCH (s)<-[:ABOUT]-(r:Record {{nature: 'DISHONEST'}})
                 WHERE r.status = 'ACTIVE' AND r.confirmedAt <= $today
                   AND (r.disclosureUntil IS NULL OR r.disclosureUntil >= $today)
                   AND ({records.text})
                 RETURN r.id ORDER BY r.confirmedAt DESC, r.id LIMIT 20
             }} AS recordIds,
             COLLECT {{
                 MATCH (s)<-[:OF]-(l:Listing {{status: 'ACTIVE'}})
                 WHERE {listings.text}
                 RETURN l.id ORDER BY l.listedAt DESC
             }} AS listingIds
        ORDER BY length(p), s.code
        RETURN reached,
               collect(CASE WHEN size(recordIds) > 0 OR size(listingIds) > 0 THEN {{
                   subjectId: s.id, code: s.code, hops: length(p), steps: {STEPS},
                   recordIds: recordIds, listingIds: listingIds
               }} END) AS risky
        """,
        timeout_=timeout,
        originCode=traversal.origin_code,
        limit=traversal.limit,
        today=today,
        **records.params,
        **listings.params,
    )
    return Reached(rows[0]["reached"], rows[0]["risky"]) if rows else Reached(0, [])


async def shortest_paths(
    store: Store, from_code: str, to_code: str, *, max_hops: int, relations: tuple[Relation, ...], timeout: float
) -> list[Row]:
    """Every shortest path between two subjects within `max_hops` (at most 25), or none."""
    traversal = Traversal(from_code, max_hops, relations, limit=0)
    rows = await store.read(
        f"""
        MATCH (a:Subject {{code: $fromCode}}), (b:Subject {{code: $toCode}})
        WHERE a <> b
        MATCH p = ALL SHORTEST {traversal.pattern("a", "b")}
        RETURN length(p) AS hops, {STEPS} AS steps
        LIMIT 25
        """,
        timeout_=timeout,
        fromCode=from_code,
        toCode=to_code,
    )
    return rows
