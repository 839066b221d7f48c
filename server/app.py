"""The ASGI application: routes, middleware and the store's lifetime, wired in one place."""

import asyncio
import datetime
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry import Schema

from authz.access_log import LogWriter, RefusalTally
from authz.secrets import CURSORS, derived_key
from credit.errors import StoreError
from credit.model import china_now
from graph_store.connection import Store, open_store
from resolvers.context import RequestContext, RunningLookups
from resolvers.pagination import Cursors
from schema import build_schema
from schema.limits import MAX_BODY_BYTES

from . import settings as settings_module
from .graph_page import graph_page, vendor_script
from .graphiql import EXAMPLES, BuiltFiles, graphiql_page
from .graphql_http import GraphQLOverHTTP
from .middleware import (
    AuthenticationMiddleware,
    BodySizeLimitMiddleware,
    CrossOriginMiddleware,
    QueryPurposeMiddleware,
    RateLimitMiddleware,
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
    UnexpectedErrorMiddleware,
    client_address,
)
from .observability import RequestMetricsMiddleware, metrics, process_stopped
from .refusals import code_of_status, refusal
from .reports import report_page
from .settings import Settings
from .tracing import RequestSpanMiddleware, trace_from_environment
from .trusted_documents import TrustedDocuments

logger = logging.getLogger("credit_graph.server")


