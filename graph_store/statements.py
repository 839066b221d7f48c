"""A subject's statements and defence on a measure taken against it (Art. 37), shown with the measure."""

import datetime
from typing import Any

from .connection import Row, Store

STATEMENT = "st {.id, .text, .at}"


async def measure_target(store: Store, measure_id: str) -> Row | None:
    rows = await store.read(
        """
        MATCH (m:Measure {id: $id})-[:APPLIED_TO]->(s:Subject)
        RETURN m.id AS id, s.code AS subjectCode, s.id AS subjectId
        """,
        id=measure_id,
    )
    return rows[0] if rows else None


async def add(store: Store, statement: dict[str, Any], at: datetime.datetime) -> Row:
    rows = await store.write(
        f"""
        MATCH (m:Measure {{id: $statement.targetId}})-[:APPLIED_TO]->(s:Subject)
        CREATE (st:Statement {{id: $statement.id, text: $statement.text, at: $at, actorId: $statement.actorId}})
        CREATE (st)-[:ON]->(m)
        CREATE (st)-[:BY]->(s)
        RETURN {STATEMENT} AS statement
        """,
        statement=statement,
        at=at,
    )
    return rows[0]["statement"]


async def by_id(store: Store, statement_id: str) -> Row | None:
    rows = await store.read(f"MATCH (st:Statement {{id: $id}}) RETURN {STATEMENT} AS statement", id=statement_id)
    return rows[0]["statement"] if rows else None


async def on_targets(store: Store, target_ids: list[str]) -> dict[str, list[Row]]:
    """Statements on each measure, oldest first: they are public with the measure (Art. 37)."""
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (:Measure {{id: id}})<-[:ON]-(st:Statement)
        WITH id, st ORDER BY st.at
        RETURN id, collect({STATEMENT}) AS statements
        """,
        ids=target_ids,
    )
    return {row["id"]: row["statements"] for row in rows}
