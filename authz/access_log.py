"""The access log's rules: what an entry holds, how it is sealed, how the chain is checked.

Each entry's hash is SHA-256 over the canonical JSON of its fields, the
previous entry's hash among them, so changing, removing or inserting an entry
breaks the chain at that point. `verify` recomputes the chain from the start.
"""

import asyncio
import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from graph_store import access_log
from graph_store.connection import Row, Store

from .principal import Principal

ALLOWED = "ALLOWED"
DENIED = "DENIED"


@dataclass
class Collector:
    """What one request returned: filled by the resolvers as rows pass through, written once at the end."""

    subject_ids: set[str] = field(default_factory=set)
    record_ids: set[str] = field(default_factory=set)

    def saw_subjects(self, rows: list[Row]) -> None:
        self.subject_ids.update(row["id"] for row in rows)

    def saw_records(self, rows: list[Row]) -> None:
        self.record_ids.update(row["id"] for row in rows)
        self.subject_ids.update(row["subjectId"] for row in rows)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def seal(entry: dict[str, Any]) -> str:
    covered = {name: entry.get(name) for name in access_log.ENTRY_FIELDS}
    covered["at"] = covered["at"].isoformat() if isinstance(covered["at"], datetime.datetime) else covered["at"]
    return hashlib.sha256(canonical(covered).encode()).hexdigest()


class LogWriter:
    """Group commit: entries that arrive while a write is in flight go together in the next transaction.

    The head lock makes every writer, in every API process, take turns; one
    lock and one commit for many entries keeps a busy server from queueing on
    it. Each request still waits until its own entry is committed.
    """

    MAX_BATCH = 200

    def __init__(self, store: Store) -> None:
        self.store = store
        self.waiting: list[tuple[dict[str, Any], asyncio.Future[dict[str, Any]]]] = []
        self.writer: asyncio.Task[None] | None = None
        self.head: access_log.Head | None = None
        """Where this writer's last append left the chain: the next append expects it there, in one round trip."""

    async def write(self, fields: dict[str, Any]) -> dict[str, Any]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting.append((fields, future))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self.write_waiting())
        return await future

    async def write_waiting(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting[: self.MAX_BATCH], self.waiting[self.MAX_BATCH :]
            try:
                entries = await access_log.append(self.store, [fields for fields, _ in batch], seal, self.head)
            except Exception as exc:  # every request of the batch hears it, and answers UNAVAILABLE
                self.head = None
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.head = access_log.Head(entries[-1]["seq"], entries[-1]["hash"])
            for (_, future), entry in zip(batch, entries, strict=True):
                if not future.done():  # its request may have been cancelled meanwhile
                    future.set_result(entry)


async def write_entry(
    writer: LogWriter,
    *,
    principal: Principal,
    request_id: str,
    at: datetime.datetime,
    operation: str,
    decision: str,
    collected: Collector,
) -> dict[str, Any]:
    fields = {
        "at": at,
        "requestId": request_id,
        "actorId": principal.id,
        "actorName": principal.name,
        "unit": principal.unit,
        "role": principal.role,
        "purpose": principal.purpose,
        "operation": operation,
        "decision": decision,
        "subjectIds": sorted(collected.subject_ids),
        "recordIds": sorted(collected.record_ids),
    }
    return await writer.write(fields)


@dataclass(frozen=True)
class Verification:
    entries: int
    problem: str | None
    """The first break in the chain, in words; None when the chain is whole."""


async def verify(store: Store) -> Verification:
    expected_seq, previous_hash, count = 1, "", 0
    async for entry in access_log.entries_in_order(store):
        count += 1
        if entry["seq"] != expected_seq:
            return Verification(count, f"entry {expected_seq} is missing (the next one is {entry['seq']})")
        if entry["prevHash"] != previous_hash:
            return Verification(
                count, f"entry {entry['seq']} does not follow entry {entry['seq'] - 1}: one was inserted or replaced"
            )
        if seal(entry) != entry["hash"]:
            return Verification(count, f"entry {entry['seq']} was changed after it was written")
        expected_seq, previous_hash = expected_seq + 1, entry["hash"]
    head = await access_log.head(store)
    if head is not None and head.seq != expected_seq - 1:
        return Verification(count, f"entries after {expected_seq - 1} are missing (the log's head is at {head.seq})")
    if head is not None and head.hash != previous_hash:
        return Verification(count, f"entry {expected_seq - 1} is not the last one written")
    return Verification(count, None)
