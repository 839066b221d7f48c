"""The floor and the ceiling of bench/peer_compare.py: the benchmark page without this API's machinery.

  floor   one hand-written Cypher query per page through the async driver, behind a bare Starlette route
  naive   a Strawberry schema whose every field runs its own query: a query for the page of subjects, then one per
          subject for its records, one per record for its provider and one for its documents, one per document for
          its issuer (the N+1 queries that the API's loaders batch)

Both read as an anonymous viewer, with the record rule of policy.polar written by hand (ANONYMOUS_RECORDS), and
answer in the peer's shape: lists of subjects, `provider` and `issuer` as lists of one (bench/peer/typeDefs.mjs).
Each runs as its own uvicorn process, as the API does.
"""

import datetime
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import neo4j
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from credit.model import china_now
from graph_store.connection import Neo4jConfig

ANONYMOUS_RECORDS = """
    r.status = 'ACTIVE' AND r.confirmedAt <= $today
    AND (r.disclosureUntil IS NULL OR r.disclosureUntil >= $today)
    AND (r.disclosureMode = 'PUBLIC_NOTICE'
         OR (r.disclosureMode = 'SUBJECT_PUBLISHED' AND r.publishedBySubjectAt IS NOT NULL))
"""
"""policy.polar's record rules for a viewer with no role: disclosable, and a public notice or published by its
subject."""

PAGE_SIZE = 50
RECORDS_PER_SUBJECT = 10

FLOOR_QUERY = f"""
    MATCH (s:Subject)
    WHERE s.kind = 'LEGAL_PERSON' AND s.id > $after
    WITH s ORDER BY s.id
    LIMIT $first
    CALL (s) {{
        MATCH (s)<-[:ABOUT]-(r:Record)
        WHERE {ANONYMOUS_RECORDS}
        WITH r ORDER BY r.confirmedAt DESC, r.id
        LIMIT $records
        MATCH (r)-[:PROVIDED_BY]->(p:Provider)
        RETURN collect(r {{
            .id, .title, .category, provider: [p {{.name}}],
            documents: COLLECT {{
                MATCH (r)-[:BASED_ON]->(d:Document)-[:ISSUED_BY]->(issuer:Provider)
                WITH d, issuer ORDER BY d.issuedAt, d.id
                RETURN d {{.number, issuer: [issuer {{.name}}]}}
            }}
        }}) AS records
    }}
    RETURN s {{.id, .code, .name, records: records}} AS subject
"""
"""The page as one query: what an engineer would write for it by hand."""


def driver_of(config: Neo4jConfig) -> neo4j.AsyncDriver:
    return neo4j.AsyncGraphDatabase.driver(config.uri, auth=(config.user, config.password))


async def read(driver: neo4j.AsyncDriver, database: str, text: str, **params: Any) -> list[dict[str, Any]]:
    """One auto-commit read, as the API's Store.read sends it (graph_store/connection.py)."""
    async with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        result = await session.run(text, params)
        return [record.data() async for record in result]


def closing(driver: neo4j.AsyncDriver) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the driver closes with it."""

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await driver.close()

    return lifespan


def today() -> datetime.date:
    return china_now().date()


async def ready(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ready")


def floor_app(config: Neo4jConfig) -> Starlette:
    driver = driver_of(config)

    async def page(request: Request) -> JSONResponse:
        variables = (await request.json()).get("variables") or {}
        rows = await read(
            driver,
            config.database,
            FLOOR_QUERY,
            after=variables.get("after") or "",
            first=PAGE_SIZE,
            records=RECORDS_PER_SUBJECT,
            today=today(),
        )
        return JSONResponse({"data": {"subjects": [row["subject"] for row in rows]}})

    return Starlette(
        routes=[Route("/graphql", page, methods=["POST"]), Route("/readyz", ready)], lifespan=closing(driver)
    )


NAIVE_PAGE = """query Page($after: String!) { subjects(after: $after, limit: 50) {
    id code name
    records(limit: 10) { id title category provider { name } documents { number issuer { name } } }
} }"""
"""The page as the naive build is asked for it (the peer's shape)."""


def naive_app(config: Neo4jConfig) -> Starlette:
    driver = driver_of(config)

    async def ask(text: str, **params: Any) -> list[dict[str, Any]]:
        return await read(driver, config.database, text, **params)

    @strawberry.type
    class Provider:
        name: str

    @strawberry.type
    class Document:
        number: str
        id: strawberry.Private[str]

        @strawberry.field
        async def issuer(self) -> list[Provider]:
            rows = await ask("MATCH (:Document {id: $id})-[:ISSUED_BY]->(p:Provider) RETURN p.name AS name", id=self.id)
            return [Provider(name=row["name"]) for row in rows]

    @strawberry.type
    class Record:
        id: str
        title: str
        category: str

        @strawberry.field
        async def provider(self) -> list[Provider]:
            rows = await ask("MATCH (:Record {id: $id})-[:PROVIDED_BY]->(p:Provider) RETURN p.name AS name", id=self.id)
            return [Provider(name=row["name"]) for row in rows]

        @strawberry.field
        async def documents(self) -> list[Document]:
            rows = await ask(
                """MATCH (:Record {id: $id})-[:BASED_ON]->(d:Document)
                RETURN d.id AS id, d.number AS number ORDER BY d.issuedAt, d.id""",
                id=self.id,
            )
            return [Document(id=row["id"], number=row["number"]) for row in rows]

    @strawberry.type
    class Subject:
        id: str
        code: str
        name: str

        @strawberry.field
        async def records(self, limit: int) -> list[Record]:
            rows = await ask(
                f"""MATCH (s:Subject {{id: $id}})<-[:ABOUT]-(r:Record) WHERE {ANONYMOUS_RECORDS}
                RETURN r.id AS id, r.title AS title, r.category AS category
                ORDER BY r.confirmedAt DESC, r.id LIMIT $limit""",
                id=self.id,
                limit=limit,
                today=today(),
            )
            return [Record(**row) for row in rows]

    @strawberry.type
    class Query:
        @strawberry.field
        async def subjects(self, after: str, limit: int) -> list[Subject]:
            rows = await ask(
                """MATCH (s:Subject) WHERE s.kind = 'LEGAL_PERSON' AND s.id > $after
                RETURN s.id AS id, s.code AS code, s.name AS name ORDER BY s.id LIMIT $limit""",
                after=after,
                limit=limit,
            )
            return [Subject(**row) for row in rows]

    graphql = GraphQL(strawberry.Schema(query=Query))
    return Starlette(
        routes=[Route("/graphql", graphql, methods=["POST"]), Route("/readyz", ready)], lifespan=closing(driver)
    )
