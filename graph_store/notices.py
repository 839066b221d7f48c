"""Written notices served on subjects, kept for good: the result of what they asked for (Arts. 32, 36), a legal
document a record about them rests on revoked or changed (Art. 34), and an agency's notice before a measure or a
listing (Arts. 23-24), naming the records it relies on.

An agency's notice opens the subject's defence (Arts. 24, 37): `defenceUntil` is its last day, `defenceWaivedAt`
when the subject gave up the rest in writing, `decidedAt` when the listing or measure it announced was decided on it
(one decision per notice: `claim_for_decision`)."""

import datetime
from typing import Any, Literal, TypedDict

from .connection import Store, Transaction
from .predicate import published

NOTICE = """n {entity: 'Notice', .id, .kind, .text, .servedAt, .ground, .basis, .removalConditions, .rights,
    .defenceUntil, .defenceUntilProvisional, .defenceWaivedAt,
    servedById: p.id, subjectId: [(n)-[:SERVED_ON]->(served:Subject) | served.id][0]}"""
WITH_SERVER = "OPTIONAL MATCH (n)-[:SERVED_BY]->(p:Provider)"


class NoticeRow(TypedDict):
    """NOTICE: the fields after `servedAt` belong to an agency's notice; the result of an objection or application
    has them null."""

    id: str
    kind: str
    text: str
    servedAt: datetime.datetime
    ground: str | None
    basis: str | None
    removalConditions: str | None
    rights: str | None
    defenceUntil: datetime.date | None
    defenceUntilProvisional: bool | None
    defenceWaivedAt: datetime.datetime | None
    servedById: str | None
    subjectId: str


class ServedNoticeRow(TypedDict):
    """What an agency's next step checks of a notice it served (`served_before_acting`)."""

    id: str
    kind: str
    ground: str | None
    basis: str | None
    removalConditions: str | None
    servedAt: datetime.datetime
    defenceUntil: datetime.date | None
    defenceWaivedAt: datetime.datetime | None
    decisionId: str | None
    """The listing or measure decided on the notice, if one was."""
    subjectId: str
    servedByCode: str | None
    recordIds: list[str]


async def serve(
    tx: Transaction,
    about: Literal["Objection", "RepairApplication"],
    about_id: str,
    notice: dict[str, Any],
    at: datetime.datetime,
) -> None:
    """Serve a notice, inside the caller's transaction, on whoever filed the objection or application it answers."""
    await tx.run(
        f"""
        MATCH (target:{about} {{id: $aboutId}})-[:FILED_BY]->(s:Subject)
        CREATE (n:Notice {{id: $notice.id, kind: $notice.kind, text: $notice.text, servedAt: $at}})
        CREATE (n)-[:SERVED_ON]->(s)
        CREATE (n)-[:ABOUT]->(target)
        """,
        aboutId=about_id,
        notice=notice,
        at=at,
    )


async def serve_on_document_subjects(
    tx: Transaction, document_id: str, *, kind: str, text: str, at: datetime.datetime
) -> None:
    """Serve a notice, inside the caller's transaction, on each subject of a record based on a revoked or changed
    document (Art. 34), naming that subject's records based on it."""
    await tx.run(
        f"""
        MATCH (d:Document {{id: $id}})<-[:BASED_ON]-(r:Record)-[:ABOUT]->(s:Subject)
        WHERE {published("r")}
        WITH d, s, collect(r) AS records
        CREATE (n:Notice {{id: 'NOT-' + toUpper(substring(replace(randomUUID(), '-', ''), 0, 16)), kind: $kind,
                          text: $noticeText, servedAt: $at}})
        CREATE (n)-[:SERVED_ON]->(s)
        CREATE (n)-[:ABOUT]->(d)
        WITH n, records
        UNWIND records AS r
        CREATE (n)-[:NAMES]->(r)
        """,
        id=document_id,
        kind=kind,
        noticeText=text,
        at=at,
    )


async def serve_before_acting(store: Store, notice: dict[str, Any], at: datetime.datetime) -> NoticeRow:
    """An agency's written notice to a subject, naming the records it relies on (Arts. 23-24)."""
    rows = await store.write(
        f"""
        MATCH (s:Subject {{id: $notice.subjectId}})
        MATCH (p:Provider {{code: $notice.servedByCode}})
        CREATE (n:Notice {{id: $notice.id, kind: $notice.kind, text: $notice.text, servedAt: $at,
                          ground: $notice.ground, basis: $notice.basis,
                          removalConditions: $notice.removalConditions, rights: $notice.rights,
                          defenceUntil: $notice.defenceUntil,
                          defenceUntilProvisional: $notice.defenceUntilProvisional}})
        CREATE (n)-[:SERVED_ON]->(s)
        CREATE (n)-[:SERVED_BY]->(p)
        WITH n, p
        CALL (n) {{
            UNWIND $notice.recordIds AS recordId
            MATCH (r:Record {{id: recordId}})
            CREATE (n)-[:NAMES]->(r)
        }}
        RETURN {NOTICE} AS notice
        """,
        notice=notice,
        at=at,
    )
    served: NoticeRow = rows[0]["notice"]
    return served


