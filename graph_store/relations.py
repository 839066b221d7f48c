"""Relationship lookups (Arts. 24-26): who stands behind a subject, through representation, shares and branches.

Every traversal is a breadth-first shortest-path search (`ANY SHORTEST` over a
quantified path pattern), so each subject is reached once, by one of its
shortest paths, whichever way the relationships point. A search stops after
`limit` subjects: the caller asks for one more than it allows and refuses the
lookup when it gets them all. Each lookup is one query that also returns every
subject it shows (the one looked up, and everyone on the paths), with the
viewer's identity filter applied, so nothing is fetched twice. Relation types
and hop counts are pasted from validated enums and integers; every value is a
parameter.
"""

import datetime
from dataclasses import dataclass
from typing import Generic, NotRequired, TypedDict, TypeVar

from credit.model import MAX_HOPS, Relation

from .connection import Store
from .predicate import ReadFilter, published
from .reads import DISCLOSED_DISHONESTY, RECORD, STANDING_LISTING, SUBJECT, RecordRow, SubjectRow
from .rows import Row

STEP = "{fromId: startNode(rel).id, relation: type(rel), toId: endNode(rel).id, share: rel.share, since: rel.since}"
"""The relationship `rel` as it points."""

StepRow = TypedDict(
    "StepRow",
    {
        "fromId": str,
        "relation": str,
        "toId": str,
        "share": float | None,
        "since": datetime.date | None,
        "from": NotRequired[SubjectRow],  # both ends put in by the resolver, from the lookup's `subjects`
        "to": NotRequired[SubjectRow],
    },
)
"""STEP (`from` is a keyword, hence this form)."""
STEPS = f"[rel IN relationships(p) | {STEP}]"
"""The steps of the path `p`."""


def returning(ends: str, rows: str, total: str = "reached") -> str:
    """How every lookup ends: `reached`, `total` (how many rows in all), `rows` (the projection `rows` of each
    `row` in `shown`), and `subjects`: everyone it shows, at its `ends` and on the paths, once each.

    The paths' nodes are listed before the subquery that keeps each subject once. Listed inside it, on a hub's
    risk network, Neo4j counted too much memory against the transaction and refused it (docs/performance.md,
    "Relationship lookups' memory").
    """
    return f"""
        WITH reached, {total} AS total, shown, [[{ends}]] + [row IN shown | row.nodes] AS groups
        RETURN reached, total, [row IN shown | {rows}] AS rows, COLLECT {{
            UNWIND groups AS group
            UNWIND group AS s
            WITH DISTINCT s
            RETURN {SUBJECT}
        }} AS subjects
    """


ROWS = "row {.subjectId, .hops, .steps, .records, .listingIds}"
"""A lookup's rows as they leave Neo4j: without the nodes, which come back once each as `subjects`."""


class PathRow(TypedDict):
    """A shortest path between two subjects (`row {.hops, .steps}`)."""

    hops: int
    steps: list[StepRow]


class ReachedRow(PathRow):
    """A subject within reach (ROWS), by one of its shortest paths. `records` and `listingIds` are the risk
    network's (null for a related subject)."""

    subjectId: str
    records: list[RecordRow] | None
    listingIds: list[str] | None
    subject: NotRequired[SubjectRow]
    """Put in by the resolver, from the lookup's `subjects`."""


R = TypeVar("R", bound=PathRow)


@dataclass(frozen=True)
class Traversal:
    origin_code: str
    max_hops: int
    relations: tuple[Relation, ...]
    limit: int
    """Reach at most this many subjects; the caller passes one more than it allows."""

    def pattern(self, start: str, end: str) -> str:
        if not 1 <= self.max_hops <= MAX_HOPS or not self.relations:
            raise ValueError(f"a traversal has 1 to {MAX_HOPS} hops and at least one relation")
        types = "|".join(relation.value for relation in self.relations)
        return f"({start})-[:{types}]-{{1,{self.max_hops}}}({end}:Subject)"

    def reach(self) -> str:
        """Cypher that leaves `origin`, `reached` (how many subjects) and `found` (each with its path)."""
        return f"""
            MATCH (origin:Subject {{code: $originCode}})
            WHERE {published("origin")}
            WITH origin, COLLECT {{
                MATCH p = ANY SHORTEST {self.pattern("origin", "other")}
                WHERE other <> origin
                RETURN {{other: other, p: p}}
                LIMIT $limit
            }} AS found
            WITH origin, found, size(found) AS reached
        """


@dataclass(frozen=True)
class Reached(Generic[R]):
    count: int
    """How many subjects the search reached (at most its limit)."""
    total: int
    """How many rows the lookup has in all, when `rows` are one page of them."""
    rows: list[R]
    subjects: list[SubjectRow]
    """Every subject the rows show, the one looked up first, with `revealed` from the identity filter."""

    @classmethod
    def from_rows(cls, rows: list[Row]) -> "Reached[R] | None":
        """The one row a lookup returns; None when it has none (no such subject)."""
        return cls(rows[0]["reached"], rows[0]["total"], rows[0]["rows"], rows[0]["subjects"]) if rows else None


def after_key(rows: str) -> str:
    """The rows of `rows` past the cursor ($afterHops, $afterId), at most $first: lookups page by hops, then id
    (random, so the order says nothing of codes)."""
    return f"""[row IN {rows} WHERE $afterHops IS NULL OR row.hops > $afterHops
                               OR (row.hops = $afterHops AND row.subjectId > $afterId)][..$first]"""


