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
from typing import Any, NotRequired, TypedDict

from .connection import Store, Transaction
from .rows import Row

ENTRY_FIELDS = (
    "seq", "at", "requestId", "actorId", "actorName", "unit", "role", "purpose",
    "operation", "decision", "subjectIds", "recordIds", "prevHash",
)  # fmt: skip
"""What an entry's hash covers, besides the hash itself."""
OPTIONAL_FIELDS = ("correlationId", "count", "listingIds", "measureIds", "objectionIds", "consentIds")
"""Fields an entry has only when they say something (entries written before they existed have none of them); the
hash covers each one an entry has, so removing one breaks the chain like changing it."""

LOCK_HEAD = """
    MERGE (head:AccessLogHead {id: 'main'})
      ON CREATE SET head.seq = 0, head.hash = ''
    SET head.lockedBy = $requestId
    RETURN head.seq AS seq, head.hash AS hash
"""

APPEND = """
    MATCH (head:AccessLogHead {id: 'main'})
    SET head.lockedBy = $requestId
    WITH head, head.seq AS seq, head.hash AS hash
    CALL (head, seq) {
        WITH head WHERE seq = $after
        SET head.seq = $last.seq, head.hash = $last.hash
        WITH head
        UNWIND $entries AS fields
        CREATE (entry:AccessLogEntry)
        SET entry = fields, entry.at = datetime(fields.at)
        WITH entry, fields
        UNWIND fields.subjectIds AS subjectId
        MATCH (s:Subject {id: subjectId})
        CREATE (entry)-[:TOUCHED]->(s)
    }
    RETURN seq, hash
"""
"""Appends only if the head is still at `$after`, and says where the head was: at `$after` (appended), or where
another writer left it. Setting `lockedBy` takes the head's lock first, so the seq compared is the one committed
by whoever wrote before. Each entry's `at` comes as ISO text (`sent`)."""
OPTIMISTIC_APPENDS = 3
"""Tries of the one-round-trip append, each after the head the last one found, before locking the head in a
transaction: with several API processes, the head has usually moved since this one's last append."""


@dataclass(frozen=True)
class Head:
    """Where the chain ends: the last entry's seq and hash (0 and '' before the first)."""

    seq: int
    hash: str


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
    """Add entries after the last one, in order; `seal` computes each hash from its fields (prevHash included).

    `after` is where the caller believes the chain ends (the head its last append left): if it still does, the
    batch goes in one auto-commit query, one round trip. If another process appended meanwhile, that query says
    where the chain ends now, and the batch is chained again after it and sent again, a few times. If the caller
    does not know, or the others keep appending first, the head is locked, read and appended after in one
    transaction, which always succeeds. Committed before this returns: the callers answer their clients only
    afterwards.
    """
    request_id = batch[0]["requestId"]
    for _ in range(OPTIMISTIC_APPENDS):
        if after is None:
            break
        entries = chained(batch, after, seal)
        found = await store.write_once(
            APPEND, requestId=request_id, after=after.seq, entries=sent(entries), last=last(entries)
        )
        if not found:  # no head yet: the transaction makes it
            break
        if found[0]["seq"] == after.seq:
            return entries
        after = Head(found[0]["seq"], found[0]["hash"])
    async with store.transaction() as tx:
        head = await lock_head(tx, request_id)
        return await append_after(tx, head, batch, seal)


async def lock_head(tx: Transaction, request_id: str) -> Head:
    """Take the chain's lock in `tx` (held until it ends) and say where the chain ends."""
    head = (await tx.run(LOCK_HEAD, requestId=request_id))[0]
    return Head(head["seq"], head["hash"])


async def append_after(
    tx: Transaction, head: Head, batch: list[dict[str, Any]], seal: Callable[[dict[str, Any]], str]
) -> list[dict[str, Any]]:
    """Append in `tx`, which holds the chain's lock (`lock_head`): the entries commit or roll back with it."""
    entries = chained(batch, head, seal)
    await tx.run(APPEND, requestId=batch[0]["requestId"], after=head.seq, entries=sent(entries), last=last(entries))
    return entries


def sent(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries as APPEND takes them: `at` as ISO text, which Neo4j reads back to the same instant. The driver
    packs a datetime with a time zone in some 40 µs, a tenth of what a small request costs the API."""
    return [{**entry, "at": entry["at"].isoformat()} for entry in entries]


def last(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"seq": entries[-1]["seq"], "hash": entries[-1]["hash"]}


async def head(store: Store) -> Head | None:
    rows = await store.read("MATCH (head:AccessLogHead {id: 'main'}) RETURN head.seq AS seq, head.hash AS hash")
    return Head(rows[0]["seq"], rows[0]["hash"]) if rows else None


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


class AccessRecordRow(TypedDict):
    """An entry as the subject it touched sees it (`entries_touching`)."""

    id: int
    seq: int
    hash: str
    at: datetime.datetime
    role: str | None
    purpose: str | None
    operation: str
    decision: str
    unit: str | None


async def entries_touching(
    store: Store, subject_code: str, first: int, before_seq: int | None
) -> list[AccessRecordRow]:
    """Entries that touched a subject, newest first, as the subject sees them: which organization asked, never who
    by name, and a person who asked (a SUBJECT) only as "a subject", not by their resident ID."""
    rows = await store.read(
        """
        MATCH (:Subject {code: $code})<-[:TOUCHED]-(entry:AccessLogEntry)
        WHERE $before IS NULL OR entry.seq < $before
        WITH entry ORDER BY entry.seq DESC LIMIT $first
        RETURN entry {entity: 'AccessLogEntry', id: entry.seq, .seq, .hash, .at, .role, .purpose, .operation,
                      .decision, unit: CASE WHEN entry.role = 'SUBJECT' THEN null ELSE entry.unit END} AS entry
        """,
        code=subject_code,
        before=before_seq,
        first=first,
    )
    return [row["entry"] for row in rows]


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


class AuditEntryRow(TypedDict):
    """An entry whole, for auditors (`search`): the node's properties, so a field the entry leaves null is absent
    (ENTRY_FIELDS that may be null, and OPTIONAL_FIELDS)."""

    id: int
    seq: int
    at: datetime.datetime
    requestId: str
    operation: str
    decision: str
    subjectIds: list[str]
    recordIds: list[str]
    hash: str
    prevHash: str
    subjectCodes: list[str]
    actorId: NotRequired[str]
    actorName: NotRequired[str]
    unit: NotRequired[str]
    role: NotRequired[str]
    purpose: NotRequired[str]
    correlationId: NotRequired[str]
    count: NotRequired[int]
    listingIds: NotRequired[list[str]]
    measureIds: NotRequired[list[str]]
    objectionIds: NotRequired[list[str]]
    consentIds: NotRequired[list[str]]


async def search(store: Store, search: LogSearch, first: int, before_seq: int | None) -> list[AuditEntryRow]:
    """Entries for auditors, newest first, with the codes of the subjects each touched."""
    rows = await store.read(
        f"""
        {search.match()}
        {search.WHERE} AND ($before IS NULL OR entry.seq < $before)
        WITH entry ORDER BY entry.seq DESC LIMIT $first
        OPTIONAL MATCH (entry)-[:TOUCHED]->(s:Subject)
        WITH entry, collect(s.code) AS subjectCodes
        RETURN entry {{.*, entity: 'AccessLogEntry', id: entry.seq, subjectCodes: subjectCodes}} AS entry
        ORDER BY entry.seq DESC
        """,
        **search.params(),
        before=before_seq,
        first=first,
    )
    return [row["entry"] for row in rows]