class CreditGraphQL(GraphQLOverHTTP):
    """GraphQL over HTTP, with one RequestContext per request (its own loaders and filter)."""

    def __init__(
        self,
        *args: Any,
        context_type: type[RequestContext] = RequestContext,
        tabs: list[dict[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.context_type = context_type
        self.tabs = tabs or []
        """GraphiQL's first tabs (development: an example operation for each role)."""

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_page(request, self.tabs)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> RequestContext:
        context = request_context(request, self.context_type)
        request.state.context = context  # what the request log and the metrics name the request by
        return context


def request_context(
    request: Request | WebSocket, context_type: type[RequestContext] = RequestContext
) -> RequestContext:
    """What every request carries, from what the middleware found (request id, principal) and the app's clock."""
    return context_type(
        store=request.app.state.store.for_request(),
        request_id=request.state.request_id,
        correlation_id=request.state.correlation_id,
        log_writer=request.app.state.log_writer,
        cursors=request.app.state.cursors,
        refusals=request.app.state.refusals,
        source=client_address(request.scope),
        principal=request.state.principal,
        calendar=request.app.state.calendar,
        now=request.app.state.clock(),
        lookup_limits=request.app.state.lookup_limits,
        running_lookups=request.app.state.running_lookups,
    )


async def credit_report_page(request: Request) -> Response:
    return await report_page(request, request_context(request))


async def relationship_graph_page(request: Request) -> Response:
    return await graph_page(request, request_context(request))


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    store: Store = request.app.state.store
    try:
        await store.ping()
    except StoreError:
        logger.exception("readyz: the store does not answer")  # the reason is for operators, not for callers
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ready"})


async def http_refusal(request: Request, exc: Exception) -> Response:
    """What the router and the static files refuse (no such path, a method the route does not take), in the one
    shape of a refusal."""
    assert isinstance(exc, HTTPException)
    message = exc.detail
    if exc.status_code == 404 and message == "Not Found":
        message = f"there is nothing at {request.url.path}: the API is /graphql"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}: use {(exc.headers or {}).get('Allow')}"
    return refusal(request.scope, message, code_of_status(exc.status_code), exc.status_code, exc.headers)


YOUNG_COLLECTION_AFTER = 10_000
"""Allocations between two collections of the youngest generation (Python's default is 700, several per request):
a request's objects are freed by reference counting, and collecting less often saved 4-7% of the request floor's
CPU (docs/performance.md, "subject(code) at 16 clients")."""


def keep_out_of_garbage_collection() -> None:
    """What startup made (modules, the schema, the policy, the driver) lives as long as the process: frozen, the
    collector never scans it again. A full collection over it paused every request in flight (docs/performance.md,
    "Request floor"). What requests make is collected in larger steps (`YOUNG_COLLECTION_AFTER`)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, middle, old)


def create_app(
    settings: Settings,
    *,
    graphql_schema: Schema | None = None,
    context_type: type[RequestContext] = RequestContext,
    clock: Callable[[], datetime.datetime] = china_now,
    traced: bool = False,
) -> Starlette:
    """The app; bench/ passes other schemas and contexts to measure what the log and the policy cost.

    The schema is closed (no introspection, no suggestions) unless the settings open it.

    `clock` says what time a request is made at (China time); tests set it to walk deadlines across holidays.

    `traced` puts a span around every request (server/tracing.py), for the tracer provider the process has set.
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_store(settings.neo4j()) as store:
            app.state.store = store
            app.state.log_writer = LogWriter(store)
            app.state.refusals = RefusalTally(app.state.log_writer, settings.refusal_log_period)
            app.state.calendar = settings.calendar_dir
            flushing = asyncio.create_task(app.state.refusals.keep_flushing(app.state.clock))
            keep_out_of_garbage_collection()
            try:
                yield
            finally:
                flushing.cancel()
                await app.state.refusals.flush(app.state.clock())
                process_stopped()

    graphql_schema = graphql_schema or build_schema(
        closed=not settings.introspection,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_cost,
        rate_limit=settings.rate_limit,
        lookups=settings.lookup_limits,
        query_timeout=settings.query_timeout,
    )
    graphql = CreditGraphQL(
        graphql_schema,
        context_type=context_type,
        trusted=TrustedDocuments.from_file(settings.trusted_documents) if settings.trusted_documents else None,
        graphql_ide="graphiql" if settings.introspection else None,  # it needs introspection to work
        tabs=[example.tab() for example in EXAMPLES] if settings.development else [],
        allow_queries_via_get=True,  # queries only: a mutation over GET is refused with 405 (docs/http.md)
    )
    graphql_route = Route("/graphql", graphql, methods=["GET", "POST"])
    graphql_route.methods = {"GET", "POST"}  # not the HEAD Starlette adds to GET: the view answers GET and POST only
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            graphql_route,
            Route("/reports/{code}", credit_report_page, methods=["GET"]),
            Route("/graph/{code}", relationship_graph_page, methods=["GET"]),
            Route("/vendor/{name}", vendor_script, methods=["GET"]),
            Mount("/static", app=StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
            *([Mount("/graphiql", app=BuiltFiles(), name="graphiql")] if settings.introspection else []),
        ],
        middleware=[
            *([Middleware(RequestSpanMiddleware)] if traced else []),
            Middleware(RequestIdMiddleware),
            Middleware(RequestMetricsMiddleware),
            Middleware(SecurityHeadersMiddleware),
            Middleware(CrossOriginMiddleware, origins=settings.cors_origins),  # preflights end here
            Middleware(UnexpectedErrorMiddleware),
            Middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES),
            Middleware(AuthenticationMiddleware, keys=settings.token_keys()),
            Middleware(RateLimitMiddleware, limits=settings.rate_limit, shared=settings.rate_limit_store),
            Middleware(QueryPurposeMiddleware),
        ],
        exception_handlers={HTTPException: http_refusal},
        lifespan=lifespan,
    )
    app.state.clock = clock
    app.state.cursors = Cursors(derived_key(settings.server_secret(), CURSORS))
    app.state.lookup_limits = settings.lookup_limits
    app.state.running_lookups = RunningLookups()
    app.state.schema = graphql_schema
    return app


def app_from_environment() -> Starlette:
    """The app as `credit-graph serve` runs it, once in each worker process (each with its own span exporter)."""
    return create_app(settings_module.load(), traced=trace_from_environment())