async def related(
    store: Store,
    traversal: Traversal,
    *,
    first: int,
    after: tuple[int, str] | None,
    filters: ReadFilter,
    timeout: float,
) -> Reached[ReachedRow] | None:
    """A page of the subjects within reach, by hops then id, each with its path; None if there is no origin."""
    text, params = filters.applied(related_query(traversal))
    rows = await store.read(
        text,
        timeout_=timeout,
        originCode=traversal.origin_code,
        limit=traversal.limit,
        first=first,
        afterHops=after[0] if after else None,
        afterId=after[1] if after else None,
        **params,
    )
    return Reached[ReachedRow].from_rows(rows)


def related_query(traversal: Traversal) -> str:
    """The Cypher `related` runs, before its filters are pasted (tests EXPLAIN it: an index seek, then a
    breadth-first search)."""
    return f"""
        {traversal.reach()}
        WITH origin, reached, COLLECT {{
            UNWIND found AS f
            WITH f.other AS other, f.p AS p
            ORDER BY length(p), other.id
            RETURN {{subjectId: other.id, hops: length(p), steps: {STEPS}, nodes: nodes(p)}}
        }} AS ordered
        WITH origin, reached, {after_key("ordered")} AS shown
        {returning("origin", ROWS)}
    """


async def risky(
    store: Store,
    traversal: Traversal,
    *,
    first: int,
    after: tuple[int, str] | None,
    filters: ReadFilter,
    timeout: float,
) -> Reached[ReachedRow] | None:
    """A page of the subjects within reach that stand listed or have disclosable dishonesty records the viewer
    may see, by hops then id. Only the page's subjects bring their records, whole, in the rows."""
    text, params = filters.applied(
        f"""
        {traversal.reach()}
        WITH origin, reached, COLLECT {{
            UNWIND found AS f
            WITH f.other AS s, f.p AS p
            WHERE EXISTS {{ MATCH {DISCLOSED_DISHONESTY} }} OR EXISTS {{ MATCH {STANDING_LISTING} }}
            ORDER BY length(p), s.id
            RETURN {{subject: s, subjectId: s.id, hops: length(p), steps: {STEPS}, nodes: nodes(p)}}
        }} AS risky
        WITH origin, reached, size(risky) AS total, {after_key("risky")} AS page
        CALL (page) {{
            UNWIND page AS row
            WITH row, row.subject AS s
            ORDER BY row.hops, row.subjectId
            WITH row, s,
                 COLLECT {{
                     MATCH {DISCLOSED_DISHONESTY}
                     WITH r ORDER BY r.confirmedAt DESC, r.id LIMIT 20
                     MATCH (r)-[:PROVIDED_BY]->(p:Provider)
                     MATCH (r)-[:UNDER]->(c:CatalogItem)
                     RETURN {RECORD}
                 }} AS records,
                 COLLECT {{ MATCH {STANDING_LISTING} RETURN l.id ORDER BY l.listedAt DESC }} AS listingIds
            RETURN collect(row {{.subjectId, .hops, .steps, .nodes, records: records,
                                 listingIds: listingIds}}) AS shown
        }}
        {returning("origin", ROWS, total="total")}
        """
    )
    rows = await store.read(
        text,
        timeout_=timeout,
        originCode=traversal.origin_code,
        limit=traversal.limit,
        first=first,
        afterHops=after[0] if after else None,
        afterId=after[1] if after else None,
        **params,
    )
    return Reached[ReachedRow].from_rows(rows)


async def shortest_paths(
    store: Store,
    from_code: str,
    to_code: str,
    *,
    max_hops: int,
    relations: tuple[Relation, ...],
    filters: ReadFilter,
    timeout: float,
) -> Reached[PathRow] | None:
    """Every shortest path between two subjects within `max_hops` (at most 25); None if either does not exist."""
    traversal = Traversal(from_code, max_hops, relations, limit=0)
    text, params = filters.applied(
        f"""
        MATCH (origin:Subject {{code: $fromCode}}), (target:Subject {{code: $toCode}})
        WHERE {published("origin")} AND {published("target")}
        WITH origin, target, COLLECT {{
            MATCH p = ALL SHORTEST {traversal.pattern("origin", "target")}
            WHERE origin <> target
            RETURN {{hops: length(p), steps: {STEPS}, nodes: nodes(p)}}
            LIMIT 25
        }} AS shown
        WITH origin, target, size(shown) AS reached, shown
        {returning("origin, target", "row {.hops, .steps}")}
        """
    )
    rows = await store.read(
        text,
        timeout_=timeout,
        fromCode=from_code,
        toCode=to_code,
        **params,
    )
    return Reached[PathRow].from_rows(rows)


async def between(store: Store, subject_ids: list[str], relations: tuple[Relation, ...]) -> list[StepRow]:
    """Every relationship of these kinds whose two ends are both among the subjects, as steps.

    Paths reach each subject once; these are all the ties among them, rings and
    second relationships between the same two included.
    """
    types = "|".join(relation.value for relation in relations)
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (:Subject {{id: id}})-[rel:{types}]->(other:Subject)
        WHERE other.id IN $ids
        WITH rel ORDER BY startNode(rel).code, type(rel), endNode(rel).code
        RETURN collect({STEP}) AS steps
        """,
        ids=subject_ids,
    )
    steps: list[StepRow] = rows[0]["steps"]
    return steps
