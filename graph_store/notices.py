"""Written notices served on subjects (Arts. 23, 24, 32, 36): the result of what they asked for, kept for good."""

import datetime
from typing import Any, Literal

import neo4j

from .connection import Row, Store, run

NOTICE = "n {.id, .kind, .text, .servedAt}"


async def serve(
    tx: neo4j.AsyncTransaction,
    about: Literal["Objection", "RepairApplication"],
    about_id: str,
    notice: dict[str, Any],
    at: datetime.datetime,
) -> None:
    """Serve a notice, inside the caller's transaction, on whoever filed the objection or application it answers."""
    await run(
        tx,
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


async def by_id(store: Store, ids: list[str]) -> dict[str, Row]:
    rows = await store.read(f"UNWIND $ids AS id MATCH (n:Notice {{id: id}}) RETURN id, {NOTICE} AS notice", ids=ids)
    return {row["id"]: row["notice"] for row in rows}


async def served_on(store: Store, subject_code: str) -> list[Row]:
    """Every written notice served on a subject, newest first."""
    rows = await store.read(
        f"""
        MATCH (:Subject {{code: $code}})<-[:SERVED_ON]-(n:Notice)
        RETURN {NOTICE} AS notice ORDER BY n.servedAt DESC, n.id
        """,
        code=subject_code,
    )
    return [row["notice"] for row in rows]
