"""Credit repair (Art. 36): an application per record, decided once; approval stops disclosure at once.

Approving marks the record REPAIRED (a new version saying why) and ends the
punitive measures based on it today, keeping their original end, and a listing
resting on no other active record (graph_store/listings.py, `end_with_records`).
"""

import datetime
from typing import Any, TypedDict

from . import listings, measures, notices
from .connection import Store
from .predicate import Predicate, published
from .record_versions import KEEP_CURRENT_VERSION

APPLICATION = """a {entity: 'RepairApplication', .id, .status, .statement, .evidence, .appliedAt, .dueDate,
    .dueDateProvisional, .decidedAt, .reason, recordId: r.id, subjectCode: r.subjectCode,
    providerCode: r.providerCode, noticeId: n.id,
    subjectId: [(a)-[:FILED_BY]->(filer:Subject) | filer.id][0]}"""


class ApplicationRow(TypedDict):
    id: str
    status: str
    statement: str
    evidence: list[str]
    appliedAt: datetime.datetime
    dueDate: datetime.date
    dueDateProvisional: bool
    decidedAt: datetime.datetime | None
    reason: str | None
    recordId: str
    subjectCode: str
    providerCode: str
    noticeId: str | None
    subjectId: str


async def apply(store: Store, application: dict[str, Any]) -> ApplicationRow | None:
    """File an application; None when the record already has a pending one."""
    rows = await store.write(
        f"""
        MATCH (r:Record {{id: $application.recordId}})
        SET r._lock = true REMOVE r._lock  // lock first: a second application waits, then sees this one
        WITH r
        WHERE NOT EXISTS {{ (r)<-[:FOR]-(:RepairApplication {{status: 'PENDING'}}) }}
        MATCH (s:Subject {{code: r.subjectCode}})
        CREATE (a:RepairApplication {{id: $application.id, status: 'PENDING', statement: $application.statement,
                                     evidence: $application.evidence, appliedAt: $application.appliedAt,
                                     dueDate: $application.dueDate,
                                     dueDateProvisional: $application.dueDateProvisional}})
        CREATE (a)-[:FOR]->(r)
        CREATE (a)-[:FILED_BY]->(s)
        WITH a, r
        OPTIONAL MATCH (a)<-[:ABOUT]-(n:Notice)
        RETURN {APPLICATION} AS application
        """,
        application=application,
    )
    return rows[0]["application"] if rows else None


async def by_id(store: Store, application_id: str) -> ApplicationRow | None:
    rows = await store.read(
        f"""
        MATCH (a:RepairApplication {{id: $id}})-[:FOR]->(r:Record)
        OPTIONAL MATCH (a)<-[:ABOUT]-(n:Notice)
        RETURN {APPLICATION} AS application
        """,
        id=application_id,
    )
    return rows[0]["application"] if rows else None


async def decide(
    store: Store,
    application_id: str,
    *,
    approve: bool,
    reason: str,
    notice: dict[str, Any],
    actor_id: str,
    at: datetime.datetime,
) -> ApplicationRow | None:
    """Decide a pending application in one transaction; None when it was decided first by someone else."""
    async with store.transaction() as tx:
        decided = await tx.run(
            """
            MATCH (a:RepairApplication {id: $id})-[:FOR]->(r:Record)
            SET a._lock = true REMOVE a._lock
            WITH a, r WHERE a.status = 'PENDING'
            SET a.status = $status, a.reason = $reason, a.decidedAt = $at, a.decidedBy = $actorId
            RETURN r.id AS recordId
            """,
            id=application_id,
            status="APPROVED" if approve else "REJECTED",
            reason=reason,
            at=at,
            actorId=actor_id,
        )
        if not decided:
            return None
        if approve:
            why = f"credit repair {application_id} approved (Art. 36): {reason}"
            repaired = await tx.run(
                f"""
                MATCH (r:Record {{id: $recordId}})
                {KEEP_CURRENT_VERSION}
                SET r.status = 'REPAIRED', r.version = r.version + 1, r.versionAt = $at,
                    r.versionActorId = $actorId, r.versionReason = $why
                WITH r
                RETURN COLLECT {{
                    MATCH (m:Measure {{type: 'PUNITIVE'}})-[:BECAUSE_OF]->(r)
                    RETURN CASE WHEN {published("m")} THEN m {{entity: 'Measure', .id}} ELSE m {{.id}} END
                }} AS measures
                """,
                recordId=decided[0]["recordId"],
                at=at,
                actorId=actor_id,
                why=why,
            )
            # One an unpublished import staged ends too (published, it would rest on a repaired record), but untagged:
            # the change's access-log entry names it for good, and no read shows it (graph_store/predicate.py).
            ended = [measure["id"] for measure in repaired[0]["measures"]]
            # The measure's reason is public with it: no ids, no free text (the record's version keeps both).
            await measures.end_early(tx, ended, why="a record it rested on was repaired (Art. 36)", at=at)
            await listings.end_with_records(tx, [decided[0]["recordId"]], actor_id=actor_id, at=at)
        await notices.serve(tx, "RepairApplication", application_id, notice, at)
    return await by_id(store, application_id)


