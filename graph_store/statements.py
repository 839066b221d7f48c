"""A subject's statements and defence on a measure or listing against it (Art. 37), shown with it."""

import datetime
from typing import Any, Literal, TypedDict

from .connection import Store

STATEMENT = "st {entity: 'Statement', .id, .text, .at, subjectId: [(st)-[:BY]->(by:Subject) | by.id][0]}"
TargetLabel = Literal["Measure", "Listing"]


class StatementRow(TypedDict):
    id: str
    text: str
    at: datetime.datetime
    subjectId: str


class TargetRow(TypedDict):
    """A measure or listing a statement would be about."""

    label: TargetLabel
    id: str
    subjectCode: str
    subjectId: str


async def target(store: Store, target_id: str) -> TargetRow | None:
    """The measure or listing a statement would be about: its label, and its subject."""
    rows = await store.read(
        """
        MATCH (m:Measure {id: $id})-[:APPLIED_TO]->(s:Subject)
        RETURN m {entity: 'Measure', label: 'Measure', .id, subjectCode: s.code, subjectId: s.id} AS target
        UNION
        MATCH (l:Listing {id: $id})-[:OF]->(s:Subject)
        RETURN l {entity: 'Listing', label: 'Listing', .id, subjectCode: s.code, subjectId: s.id} AS target
        """,
        id=target_id,
    )
    return rows[0]["target"] if rows else None


async def add(store: Store, label: TargetLabel, statement: dict[str, Any], at: datetime.datetime) -> StatementRow:
    rows = await store.write(
        f"""
        MATCH (t:{label} {{id: $statement.targetId}})
        MATCH (s:Subject {{id: $statement.subjectId}})
        CREATE (st:Statement {{id: $statement.id, targetId: t.id, text: $statement.text, at: $at,
                              actorId: $statement.actorId}})
        CREATE (st)-[:ON]->(t)
        CREATE (st)-[:BY]->(s)
        RETURN {STATEMENT} AS statement
        """,
        statement=statement,
        at=at,
    )
    added: StatementRow = rows[0]["statement"]
    return added


async def by_id(store: Store, statement_id: str) -> StatementRow | None:
    rows = await store.read(f"MATCH (st:Statement {{id: $id}}) RETURN {STATEMENT} AS statement", id=statement_id)
    return rows[0]["statement"] if rows else None


async def on_targets(store: Store, target_ids: list[str]) -> dict[str, list[StatementRow]]:
    """Statements on each measure or listing, oldest first: they are public with it (Art. 37)."""
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (st:Statement {{targetId: id}})
        WITH id, st ORDER BY st.at
        RETURN id, collect({STATEMENT}) AS statements
        """,
        ids=target_ids,
    )
    return {row["id"]: row["statements"] for row in rows}
