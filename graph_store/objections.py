"""Objections to records (Art. 32): filed by the subject, handled by the provider, decided once.

Each step locks the node it changes before it checks the state, so two
requests racing for the same step are serialized: one wins, the other finds
the state changed. The record shows `underObjection` while one is open.
"""

import datetime
import json
from typing import Any, TypedDict

from . import notices
from .connection import Store
from .record_versions import KEEP_CURRENT_VERSION, content_hash

OBJECTION = """o {entity: 'Objection', .id, .status, .reason, .receivedAt, .dueDate, .dueDateProvisional, .assisted,
    .reply, .decidedAt, recordId: r.id, subjectCode: r.subjectCode, providerCode: r.providerCode, noticeId: n.id,
    subjectId: [(o)-[:FILED_BY]->(filer:Subject) | filer.id][0]}"""


class ObjectionRow(TypedDict):
    id: str
    status: str
    reason: str
    receivedAt: datetime.datetime
    dueDate: datetime.date
    dueDateProvisional: bool
    assisted: bool
    reply: str | None
    decidedAt: datetime.datetime | None
    recordId: str
    subjectCode: str
    providerCode: str
    noticeId: str | None
    subjectId: str


async def file(store: Store, objection: dict[str, Any]) -> ObjectionRow | None:
    """Open an objection; None when the record already has an open one."""
    rows = await store.write(
        f"""
        MATCH (r:Record {{id: $objection.recordId}})
        SET r._lock = true REMOVE r._lock  // lock the record: a second filing waits, then sees this one
        WITH r
        WHERE NOT EXISTS {{ (r)<-[:CONCERNS]-(:Objection {{status: 'OPEN'}}) }}
        MATCH (s:Subject {{code: r.subjectCode}})
        CREATE (o:Objection {{id: $objection.id, status: 'OPEN', reason: $objection.reason,
                             receivedAt: $objection.receivedAt, dueDate: $objection.dueDate,
                             dueDateProvisional: $objection.dueDateProvisional, assisted: false}})
        CREATE (o)-[:CONCERNS]->(r)
        CREATE (o)-[:FILED_BY]->(s)
        SET r.underObjection = true
        WITH o, r
        OPTIONAL MATCH (o)<-[:ABOUT]-(n:Notice)
        RETURN {OBJECTION} AS objection
        """,
        objection=objection,
    )
    return rows[0]["objection"] if rows else None


async def by_id(store: Store, objection_id: str) -> ObjectionRow | None:
    rows = await store.read(
        f"""
        MATCH (o:Objection {{id: $id}})-[:CONCERNS]->(r:Record)
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
        MATCH (o:Objection {{id: $id}})-[:CONCERNS]->(r:Record)
        SET o._lock = true REMOVE o._lock  // lock first, then check
        WITH o, r WHERE o.status = 'OPEN'
        SET o.assisted = true, o.dueDate = $due, o.dueDateProvisional = $provisional
        WITH o, r
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
            MATCH (o:Objection {id: $id})-[:CONCERNS]->(r:Record)
            SET o._lock = true REMOVE o._lock  // lock first: of two deciders, the second sees the first's decision
            WITH o, r WHERE o.status = 'OPEN'
            SET o.status = $outcome, o.reply = $reply, o.decidedAt = $at, o.decidedBy = $actorId,
                r.underObjection = false
            RETURN r {.*} AS record
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
        if correction is not None:
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
    MATCH (o:Objection)-[:CONCERNS]->(r:Record)
    WHERE ($provider IS NULL OR r.providerCode = $provider) AND ($status IS NULL OR o.status = $status)
      AND ($overdueOn IS NULL OR (o.status = 'OPEN' AND o.dueDate < $overdueOn))
"""


async def count_for_handlers(
    store: Store, *, provider_code: str | None, status: str | None, overdue_on: datetime.date | None
) -> int:
    rows = await store.read(
        f"{HANDLED} RETURN count(o) AS total", provider=provider_code, status=status, overdueOn=overdue_on
    )
    return int(rows[0]["total"])


async def for_handlers(
    store: Store,
    *,
    provider_code: str | None,
    status: str | None,
    overdue_on: datetime.date | None,
    first: int,
    after: tuple[datetime.date, str] | None,
) -> list[ObjectionRow]:
    """Objections a handler sees (a provider: on its records; None: all), soonest due first."""
    rows = await store.read(
        f"""
        {HANDLED}
          AND ($afterDue IS NULL OR o.dueDate > $afterDue OR (o.dueDate = $afterDue AND o.id > $afterId))
        WITH o, r ORDER BY o.dueDate, o.id LIMIT $first
        OPTIONAL MATCH (o)<-[:ABOUT]-(n:Notice)
        RETURN {OBJECTION} AS objection
        """,
        provider=provider_code,
        status=status,
        overdueOn=overdue_on,
        first=first,
        afterDue=after[0] if after else None,
        afterId=after[1] if after else None,
    )
    return [row["objection"] for row in rows]
