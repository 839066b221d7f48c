"""The Neo4j driver, and the one place where its exceptions become ours.

Reads are routed to readers (`routing_="r"`) and every call names its database,
so pointing `NEO4J_URI` at a cluster is configuration, not code. Every row
leaves through `rows.row`, which records what it reveals in the store's `seen`
and masks what the viewer may not see (graph_store/rows.py).

`Store` is the whole store, for the CLI, import and the access log's writer.
`RequestStore` is the store as one API request uses it: its rows are recorded
for the request's access-log entry, and it changes the graph only inside a
`unit`, one transaction that also carries the change's own log entry.

Every call ends within its time limit, whatever Neo4j does: Neo4j stops a
query or transaction that runs past it (one waiting on a lock too), and the
driver stops waiting for a server that does not answer at all (`bounded`).
Only an operator's bulk import runs without one.

Every query passes through `measured`: timed for /metrics, and a span of its request's trace when traces are on.
"""

import asyncio
import math
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any, LiteralString

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, Query
from neo4j.exceptions import (
    ClientError,
    DatabaseUnavailable,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from opentelemetry import trace

from credit.errors import StoreTimeout, StoreUnavailable

from .metrics import NEO4J_QUERY_SECONDS, timed
from .rows import Row, Seen, row

tracer = trace.get_tracer(__name__)
MAX_STATEMENT = 2000
"""Characters of a query's Cypher kept in its span: enough to tell the query, bounded for the exporter."""


@contextmanager
def measured(access: str, database: str, text: str) -> Iterator[trace.Span]:
    """Every query to Neo4j passes here: timed for /metrics, and a span under the request's when there is one to
    be under (server/tracing.py). With traces off there never is, and a query costs one look at the current span,
    not a no-op span's context switch. The span holds the Cypher, whose values are all parameters, never the
    parameters, nor an error's message (Neo4j's may quote a value): its type only."""
    with timed(NEO4J_QUERY_SECONDS, access):
        if not trace.get_current_span().is_recording():
            yield trace.INVALID_SPAN
            return
        with tracer.start_as_current_span(
            f"cypher {access}", kind=trace.SpanKind.CLIENT, record_exception=False, set_status_on_exception=False
        ) as span:
            span.set_attributes(
                {"db.system": "neo4j", "db.name": database, "db.statement": text.strip()[:MAX_STATEMENT]}
            )
            try:
                yield span
            except BaseException as exc:
                span.set_status(trace.StatusCode.ERROR, type(exc).__name__)
                raise


@dataclass(frozen=True)
class Neo4jConfig:
    uri: str
    user: str
    password: str
    database: str = "neo4j"
    query_timeout: float = 30.0
    retry_time: float = 5.0


ANSWER_GRACE = 3.0
"""Seconds past a time limit in which Neo4j stops the transaction and says so (it checks every 2 s). Past them the
server is not answering at all (frozen, or cut off without a reset), and the caller hears UNAVAILABLE."""


@asynccontextmanager
async def bounded(timeout: float | None) -> AsyncIterator[None]:
    """Neo4j's failures as ours, and no waiting past `timeout` and the grace in which Neo4j enforces it (None: no
    limit of ours). Cancelled at the deadline, the driver drops the connection rather than wait on it again."""
    deadline = asyncio.timeout(None if timeout is None else timeout + ANSWER_GRACE)
    try:
        async with deadline:
            yield
    except (ServiceUnavailable, SessionExpired, DatabaseUnavailable) as exc:
        raise StoreUnavailable(f"Neo4j is not reachable: {exc}") from exc
    except (TransientError, ClientError) as exc:
        if exc.code and "TransactionTimedOut" in exc.code:
            raise StoreTimeout("the query took longer than its time limit") from exc
        if exc.code and "LockClientStopped" in exc.code:  # it waited on another transaction's lock past its limit
            raise StoreUnavailable("the store is busy: another transaction held a lock this one needed") from exc
        raise
    except TimeoutError as exc:
        if not deadline.expired():
            raise
        raise StoreUnavailable(f"Neo4j did not answer within {timeout} s and {ANSWER_GRACE} s of grace") from exc


class Transaction:
    """One explicit transaction. Its statements run one at a time (a request's loaders may ask concurrently)."""

    def __init__(self, tx: neo4j.AsyncTransaction, seen: Seen | None, store: "Store") -> None:
        self.tx = tx
        self.seen = seen
        self.store = store
        self.database = store.database
        self.turn = asyncio.Lock()

    async def run(self, text: str, **params: Any) -> list[Row]:
        params = await self.store.with_shown_runs(text, params)
        async with self.turn:
            with measured("transaction", self.database, text) as span:
                result = await self.tx.run(text, params)
                rows = [row(record, self.seen) async for record in result]
                span.set_attribute("db.response.returned_rows", len(rows))
                return rows


READ_ATTEMPTS = 3

SHOWN_RUNS: LiteralString = "MATCH (run:ImportRun {published: true}) RETURN collect(run.id) AS ids"


class ShownRuns:
    """The import runs that are published but whose objects still carry the run's mark (graph_store/bulk_writes.py):
    what `$shownRuns` holds in every query that names it (graph_store/predicate.py, `published`). Almost always none.
    Read at most once a `FRESH_FOR` by each process and passed as a plain parameter: a subquery looking the run up
    for each node read cost Neo4j seconds more planning of a policy's large queries (docs/performance.md, "Intake").
    A list a second old never shows what is unpublished. It may not yet show what was just published: for that
    second, a process reads the last transaction's changes to what was there (merges, relations) but not yet the new
    objects, and the import waits two of those seconds before it unmarks them, so that a read begun after that sees
    them all; one that runs across the unmarking may see some of them unmarked before the rest."""

    FRESH_FOR = 1.0

    def __init__(self) -> None:
        self.runs: list[str] = []
        self.read_at = -math.inf
        self.reading = asyncio.Lock()

    def fresh(self) -> bool:
        return time.monotonic() - self.read_at < self.FRESH_FOR

    async def current(self, store: "Store") -> list[str]:
        if not self.fresh():
            async with self.reading:
                if not self.fresh():
                    started = time.monotonic()
                    rows = await store.auto_commit(SHOWN_RUNS, neo4j.READ_ACCESS, store.query_timeout, {})
                    self.runs, self.read_at = rows[0]["ids"], started
        return self.runs


class IdleSessions:
    """Driver sessions whose auto-commit query was read to the end, kept for the next query of the same access mode.

    A session holds a connection only while its result is open, so an idle one holds nothing; making one
    (`driver.session`, its configuration read and checked) was 8% of the driver's work for one small read
    (docs/performance.md, "subject(code) at 16 clients"). A session whose query failed is closed, never kept.
    """

    MOST = 64
    """Idle sessions kept per access mode: about as many as queries in flight at once."""

    def __init__(self) -> None:
        self.idle: dict[str, list[neo4j.AsyncSession]] = {neo4j.READ_ACCESS: [], neo4j.WRITE_ACCESS: []}

    def take(self, driver: AsyncDriver, database: str, access_mode: str) -> neo4j.AsyncSession:
        idle = self.idle[access_mode]
        if idle:
            return idle.pop()
        return driver.session(
            database=database, default_access_mode=access_mode, bookmark_manager=driver.execute_query_bookmark_manager
        )

    async def give_back(self, access_mode: str, session: neo4j.AsyncSession) -> None:
        idle = self.idle[access_mode]
        if len(idle) < self.MOST and not session.closed():
            idle.append(session)
        else:
            await session.close()

    async def close(self) -> None:
        for idle in self.idle.values():
            while idle:
                await idle.pop().close()


@dataclass(frozen=True)
class Store:
    """An open driver and the database and time limit every query uses."""

    driver: AsyncDriver
    database: str
    query_timeout: float
    seen: Seen | None = None
    """Where the rows read through this store are recorded (a request's; None for the CLI and the log's writer)."""
    sessions: IdleSessions = field(default_factory=IdleSessions, compare=False, repr=False)
    """The sessions of auto-commit queries, shared by every request's store."""
    shown: ShownRuns = field(default_factory=ShownRuns, compare=False, repr=False)
    """The published import runs whose objects are still marked, shared by every request's store."""

    async def with_shown_runs(self, text: str, params: dict[str, Any]) -> dict[str, Any]:
        """`params`, with `shownRuns` if the query names it and the caller did not give it."""
        if "$shownRuns" in text and "shownRuns" not in params:
            return {**params, "shownRuns": await self.shown.current(self)}
        return params

    async def read(self, text: str, timeout_: float | None = None, **params: Any) -> list[Row]:
        """One read, as an auto-commit query on a reader; `timeout_` narrows the time limit (a traversal, say).

        Auto-commit saves the BEGIN and COMMIT of a managed transaction, a large
        share of a small request's cost (docs/performance.md, "Request floor"). A read Neo4j
        calls transient (one that met a concurrent write: "outdated read") is asked
        again, a few times; an unreachable store is not: the caller hears
        UNAVAILABLE and asks again. Reads share the bookmarks of `write`, so they
        see what it committed, on a cluster too.
        """
        attempts = 1
        while True:
            try:
                return await self.auto_commit(text, neo4j.READ_ACCESS, timeout_ or self.query_timeout, params)
            except TransientError:
                if attempts == READ_ATTEMPTS:
                    raise
                attempts += 1

    async def write(self, text: str, **params: Any) -> list[Row]:
        params = await self.with_shown_runs(text, params)
        async with bounded(self.query_timeout):
            with measured(neo4j.WRITE_ACCESS, self.database, text) as span:
                records, _, _ = await self.driver.execute_query(
                    Query(text, timeout=self.query_timeout), params, database_=self.database, routing_="w"
                )
                span.set_attribute("db.response.returned_rows", len(records))
        return [row(record, self.seen) for record in records]

    async def write_once(self, text: str, **params: Any) -> list[Row]:
        """One write as an auto-commit query: a single round trip, and no retry.

        For a caller that checks the outcome itself and knows what to do when its
        query changed nothing (the access log's conditional append).
        """
        return await self.auto_commit(text, neo4j.WRITE_ACCESS, self.query_timeout, params)

    async def auto_commit(self, text: str, access_mode: str, timeout: float, params: dict[str, Any]) -> list[Row]:
        params = await self.with_shown_runs(text, params)
        async with bounded(timeout):
            session = self.sessions.take(self.driver, self.database, access_mode)
            try:
                with measured(access_mode, self.database, text) as span:
                    result = await session.run(Query(text, timeout=timeout), params)
                    records = [record async for record in result]
                    span.set_attribute("db.response.returned_rows", len(records))
            except BaseException as exc:  # as `async with session` would: closed (cancelled: its connection dropped)
                await session.__aexit__(type(exc), exc, exc.__traceback__)
                raise
            await self.sessions.give_back(access_mode, session)
        return [row(record, self.seen) for record in records]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """One explicit write transaction: committed on a clean exit, rolled back on any error, and stopped when it
        runs past the time limit, waiting on a lock included (the access log's, say).

        It shares its bookmarks with `read` and `write`, so what it commits is seen by the next read, on a cluster too.
        """
        async with self.explicit_transaction(self.seen, self.query_timeout) as tx:
            yield tx

    @asynccontextmanager
    async def bulk_transaction(self) -> AsyncIterator[Transaction]:
        """A transaction with no time limit but the server's: an operator's import of a whole file, never a request."""
        async with self.explicit_transaction(self.seen, None) as tx:
            yield tx

    @asynccontextmanager
    async def explicit_transaction(self, seen: Seen | None, timeout: float | None) -> AsyncIterator[Transaction]:
        """Cancelled (its deadline passed), the driver drops the transaction's connection instead of rolling back."""
        async with (
            bounded(timeout),
            self.driver.session(
                database=self.database, bookmark_manager=self.driver.execute_query_bookmark_manager
            ) as session,
            await session.begin_transaction(timeout=timeout) as tx,
        ):
            yield Transaction(tx, seen, self)

    async def ping(self) -> None:
        async with bounded(self.query_timeout):
            await self.driver.verify_connectivity()

    def for_request(self) -> "RequestStore":
        return RequestStore(
            self.driver, self.database, self.query_timeout, seen=Seen(), sessions=self.sessions, shown=self.shown
        )


@dataclass
class OpenUnit:
    transaction: Transaction | None = None


OUTSIDE_A_UNIT = (
    "an API request changes the graph only inside a unit of change (resolvers/changes.py), whose transaction also "
    "holds the change's access-log entry"
)


@dataclass(frozen=True)
class RequestStore(Store):
    """The store as one API request uses it: what its rows reveal is recorded in `seen`, and it writes only inside
    `unit()`. Inside a unit every statement, reads included, runs in the unit's transaction."""

    seen: Seen = field(default_factory=Seen)
    """Where the request's rows are recorded, outside its units."""
    unit_open: OpenUnit = field(default_factory=OpenUnit)

    async def read(self, text: str, timeout_: float | None = None, **params: Any) -> list[Row]:
        if self.unit_open.transaction is not None:
            return await self.unit_open.transaction.run(text, **params)
        return await super().read(text, timeout_, **params)

    async def write(self, text: str, **params: Any) -> list[Row]:
        return await self.in_unit().run(text, **params)

    async def write_once(self, text: str, **params: Any) -> list[Row]:
        return await self.in_unit().run(text, **params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """The unit's transaction: its statements commit, or roll back, with the rest of the unit."""
        yield self.in_unit()

    def in_unit(self) -> Transaction:
        if self.unit_open.transaction is None:
            raise RuntimeError(OUTSIDE_A_UNIT)
        return self.unit_open.transaction

    @asynccontextmanager
    async def unit(self, seen: Seen) -> AsyncIterator[Transaction]:
        """One transaction for a change: rows read or written in it are recorded in `seen`, not the request's."""
        if self.unit_open.transaction is not None:
            raise RuntimeError("units of change do not nest")
        async with self.explicit_transaction(seen, self.query_timeout) as tx:
            self.unit_open.transaction = tx
            try:
                yield tx
            finally:
                self.unit_open.transaction = None


@asynccontextmanager
async def open_store(config: Neo4jConfig) -> AsyncIterator[Store]:
    driver = AsyncGraphDatabase.driver(
        config.uri,
        auth=(config.user, config.password),
        notifications_min_severity="OFF",
        # A reader waiting on an unreachable store should hear UNAVAILABLE in seconds, not after 30 s of retries.
        max_transaction_retry_time=config.retry_time,
        connection_timeout=config.retry_time,
    )
    store = Store(driver=driver, database=config.database, query_timeout=config.query_timeout)
    try:
        yield store
    finally:
        await store.sessions.close()
        await driver.close()
