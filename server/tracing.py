"""OpenTelemetry traces: a server span per request, and under it the store's span per Cypher query
(graph_store/connection.py), exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/operations.md).

A span names a request by its route's template (`/reports/{code}`, never the path), its root fields and its
request id, from an allow-list: never its URL or query string, a header, the caller's address, an exception's
message or a query's parameters, where resident IDs, names, tokens and variables are (personal data about real
people). Unset, nothing is set up: no provider, exporter or thread, and no span middleware in the app.
"""

import os

from opentelemetry import propagate, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.propagators.textmap import Getter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from starlette.types import ASGIApp, Receive, Scope, Send

from .observability import StatusNoted, code_of, fields_of

DEFAULT_SERVICE_NAME = "credit-graph"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})
tracer = trace.get_tracer(__name__)


def provider_from_environment() -> TracerProvider | None:
    """OTLP over HTTP in batches to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads it, and the other OTEL_EXPORTER_
    variables, itself), as OTEL_SERVICE_NAME or "credit-graph"; None when no endpoint is set."""
    if not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return None
    service = os.environ.get("OTEL_SERVICE_NAME") or DEFAULT_SERVICE_NAME
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def trace_from_environment() -> bool:
    """Sets the process's tracer provider, once, at start, if the environment asks for traces; whether it did."""
    provider = provider_from_environment()
    if provider is None:
        return False
    trace.set_tracer_provider(provider)
    return True


class HeaderGetter(Getter[Scope]):
    """A caller's trace context (traceparent) from the ASGI headers."""

    def get(self, carrier: Scope, key: str) -> list[str] | None:
        name = key.lower().encode("latin-1")
        found = [value.decode("latin-1") for header, value in carrier["headers"] if header == name]
        return found or None

    def keys(self, carrier: Scope) -> list[str]:
        return [header.decode("latin-1") for header, _ in carrier["headers"]]


def links_to_caller(scope: Scope) -> list[trace.Link]:
    """The caller's span, as a link: a request's trace is the server's own, as its request id is (a caller could
    otherwise join it to a trace of its choice, or unsample it)."""
    caller = trace.get_current_span(propagate.extract(scope, getter=HeaderGetter())).get_span_context()
    return [trace.Link(caller)] if caller.is_valid else []


class RequestSpanMiddleware:
    """One server span per HTTP request, around every other middleware, so the store's spans are its children.

    Its name and attributes are set once the request is answered, from what the inner layers found: the matched
    route's template, the root fields (server/observability.py), the request id, the status and the code."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        noted = StatusNoted(send)
        method = scope["method"] if scope["method"] in METHODS else "_OTHER"
        with tracer.start_as_current_span(
            method,
            kind=trace.SpanKind.SERVER,
            links=links_to_caller(scope),
            record_exception=False,  # an exception's message may quote a person's data
            set_status_on_exception=False,
        ) as span:
            try:
                await self.app(scope, receive, noted)
            finally:
                status = noted.status
                state = scope.get("state", {})
                span.set_attributes(
                    {
                        "http.request.method": method,
                        "http.response.status_code": status,
                        "credit_graph.request_id": state.get("request_id", ""),
                        "credit_graph.root_fields": fields_of(scope),
                        "credit_graph.code": code_of(scope, status),
                    }
                )
                route = getattr(scope.get("route"), "path", None)  # the matched route's template; none for a 404
                if route is not None:
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)
                if status >= 500:
                    span.set_status(trace.StatusCode.ERROR)
