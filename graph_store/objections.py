"""Objections (Art. 32): filed by a subject on a record, listing, measure or provider, handled by whoever the law
names for it, decided once.

Each step locks the node it changes before it checks the state, so two
requests racing for the same step are serialized: one wins, the other finds
the state changed. A record, listing or measure shows `underObjection` while one is open on it (Art. 32 ¶3).
"""

import datetime
import json
from typing import Any, Literal, TypedDict

from . import notices
from .connection import Store
from .predicate import Predicate, published
from .record_versions import KEEP_CURRENT_VERSION, content_hash

OBJECTION = """o {entity: 'Objection', .id, .status, .kind, .targetKind, .reason, .receivedAt, .dueDate,
    .dueDateProvisional, .assisted, .reply, .decidedAt, .subjectCode, .handlerCode,
    recordId: CASE WHEN t:Record THEN t.id END, listingId: CASE WHEN t:Listing THEN t.id END,
    measureId: CASE WHEN t:Measure THEN t.id END, providerCode: CASE WHEN t:Provider THEN t.code END,
    providerId: CASE WHEN t:Provider THEN t.id END, noticeId: n.id,
    subjectId: [(o)-[:FILED_BY]->(filer:Subject) | filer.id][0]}"""


class ObjectionRow(TypedDict):
    id: str
    status: str
    kind: str
    targetKind: str
    reason: str
    receivedAt: datetime.datetime
    dueDate: datetime.date
    dueDateProvisional: bool
    assisted: bool
    reply: str | None
    decidedAt: datetime.datetime | None
    subjectCode: str
    """The subject that filed it."""
    handlerCode: str
    """The provider or agency that decides it: the record's provider, the listing's or measure's agency, the provider
    objected to."""
    recordId: str | None
    listingId: str | None
    measureId: str | None
    providerCode: str | None
    providerId: str | None
    noticeId: str | None
    subjectId: str


TargetLabel = Literal["Record", "Listing", "Measure", "Provider"]


class TargetRow(TypedDict):
    """What an objection would be about, as the policy and the filing need it."""

    id: str
    subjectCode: str | None
    """The subject it is about (none for a provider)."""
    handlerCode: str


TARGETS: dict[TargetLabel, str] = {
    "Listing": """MATCH (t:Listing {id: $key})-[:OF]->(s:Subject)
                  RETURN t {.id, subjectCode: s.code, handlerCode: t.decidedByCode} AS target""",
    "Measure": f"""MATCH (t:Measure {{id: $key}})-[:APPLIED_TO]->(s:Subject) WHERE {published("t")}
                   RETURN t {{.id, subjectCode: s.code, handlerCode: t.implementedByCode}} AS target""",
    "Provider": f"""MATCH (t:Provider {{code: $key}}) WHERE {published("t")}
                    RETURN {{id: t.code, subjectCode: null, handlerCode: t.code}} AS target""",
}


async def target(store: Store, label: TargetLabel, key: str) -> TargetRow | None:
    """The listing, measure or provider named (a record is read through the viewer's filter instead)."""
    rows = await store.read(TARGETS[label], key=key)
    return rows[0]["target"] if rows else None


async def file(store: Store, label: TargetLabel, objection: dict[str, Any]) -> ObjectionRow | None:
    """Open an objection; None when its subject already has an open one on the same target."""
    key = "code" if label == "Provider" else "id"
    rows = await store.write(
        f"""
        MATCH (t:{label} {{{key}: $objection.targetId}})
        SET t._lock = true REMOVE t._lock  // lock the target: a second filing waits, then sees this one
        WITH t
        WHERE NOT EXISTS {{ (t)<-[:CONCERNS]-(:Objection {{status: 'OPEN', subjectCode: $objection.subjectCode}}) }}
        MATCH (s:Subject {{code: $objection.subjectCode}})
        CREATE (o:Objection {{id: $objection.id, status: 'OPEN', kind: $objection.kind,
                             targetKind: $objection.targetKind, reason: $objection.reason,
                             receivedAt: $objection.receivedAt, dueDate: $objection.dueDate,
                             dueDateProvisional: $objection.dueDateProvisional, assisted: false,
                             subjectCode: $objection.subjectCode, handlerCode: $objection.handlerCode}})
        CREATE (o)-[:CONCERNS]->(t)
        CREATE (o)-[:FILED_BY]->(s)
        FOREACH (flagged IN CASE WHEN t:Provider THEN [] ELSE [t] END | SET flagged.underObjection = true)
        WITH o, t
        OPTIONAL MATCH (o)<-[:ABOUT]-(n:Notice)
        RETURN {OBJECTION} AS objection
        """,
        objection=objection,
    )
    return rows[0]["objection"] if rows else None


async def by_id(store: Store, objection_id: str) -> ObjectionRow | None:
    rows = await store.read(
        f"""
        MATCH (o:Objection {{id: $id}})-[:CONCERNS]->(t)
        OPTIONAL MATCH (o)<-[:ABOUT]-(n:Notice)
        RETURN {OBJECTION} AS objection
        """,
        id=objection_id,
    )
    return rows[0]["objection"] if rows else None


async def extend(store: Store, objection_id: str, due: datetime.date, provisional: bool) -> ObjectionRow | None:
    """Other units help verify: 5 working days instead of 3. None when it is no longer open."""
    rows = await store.write(
        f"""
        MATCH (o:Objection {{id: $id}})-[:CONCERNS]->(t)
        SET o._lock = true REMOVE o._lock  // lock first, then check
        WITH o, t WHERE o.status = 'OPEN'
        SET o.assisted = true, o.dueDate = $due, o.dueDateProvisional = $provisional
        WITH o, t
        OPTIONAL MATCH (o)<-[:ABOUT]-(n:Notice)
        RETURN {OBJECTION} AS objection
        """,
        id=objection_id,
        due=due,
        provisional=provisional,
    )
    return rows[0]["objection"] if rows else None


