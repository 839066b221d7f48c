"""The rate limit's counts in one file every process of a `credit-graph serve` shares, so that a caller gets the
configured limit whatever the number of processes and whichever of them answers it (docs/performance.md).

It is the `limits` library's storage for its sliding window counter, written on SQLite (the standard library's
`sqlite3`): no server to run, a hit is one short transaction, the processes taking turns on a file lock. The
counts are what `limits`' MemoryStorage keeps (a count and an expiry per window of each caller), with the same
arithmetic, so one process behaves as with MemoryStorage; the check and the increment are one statement, so no
other process can slip a hit between them.

Nothing here is durable: the file lives in the folder `serve` makes for its processes and removes when it stops, so
SQLite is told not to wait for the disk. Expired windows are deleted every `PURGE_SECONDS` by whichever process hits
then: the file holds the callers of the last two windows of the longest limit, however many addresses came before.
"""

import fcntl
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from limits.aio.storage import SlidingWindowCounterSupport, Storage
from limits.storage.base import TimestampedSlidingWindow

SCHEMA = """
CREATE TABLE IF NOT EXISTS windows (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL);
CREATE INDEX IF NOT EXISTS windows_by_expiry ON windows (expires);
"""

ADD = """
INSERT INTO windows (key, count, expires) VALUES (:key, :amount, :expires)
ON CONFLICT (key) DO UPDATE SET count = CASE WHEN expires > :now THEN count + :amount ELSE :amount END,
                                expires = CASE WHEN expires > :now THEN expires ELSE :expires END
RETURNING count
"""
"""Add :amount to a window; one that has expired starts afresh, expiring at :expires."""
ACQUIRE = """
INSERT INTO windows (key, count, expires)
SELECT :key, :amount, :expires
WHERE coalesce((SELECT count FROM windows WHERE key = :previous AND expires > :now), 0) * :ttl / :expiry
      + coalesce((SELECT count FROM windows WHERE key = :key AND expires > :now), 0) < :limit - :amount + 1
ON CONFLICT (key) DO UPDATE SET count = CASE WHEN expires > :now THEN count + :amount ELSE :amount END,
                                expires = CASE WHEN expires > :now THEN expires ELSE :expires END
RETURNING count
"""
"""The same add to the current window :key, only if MemoryStorage's test lets it: floor(weighted) + amount > limit
refuses, where weighted is the previous window's count times the part of it still in the sliding window (:ttl out of
:expiry), plus the current one's. One statement: SQLite runs it in one transaction that holds the write lock from its
start, so no other process hits between the count and the add. Refused, it adds nothing and returns no row."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the shared counts, the table made if it is not yet. Autocommit: each statement is its own
    transaction. A process waits up to five seconds for another's (each lasts microseconds)."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=5.0, check_same_thread=False)
    connection.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
    connection.execute("PRAGMA synchronous = OFF")  # the counts need not survive the machine
    connection.executescript(SCHEMA)
    return connection


class SharedWindows(Storage, SlidingWindowCounterSupport, TimestampedSlidingWindow):
    """`limits`' storage for the sliding window counter, shared by the processes that open the same file."""

    STORAGE_SCHEME = None
    PURGE_SECONDS = 10.0

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.connection = connect(path)
        self.lock = path.with_name(path.name + ".lock").open("a")
        self.purged_at = time.time()

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """The connection, for one statement that writes, the processes taking turns on a file lock first: a
        process waiting for the lock is woken as soon as it is free, where SQLite's own wait would sleep a
        millisecond or more (its event loop with it) and let a busy process keep the lock."""
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        try:
            yield self.connection
        finally:
            fcntl.flock(self.lock, fcntl.LOCK_UN)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def counts(self, one: str, other: str, now: float) -> dict[str, tuple[int, float]]:
        """The live windows of the two keys: their count and when they expire."""
        rows = self.connection.execute(
            "SELECT key, count, expires FROM windows WHERE key IN (?, ?) AND expires > ?", (one, other, now)
        )
        return {key: (count, expires) for key, count, expires in rows}

    def add(self, key: str, amount: int, expiry: float, now: float) -> int:
        """Add `amount` to a window, starting it afresh (expiring `expiry` seconds from now) if it has expired."""
        added = {"key": key, "amount": amount, "expires": now + expiry, "now": now}
        with self.writing() as connection:
            return int(connection.execute(ADD, added).fetchone()[0])

    def purge(self, now: float) -> None:
        if now - self.purged_at >= self.PURGE_SECONDS:
            with self.writing() as connection:
                connection.execute("DELETE FROM windows WHERE expires <= ?", (now,))
            self.purged_at = now

    def window_info(self, key: str, expiry: int, now: float) -> tuple[int, float, int, float]:
        """As MemoryStorage says it: the previous window's count and the seconds it still weighs, the current one's
        count and the seconds until it resets."""
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        live = self.counts(previous_key, current_key, now)
        previous_count = live.get(previous_key, (0, 0.0))[0]
        current_count = live.get(current_key, (0, 0.0))[0]
        previous_ttl = (1 - (((now - expiry) / expiry) % 1)) * expiry if previous_count else 0.0
        current_ttl = (1 - ((now / expiry) % 1)) * expiry + expiry
        return previous_count, previous_ttl, current_count, current_ttl

    async def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        previous_ttl = (1 - (((now - expiry) / expiry) % 1)) * expiry
        self.purge(now)
        window = {"key": current_key, "previous": previous_key, "ttl": previous_ttl, "expiry": expiry}
        limits = {"amount": amount, "limit": limit, "now": now, "expires": now + 2 * expiry}  # as MemoryStorage: twice
        with self.writing() as connection:
            added = connection.execute(ACQUIRE, window | limits).fetchone()
        return added is not None

    async def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        return self.window_info(key, expiry, time.time())

    async def clear_sliding_window(self, key: str, expiry: int) -> None:
        keys = self.sliding_window_keys(key, expiry, time.time())
        with self.writing() as connection:
            connection.execute("DELETE FROM windows WHERE key IN (?, ?)", keys)

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self.add(key, amount, expiry, time.time())

    async def get(self, key: str) -> int:
        return self.counts(key, key, time.time()).get(key, (0, 0.0))[0]

    async def get_expiry(self, key: str) -> float:
        now = time.time()
        return self.counts(key, key, now).get(key, (0, now))[1]

    async def check(self) -> bool:
        return bool(self.connection.execute("SELECT 1").fetchone() == (1,))

    async def reset(self) -> int | None:
        with self.writing() as connection:
            return connection.execute("DELETE FROM windows").rowcount

    async def clear(self, key: str) -> None:
        with self.writing() as connection:
            connection.execute("DELETE FROM windows WHERE key = ?", (key,))
