"""The Neo4j driver, and the one place where its exceptions become ours.

Reads are routed to readers (`routing_="r"`) and every call names its database,
so pointing `NEO4J_URI` at a cluster is configuration, not code.
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import neo4j
import neo4j.graph
import neo4j.time
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Query
from neo4j.exceptions import (
    ClientError,
    DatabaseUnavailable,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from .errors import StoreTimeout, StoreUnavailable

Row = dict[str, Any]


def native(value: Any) -> Any:
    """Neo4j's temporal values as Python's, inside maps and lists too: callers never see driver types."""
    if isinstance(value, dict):
        return {key: native(item) for key, item in value.items()}
    if isinstance(value, list):
        return [native(item) for item in value]
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime)):
        return value.to_native()
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship, neo4j.graph.Path)):
        raise TypeError("a query returns maps (`n {.code}`), not nodes, relationships or paths")
    return value


def row(record: neo4j.Record) -> Row:
    """A record as a plain dict, in one pass (`Record.data()` would walk every value once more)."""
    return {key: native(value) for key, value in record.items()}


@dataclass(frozen=True)
class Neo4jConfig:
    uri: str
    user: str
    password: str
    database: str = "neo4j"
    query_timeout: float = 30.0
    retry_time: float = 5.0


@contextmanager
def map_neo4j_errors() -> Iterator[None]:
    try:
        yield
    except (ServiceUnavailable, SessionExpired, DatabaseUnavailable) as exc:
        raise StoreUnavailable(f"Neo4j is not reachable: {exc}") from exc
    except (TransientError, ClientError) as exc:
        if exc.code and "TransactionTimedOut" in exc.code:
            raise StoreTimeout("the query took longer than its time limit") from exc
        raise


@dataclass(frozen=True)
class Store:
    """An open driver and the database and time limit every query uses."""

    driver: AsyncDriver
    database: str
    query_timeout: float

    async def read(self, text: str, timeout_: float | None = None, **params: Any) -> list[Row]:
        """One read, as an auto-commit query on a reader; `timeout_` narrows the time limit (a traversal, say).

        Auto-commit saves the BEGIN and COMMIT of a managed transaction: a quarter
        of a small request's cost (bench/relationship_lookups.py). A failed read is
        not retried: the caller hears UNAVAILABLE and asks again. Reads share the
        bookmarks of `write`, so they see what it committed, on a cluster too.
        """
        return await self.auto_commit(text, neo4j.READ_ACCESS, timeout_ or self.query_timeout, params)

    async def write(self, text: str, **params: Any) -> list[Row]:
        with map_neo4j_errors():
            records, _, _ = await self.driver.execute_query(
                Query(text, timeout=self.query_timeout), params, database_=self.database, routing_="w"
            )
        return [row(record) for record in records]

    async def write_once(self, text: str, **params: Any) -> list[Row]:
        """One write as an auto-commit query: a single round trip, and no retry.

        For a caller that checks the outcome itself and knows what to do when its
        query changed nothing (the access log's conditional append).
        """
        return await self.auto_commit(text, neo4j.WRITE_ACCESS, self.query_timeout, params)

    async def auto_commit(self, text: str, access_mode: str, timeout: float, params: dict[str, Any]) -> list[Row]:
        with map_neo4j_errors():
            async with self.driver.session(
                database=self.database,
                default_access_mode=access_mode,
                bookmark_manager=self.driver.execute_query_bookmark_manager,
            ) as session:
                result = await session.run(Query(text, timeout=timeout), params)
                records = [record async for record in result]
        return [row(record) for record in records]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[neo4j.AsyncTransaction]:
        """One explicit write transaction: committed on a clean exit, rolled back on any error.

        It shares its bookmarks with `read` and `write`, so what it commits is seen by the next read, on a cluster too.
        """
        with map_neo4j_errors():
            async with self.driver.session(
                database=self.database, bookmark_manager=self.driver.execute_query_bookmark_manager
            ) as session:
                tx = await session.begin_transaction()
                try:
                    yield tx
                except BaseException:
                    await tx.rollback()
                    raise
                await tx.commit()

    async def ping(self) -> None:
        with map_neo4j_errors():
            await self.driver.verify_connectivity()


async def run(tx: neo4j.AsyncTransaction | AsyncManagedTransaction, text: str, **params: Any) -> list[Row]:
    result = await tx.run(text, params)
    return [row(record) async for record in result]


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
    try:
        yield Store(driver=driver, database=config.database, query_timeout=config.query_timeout)
    finally:
        await driver.close()