async def decide(
    store: Store,
    objection_id: str,
    *,
    outcome: str,
    reply: str,
    correction: dict[str, Any] | None,
    notice: dict[str, Any],
    actor_id: str,
    at: datetime.datetime,
) -> ObjectionRow | None:
    """Close an open objection, correct the record if it was upheld with a correction, serve the written result.

    One transaction: all of it, or (None) nothing when someone decided first.
    """
    async with store.transaction() as tx:
        decided = await tx.run(
            """
            MATCH (o:Objection {id: $id})-[:CONCERNS]->(t)
            SET o._lock = true REMOVE o._lock  // lock first: of two deciders, the second sees the first's decision
            WITH o, t WHERE o.status = 'OPEN'
            SET o.status = $outcome, o.reply = $reply, o.decidedAt = $at, o.decidedBy = $actorId
            FOREACH (flagged IN CASE WHEN t:Provider THEN [] ELSE [t] END | SET flagged.underObjection = false)
            RETURN CASE WHEN t:Record THEN t {.*} END AS record
            """,
            id=objection_id,
            outcome=outcome,
            reply=reply,
            at=at,
            actorId=actor_id,
        )
        if not decided:
            return None  # nothing changed: the lock alone is committed
        record = decided[0]["record"]
        if correction is not None and record is not None:  # only an objection to a record corrects one
            documents = await tx.run(
                "MATCH (:Record {id: $id})-[:BASED_ON]->(d:Document) RETURN d.id AS id", id=record["id"]
            )
            state = {**record, **correction, "documentIds": [row["id"] for row in documents]}
            await tx.run(
                f"""
                MATCH (r:Record {{id: $recordId}})
                {KEEP_CURRENT_VERSION}
                SET r.title = $title, r.content = $content, r.contentHash = $hash, r.version = r.version + 1,
                    r.versionAt = $at, r.versionActorId = $actorId, r.versionReason = $reason
                """,
                recordId=record["id"],
                title=correction["title"],
                content=json.dumps(correction["content"], ensure_ascii=False, sort_keys=True),
                hash=content_hash(state),
                at=at,
                actorId=actor_id,
                reason=f"objection {objection_id} upheld: {reply}",
            )
        await notices.serve(tx, "Objection", objection_id, notice, at)
    return await by_id(store, objection_id)


HANDLED = """
    MATCH (o:Objection)-[:CONCERNS]->(t)
    WHERE HANDLED_FILTER AND ($status IS NULL OR o.status = $status)
      AND ($overdueOn IS NULL OR (o.status = 'OPEN' AND o.dueDate < $overdueOn))
"""


async def count_for_handlers(
    store: Store, handles: Predicate, *, status: str | None, overdue_on: datetime.date | None
) -> int:
    query, params = handles.within(HANDLED, "HANDLED_FILTER")
    rows = await store.read(f"{query} RETURN count(o) AS total", status=status, overdueOn=overdue_on, **params)
    return int(rows[0]["total"])


async def for_handlers(
    store: Store,
    handles: Predicate,
    *,
    status: str | None,
    overdue_on: datetime.date | None,
    first: int,
    after: tuple[datetime.date, str] | None,
) -> list[ObjectionRow]:
    """The objections the viewer handles (`handles`, the policy's rule over `o`), soonest due first."""
    query, params = handles.within(HANDLED, "HANDLED_FILTER")
    rows = await store.read(
        f"""
        {query}
          AND ($afterDue IS NULL OR o.dueDate > $afterDue OR (o.dueDate = $afterDue AND o.id > $afterId))
        WITH o, t ORDER BY o.dueDate, o.id LIMIT $first
        OPTIONAL MATCH (o)<-[:ABOUT]-(n:Notice)
        RETURN {OBJECTION} AS objection
        """,
        status=status,
        overdueOn=overdue_on,
        first=first,
        afterDue=after[0] if after else None,
        afterId=after[1] if after else None,
        **params,
    )
    return [row["objection"] for row in rows]


FILED = """
    MATCH (:Subject {code: $subjectCode})<-[:FILED_BY]-(o:Objection)-[:CONCERNS]->(t)
    WHERE ($status IS NULL OR o.status = $status)
"""


async def count_filed_by(store: Store, subject_code: str, *, status: str | None) -> int:
    rows = await store.read(f"{FILED} RETURN count(o) AS total", subjectCode=subject_code, status=status)
    return int(rows[0]["total"])


async def filed_by(
    store: Store, subject_code: str, *, status: str | None, first: int, after: tuple[datetime.datetime, str] | None
) -> list[ObjectionRow]:
    """A subject's own objections, newest first."""
    rows = await store.read(
        f"""
        {FILED}
          AND ($afterAt IS NULL OR o.receivedAt < $afterAt OR (o.receivedAt = $afterAt AND o.id < $afterId))
        WITH o, t ORDER BY o.receivedAt DESC, o.id DESC LIMIT $first
        OPTIONAL MATCH (o)<-[:ABOUT]-(n:Notice)
        RETURN {OBJECTION} AS objection
        """,
        subjectCode=subject_code,
        status=status,
        first=first,
        afterAt=after[0] if after else None,
        afterId=after[1] if after else None,
    )
    return [row["objection"] for row in rows]
