"""The access log in Neo4j: an append-only chain of entries, one per request (Arts. 21, 31).

Appending locks the single `AccessLogHead` node, so writers from any number of
API processes take turns and the chain stays linear: each entry gets the next
`seq` and the previous entry's hash. How a hash is computed is the caller's
(authz); this module only keeps the chain in order. Nothing here updates or
deletes an entry.
"""

import datetime
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from .connection import Row, Store
from .errors import StoreUnavailable

ENTRY_FIELDS = (
    "seq", "at", "requestId", "actorId", "actorName", "unit", "role", "purpose",
    "operation", "decision", "subjectIds", "recordIds", "prevHash",
)  # fmt: skip
"""What an entry's hash covers, besides the hash itself."""

HEAD = """
    MERGE (head:AccessLogHead {id: 'main'})
      ON CREATE SET head.seq = 0, head.hash = ''
    RETURN head.seq AS seq, head.hash AS hash
"""

APPEND = """
    MATCH (head:AccessLogHead {id: 'main'})
    SET head.lockedBy = $requestId
    WITH head
    WHERE head.seq = $after
    SET head.seq = $last.seq, head.hash = $last.hash
    WITH head
    CALL () {
        UNWIND $entries AS fields
        CREATE (entry:AccessLogEntry)
        SET entry = fields
        WITH entry, fields
        UNWIND fields.subjectIds AS subjectId
        MATCH (s:Subject {id: subjectId})
        CREATE (entry)-[:TOUCHED]->(s)
    }
    RETURN head.seq AS seq
"""
"""Appends only if the head is still where the caller last saw it. Setting `lockedBy` takes the head's lock
first, so the seq compared is the one committed by whoever wrote before."""

MAX_ATTEMPTS = 10


@dataclass(frozen=True)
class Head:
    """Where the chain ends: the last entry's seq and hash (0 and '' before the first)."""

    seq: int
    hash: str


async def current_head(store: Store) -> Head:
    """Read from the leader, as a write would, so it is never behind what another process committed."""
    row = (await store.write_once(HEAD))[0]
    return Head(row["seq"], row["hash"])


def chained(batch: list[dict[str, Any]], after: Head, seal: Callable[[dict[str, Any]], str]) -> list[dict[str, Any]]:
    seq, previous, entries = after.seq, after.hash, []
    for fields in batch:
        seq += 1
        entry = {**fields, "seq": seq, "prevHash": previous}
        entry["hash"] = previous = seal(entry)
        entries.append(entry)
    return entries


async def append(
    store: Store, batch: list[dict[str, Any]], seal: Callable[[dict[str, Any]], str], after: Head | None = None
) -> list[dict[str, Any]]:
    """Add entries after the last one, in order, in one auto-commit query; `seal` computes each hash from its
    fields (prevHash included).

    `after` is where the caller believes the chain ends (the head its last append left). When another process
    appended meanwhile, nothing is written: the head is read again and the batch sealed anew. Committed before
    this returns: the callers answer their clients only afterwards.
    """
    head = after or await current_head(store)
    for _ in range(MAX_ATTEMPTS):
        entries = chained(batch, head, seal)
        last = {"seq": entries[-1]["seq"], "hash": entries[-1]["hash"]}
        if await store.write_once(APPEND, requestId=batch[0]["requestId"], after=head.seq, entries=entries, last=last):
            return entries
        head = await current_head(store)
    raise StoreUnavailable(f"the access log's head moved {MAX_ATTEMPTS} times in a row: too many writers at once")


async def entries_in_order(store: Store, batch: int = 5000) -> AsyncIterator[Row]:
    """Every entry by seq, read in batches; gaps in seq are visible to the caller."""
    after = 0
    while True:
        rows = await store.read(
            """
            MATCH (entry:AccessLogEntry) WHERE entry.seq > $after
            WITH entry ORDER BY entry.seq LIMIT $batch
            RETURN properties(entry) AS entry
            """,
            after=after,
            batch=batch,
        )
        for row in rows:
            yield row["entry"]
        if len(rows) < batch:
            return
        after = rows[-1]["entry"]["seq"]


async def count_touching(store: Store, subject_code: str) -> int:
    rows = await store.read(
        "MATCH (:Subject {code: $code})<-[:TOUCHED]-(entry:AccessLogEntry) RETURN count(entry) AS total",
        code=subject_code,
    )
    return int(rows[0]["total"])


async def entries_touching(store: Store, subject_code: str, first: int, before_seq: int | None) -> list[Row]:
    """Entries that touched a subject, newest first (its own view: no actor names)."""
    return await store.read(
        """
        MATCH (:Subject {code: $code})<-[:TOUCHED]-(entry:AccessLogEntry)
        WHERE $before IS NULL OR entry.seq < $before
        WITH entry ORDER BY entry.seq DESC LIMIT $first
        RETURN entry {.seq, .at, .unit, .role, .purpose, .operation, .decision} AS entry
        """,
        code=subject_code,
        before=before_seq,
        first=first,
    )


@dataclass(frozen=True)
class LogSearch:
    """What an auditor narrows the log by; every part is optional."""

    subject_code: str | None = None
    actor_id: str | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None

    def match(self) -> str:
        if self.subject_code:
            return "MATCH (:Subject {code: $code})<-[:TOUCHED]-(entry:AccessLogEntry)"
        return "MATCH (entry:AccessLogEntry)"

    WHERE = """
        WHERE ($actorId IS NULL OR entry.actorId = $actorId)
          AND ($since IS NULL OR entry.at >= $since) AND ($until IS NULL OR entry.at < $until)
    """

    def params(self) -> dict[str, Any]:
        return {"code": self.subject_code, "actorId": self.actor_id, "since": self.since, "until": self.until}


async def count_matching(store: Store, search: LogSearch) -> int:
    rows = await store.read(f"{search.match()} {search.WHERE} RETURN count(entry) AS total", **search.params())
    return int(rows[0]["total"])


async def search(store: Store, search: LogSearch, first: int, before_seq: int | None) -> list[Row]:
    """Entries for auditors, newest first, with the codes of the subjects each touched."""
    return await store.read(
        f"""
        {search.match()}
        {search.WHERE} AND ($before IS NULL OR entry.seq < $before)
        WITH entry ORDER BY entry.seq DESC LIMIT $first
        OPTIONAL MATCH (entry)-[:TOUCHED]->(s:Subject)
        WITH entry, collect(s.code) AS subjectCodes
        RETURN entry {{.*, subjectCodes: subjectCodes}} AS entry
        ORDER BY entry.seq DESC
        """,
        **search.params(),
        before=before_seq,
        first=first,
    )
