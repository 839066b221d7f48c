"""The access log's rules: what an entry holds, how it is sealed, how the chain is checked.

Each entry's hash is SHA-256 over the canonical JSON of its fields, the
previous entry's hash among them, so changing, removing or inserting an entry
breaks the chain at that point. `verify` recomputes the chain from the start.
"""

import asyncio
import datetime
import hashlib
import json
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from credit.model import AccessDecision
from graph_store import access_log
from graph_store.connection import Store
from graph_store.metrics import LOG_APPEND_SECONDS, LOG_WAITING, timed
from graph_store.rows import Seen

from .principal import ANONYMOUS, Principal

logger = logging.getLogger("credit_graph.access_log")

ALLOWED = AccessDecision.ALLOWED.value
DENIED = AccessDecision.DENIED.value
FAILED = AccessDecision.FAILED.value
"""The decisions an entry stores; credit.model.AccessDecision says what each means."""


def entry_fields(
    *,
    principal: Principal,
    request_id: str,
    correlation_id: str | None = None,
    at: datetime.datetime,
    operation: str,
    decision: str,
    seen: Seen | None = None,
    count: int | None = None,
) -> dict[str, Any]:
    """An entry before it is chained: who asked, when, what, why, and what the answer revealed (`seen`)."""
    seen = seen or Seen()
    fields: dict[str, Any] = {
        "at": at,
        "requestId": request_id,
        "actorId": principal.id,
        "actorName": principal.name,
        "unit": principal.unit,
        "role": principal.role,
        "purpose": principal.purpose,
        "operation": operation,
        "decision": decision,
        "subjectIds": seen.of("Subject"),
        "recordIds": seen.of("Record"),
    }
    optional = {
        "correlationId": correlation_id,
        "count": count,
        "listingIds": seen.of("Listing"),
        "measureIds": seen.of("Measure"),
        "objectionIds": seen.of("Objection"),
        "consentIds": seen.of("Consent"),
    }
    return fields | {name: value for name, value in optional.items() if value not in (None, [])}


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def seal(entry: dict[str, Any]) -> str:
    covered = {name: entry.get(name) for name in access_log.ENTRY_FIELDS}
    covered |= {name: entry[name] for name in access_log.OPTIONAL_FIELDS if entry.get(name) not in (None, [])}
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
        LOG_WAITING.set(len(self.waiting))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self.write_waiting())
        return await future

    async def write_waiting(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting[: self.MAX_BATCH], self.waiting[self.MAX_BATCH :]
            LOG_WAITING.set(len(self.waiting))
            try:
                with timed(LOG_APPEND_SECONDS):
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


class RefusalTally:
    """Refusals of anonymous requests, and of any caller's requests over the rate limit, counted rather than
    written one by one.

    Anyone can send a bad token or an oversized document; an entry each would let them queue every legitimate
    request behind the chain's lock and fill the log. Every `period` seconds the tally becomes one DENIED entry
    per reason and source, with the count (`flush`). A refusal of an authenticated principal is an entry of its
    own (`record`).
    """

    MAX_KEYS = 10_000
    """Distinct (reason, source) pairs kept per period; past it, further sources are counted together."""

    def __init__(self, writer: LogWriter, period: float = 60.0) -> None:
        self.writer = writer
        self.period = period
        self.counts: Counter[tuple[str, str]] = Counter()

    def count(self, reason: str, source: str) -> None:
        if (reason, source) not in self.counts and len(self.counts) >= self.MAX_KEYS:
            source = "many sources"
        self.counts[reason, source] += 1

    async def record(
        self,
        principal: Principal,
        reason: str,
        source: str,
        *,
        request_id: str,
        correlation_id: str | None,
        at: datetime.datetime,
    ) -> None:
        """A refusal, logged as DENIED (Art. 21): counted if the caller is anonymous, else an entry of its own. The
        caller is refused either way, so a log that cannot be written is reported to operators, not to the caller."""
        if principal.is_anonymous:
            self.count(reason, source)
            return
        try:
            await self.writer.write(
                entry_fields(
                    principal=principal,
                    request_id=request_id,
                    correlation_id=correlation_id,
                    at=at,
                    operation=f"refused: {reason}",
                    decision=DENIED,
                )
            )
        except Exception:
            logger.exception("request %s: a refusal could not be logged", request_id)

    async def flush(self, at: datetime.datetime) -> None:
        """Write what was counted since the last flush (and keep it counted if the log cannot be written)."""
        counts, self.counts = self.counts, Counter()
        entries = [
            entry_fields(
                principal=ANONYMOUS,
                request_id=uuid.uuid4().hex,
                at=at,
                operation=f"refused requests from {source}: {reason}",
                decision=DENIED,
                count=count,
            )
            for (reason, source), count in sorted(counts.items())
        ]
        try:
            await asyncio.gather(*(self.writer.write(entry) for entry in entries))
        except Exception:
            self.counts.update(counts)  # some may be written twice, with their counts: never lost
            raise

    async def keep_flushing(self, clock: Callable[[], datetime.datetime]) -> None:
        while True:
            await asyncio.sleep(self.period)
            try:
                await self.flush(clock())
            except Exception:
                logger.exception("refusals could not be written to the access log; they stay counted")