HANDLED = """
    MATCH (a:RepairApplication)-[:FOR]->(r:Record)
    WHERE HANDLED_FILTER AND ($status IS NULL OR a.status = $status)
      AND ($overdueOn IS NULL OR (a.status = 'PENDING' AND a.dueDate < $overdueOn))
"""


async def count_for_handlers(
    store: Store, handles: Predicate, *, status: str | None, overdue_on: datetime.date | None
) -> int:
    query, params = handles.within(HANDLED, "HANDLED_FILTER")
    rows = await store.read(f"{query} RETURN count(a) AS total", status=status, overdueOn=overdue_on, **params)
    return int(rows[0]["total"])


async def for_handlers(
    store: Store,
    handles: Predicate,
    *,
    status: str | None,
    overdue_on: datetime.date | None,
    first: int,
    after: tuple[datetime.date, str] | None,
) -> list[ApplicationRow]:
    """Applications on the records the viewer decides repairs of (`handles`, over `r`), soonest due first."""
    query, params = handles.within(HANDLED, "HANDLED_FILTER")
    rows = await store.read(
        f"""
        {query}
          AND ($afterDue IS NULL OR a.dueDate > $afterDue OR (a.dueDate = $afterDue AND a.id > $afterId))
        WITH a, r ORDER BY a.dueDate, a.id LIMIT $first
        OPTIONAL MATCH (a)<-[:ABOUT]-(n:Notice)
        RETURN {APPLICATION} AS application
        """,
        status=status,
        overdueOn=overdue_on,
        first=first,
        afterDue=after[0] if after else None,
        afterId=after[1] if after else None,
        **params,
    )
    return [row["application"] for row in rows]


FILED = """
    MATCH (:Subject {code: $subjectCode})<-[:FILED_BY]-(a:RepairApplication)-[:FOR]->(r:Record)
    WHERE ($status IS NULL OR a.status = $status)
"""


async def count_filed_by(store: Store, subject_code: str, *, status: str | None) -> int:
    rows = await store.read(f"{FILED} RETURN count(a) AS total", subjectCode=subject_code, status=status)
    return int(rows[0]["total"])


async def filed_by(
    store: Store, subject_code: str, *, status: str | None, first: int, after: tuple[datetime.datetime, str] | None
) -> list[ApplicationRow]:
    """A subject's own applications, newest first."""
    rows = await store.read(
        f"""
        {FILED}
          AND ($afterAt IS NULL OR a.appliedAt < $afterAt OR (a.appliedAt = $afterAt AND a.id < $afterId))
        WITH a, r ORDER BY a.appliedAt DESC, a.id DESC LIMIT $first
        OPTIONAL MATCH (a)<-[:ABOUT]-(n:Notice)
        RETURN {APPLICATION} AS application
        """,
        subjectCode=subject_code,
        status=status,
        first=first,
        afterAt=after[0] if after else None,
        afterId=after[1] if after else None,
    )
    return [row["application"] for row in rows]