async def served_before_acting(store: Store, notice_id: str) -> ServedNoticeRow | None:
    """A notice with what an agency's next step checks: on whom, by whom, which records."""
    rows = await store.read(
        """
        MATCH (n:Notice {id: $id})-[:SERVED_ON]->(s:Subject)
        OPTIONAL MATCH (n)-[:SERVED_BY]->(p:Provider)
        RETURN n {.id, .kind, .ground, .basis, .removalConditions, .servedAt, .defenceUntil, .defenceWaivedAt,
                  decisionId: [(n)<-[:AFTER_NOTICE]-(decided) | decided.id][0], subjectId: s.id, servedByCode: p.code,
                  recordIds: COLLECT { MATCH (n)-[:NAMES]->(r:Record) RETURN r.id }} AS notice
        """,
        id=notice_id,
    )
    return rows[0]["notice"] if rows else None


class DefenceRow(TypedDict):
    """An agency's notice as its subject's defence sees it (`defence`)."""

    id: str
    kind: str
    servedAt: datetime.datetime
    defenceUntil: datetime.date | None
    defenceWaivedAt: datetime.datetime | None
    decisionId: str | None
    subjectCode: str
    subjectId: str


async def defence(store: Store, notice_id: str) -> DefenceRow | None:
    """An agency's notice (PRE_MEASURE, PRE_LISTING) with its defence period; None for any other id."""
    rows = await store.read(
        """
        MATCH (n:Notice {id: $id})-[:SERVED_ON]->(s:Subject)
        WHERE n.kind IN ['PRE_MEASURE', 'PRE_LISTING']
        RETURN n {entity: 'Notice', .id, .kind, .servedAt, .defenceUntil, .defenceWaivedAt,
                  decisionId: [(n)<-[:AFTER_NOTICE]-(decided) | decided.id][0],
                  subjectCode: s.code, subjectId: s.id} AS notice
        """,
        id=notice_id,
    )
    return rows[0]["notice"] if rows else None


async def claim_for_decision(store: Store, notice_id: str, at: datetime.datetime) -> bool:
    """Mark a notice decided, in the caller's unit, before the listing or measure is written on it; False when it
    already was (a second decider waits for the first, then sees it)."""
    rows = await store.write(
        """
        MATCH (n:Notice {id: $id})
        SET n._lock = true REMOVE n._lock
        WITH n WHERE n.decidedAt IS NULL
        SET n.decidedAt = $at
        RETURN n.id AS id
        """,
        id=notice_id,
        at=at,
    )
    return bool(rows)


async def waive_defence(store: Store, notice_id: str, *, actor_id: str, at: datetime.datetime) -> bool:
    """The subject gives up the rest of its defence period; False when it already had, or the notice was decided."""
    rows = await store.write(
        """
        MATCH (n:Notice {id: $id})
        SET n._lock = true REMOVE n._lock
        WITH n WHERE n.defenceWaivedAt IS NULL AND n.decidedAt IS NULL
        SET n.defenceWaivedAt = $at, n.defenceWaivedBy = $actorId
        RETURN n.id AS id
        """,
        id=notice_id,
        actorId=actor_id,
        at=at,
    )
    return bool(rows)


async def by_id(store: Store, ids: list[str]) -> dict[str, NoticeRow]:
    rows = await store.read(
        f"UNWIND $ids AS id MATCH (n:Notice {{id: id}}) {WITH_SERVER} RETURN id, {NOTICE} AS notice", ids=ids
    )
    return {row["id"]: row["notice"] for row in rows}


async def named_records(store: Store, notice_ids: list[str]) -> dict[str, list[str]]:
    """The ids of the records each notice names, for the loaders to read through the viewer's filter."""
    rows = await store.read(
        """
        UNWIND $ids AS id
        MATCH (:Notice {id: id})-[:NAMES]->(r:Record)
        WITH id, r ORDER BY r.id
        RETURN id, collect(r.id) AS recordIds
        """,
        ids=notice_ids,
    )
    return {row["id"]: row["recordIds"] for row in rows}


async def served_on(store: Store, subject_code: str) -> list[NoticeRow]:
    """Every written notice served on a subject, newest first."""
    rows = await store.read(
        f"""
        MATCH (:Subject {{code: $code}})<-[:SERVED_ON]-(n:Notice)
        {WITH_SERVER}
        RETURN {NOTICE} AS notice ORDER BY n.servedAt DESC, n.id
        """,
        code=subject_code,
    )
    return [row["notice"] for row in rows]
