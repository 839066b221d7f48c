"""A subject's statements and defence (Art. 37) on a measure or listing against it, shown with it, or on an agency's
notice before one is decided: those are shown with the listing or measure decided on the notice."""

import datetime
from typing import Any, Literal, TypedDict

from .connection import Store
from .predicate import published

STATEMENT = "st {entity: 'Statement', .id, .text, .at, subjectId: [(st)-[:BY]->(by:Subject) | by.id][0]}"
TargetLabel = Literal["Measure", "Listing", "Notice"]


class StatementRow(TypedDict):
    id: str
    text: str
    at: datetime.datetime
    subjectId: str


class TargetRow(TypedDict):
    """A measure, listing or agency's notice a statement would be about."""

    label: TargetLabel
    id: str
    subjectCode: str
    subjectId: str
    decisionId: str | None
    """A notice's: the listing or measure decided on it, if one was; null for a measure or listing."""


async def target(store: Store, target_id: str) -> TargetRow | None:
    """The measure, listing or agency's notice (PRE_MEASURE, PRE_LISTING) a statement would be about: its label, and
    its subject."""
    rows = await store.read(
        f"""
        MATCH (m:Measure {{id: $id}})-[:APPLIED_TO]->(s:Subject)
        WHERE {published("m")}
        RETURN m {{entity: 'Measure', label: 'Measure', .id, subjectCode: s.code, subjectId: s.id,
                  decisionId: null}} AS target
        UNION
        MATCH (l:Listing {{id: $id}})-[:OF]->(s:Subject)
        RETURN l {{entity: 'Listing', label: 'Listing', .id, subjectCode: s.code, subjectId: s.id,
                  decisionId: null}} AS target
        UNION
        MATCH (n:Notice {{id: $id}})-[:SERVED_ON]->(s:Subject)
        WHERE n.kind IN ['PRE_MEASURE', 'PRE_LISTING']
        RETURN n {{entity: 'Notice', label: 'Notice', .id, subjectCode: s.code, subjectId: s.id,
                  decisionId: [(n)<-[:AFTER_NOTICE]-(decided) | decided.id][0]}} AS target
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
    """Statements on each measure, listing or notice, oldest first: they are public with the measure or listing
    (Art. 37), which shows those made on the notice it was decided on as well."""
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        CALL (id) {{
            MATCH (st:Statement {{targetId: id}}) RETURN st
            UNION
            MATCH (:Listing {{id: id}})-[:AFTER_NOTICE]->(n:Notice) MATCH (st:Statement {{targetId: n.id}}) RETURN st
            UNION
            MATCH (:Measure {{id: id}})-[:AFTER_NOTICE]->(n:Notice) MATCH (st:Statement {{targetId: n.id}}) RETURN st
        }}
        WITH id, st ORDER BY st.at
        RETURN id, collect({STATEMENT}) AS statements
        """,
        ids=target_ids,
    )
    return {row["id"]: row["statements"] for row in rows}
