"""Traces: one server span per request named by its route, a span per Cypher query under it, none of them naming a
person, a token or a request's variables; and with no OTEL_EXPORTER_OTLP_ENDPOINT, nothing set up at all."""

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from starlette.applications import Starlette

from graph_store.connection import Store
from server import settings as settings_module
from server.tracing import RequestSpanMiddleware, provider_from_environment, trace_from_environment

from .conftest import PERSON, headers, make_app, token
from .test_server import app_client

SUBJECT = "query($c: String!) { subject(code: $c) { name code } }"


@pytest.fixture(scope="module")
def exporter() -> Iterator[InMemorySpanExporter]:
    """The process's tracer provider, recording into memory for this module. A process sets its provider once: it
    stays after this module, its exporter stopped (the tests after it make no spans: their apps are not traced)."""
    recorded = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(recorded))
    trace.set_tracer_provider(provider)
    yield recorded
    recorded.shutdown()


@pytest.fixture
def spans(exporter: InMemorySpanExporter) -> InMemorySpanExporter:
    exporter.clear()
    return exporter


@pytest.fixture(scope="module")
async def traced(sample_store: Store, exporter: InMemorySpanExporter) -> AsyncIterator[httpx.AsyncClient]:
    app = make_app(settings_module.load(), traced=True)
    async with app.router.lifespan_context(app), app_client(app) as client:
        yield client


def server_spans(spans: InMemorySpanExporter) -> list[ReadableSpan]:
    return [span for span in spans.get_finished_spans() if span.kind == SpanKind.SERVER]


def cypher_spans(spans: InMemorySpanExporter) -> list[ReadableSpan]:
    return [span for span in spans.get_finished_spans() if span.name.startswith("cypher ")]


async def read_own_subject(client: httpx.AsyncClient) -> httpx.Response:
    """The person reads their own subject: their resident ID in the variables, their name in the answer."""
    return await client.post(
        "/graphql", json={"query": SUBJECT, "variables": {"c": PERSON}}, headers=headers("SUBJECT", PERSON)
    )


def everything_said(span: ReadableSpan) -> str:
    """Every string a span carries to a collector: its name, status, attributes, events', links' and resource's."""
    said: list[Any] = [span.name, span.status.description, *span.attributes.values()]  # type: ignore[union-attr]
    said += [value for event in span.events for value in (event.name, *event.attributes.values())]  # type: ignore[union-attr]
    said += [value for link in span.links for value in link.attributes.values()]  # type: ignore[union-attr]
    said += list(span.resource.attributes.values())
    return repr(said)


async def test_each_request_is_one_server_span_named_by_its_route(
    traced: httpx.AsyncClient, spans: InMemorySpanExporter
):
    read = await read_own_subject(traced)
    page = await traced.get(f"/reports/{PERSON}", headers=headers("SUBJECT", PERSON))
    missing = await traced.get("/no/such/path")
    found = server_spans(spans)
    assert [span.name for span in found] == ["POST /graphql", "GET /reports/{code}", "GET"]
    first, second, third = (dict(span.attributes or {}) for span in found)
    assert first["credit_graph.request_id"] == read.headers["X-Request-Id"]
    assert first["credit_graph.root_fields"] == ("subject",) and first["credit_graph.code"] == "OK"
    assert first["http.route"] == "/graphql" and first["http.response.status_code"] == 200
    assert second["credit_graph.request_id"] == page.headers["X-Request-Id"]
    assert second["http.route"] == "/reports/{code}" and second["credit_graph.root_fields"] == ()
    assert third["http.response.status_code"] == missing.status_code == 404 and "http.route" not in third


async def test_each_cypher_query_is_a_span_under_its_request(traced: httpx.AsyncClient, spans: InMemorySpanExporter):
    body = (await read_own_subject(traced)).json()
    assert body["data"]["subject"]["code"] == PERSON
    [request] = server_spans(spans)
    assert request.context is not None and request.parent is None
    trace_id = request.context.trace_id
    queries = [span for span in cypher_spans(spans) if span.context and span.context.trace_id == trace_id]
    assert queries, "reading a subject asks Neo4j"
    by_id = {span.context.span_id: span for span in spans.get_finished_spans() if span.context}
    for query in queries:
        parent = query.parent
        while parent is not None and parent.span_id != request.context.span_id:
            parent = by_id[parent.span_id].parent
        assert parent is not None, f"{query.name} is not under the request's span"
        attributes = dict(query.attributes or {})
        assert query.kind == SpanKind.CLIENT and attributes["db.system"] == "neo4j" and attributes["db.name"]
        assert "MATCH" in str(attributes["db.statement"]) or "MERGE" in str(attributes["db.statement"])
        assert isinstance(attributes["db.response.returned_rows"], int)
    assert any("$" in str(dict(query.attributes or {})["db.statement"]) for query in queries)  # parameters, not values


async def test_no_span_names_the_person_their_token_or_the_variables(
    traced: httpx.AsyncClient, spans: InMemorySpanExporter
):
    own = headers("SUBJECT", PERSON)
    name = (await read_own_subject(traced)).json()["data"]["subject"]["name"]
    inline = f'{{ subject(code: "{PERSON}") {{ name }} }}'
    await traced.get("/graphql", params={"query": SUBJECT, "variables": f'{{"c": "{PERSON}"}}'}, headers=own)
    await traced.get("/graphql", params={"query": inline}, headers=own)
    await traced.get(f"/reports/{PERSON}", headers=own)
    await traced.get(f"/graph/{PERSON}", headers=own)
    forged = {"Authorization": f"Bearer {token('SUBJECT', PERSON)}x"}
    await traced.post("/graphql", json={"query": inline}, headers=forged)
    assert len(server_spans(spans)) == 6 and cypher_spans(spans)
    secret = own["Authorization"].removeprefix("Bearer ")
    for span in spans.get_finished_spans():
        said = everything_said(span)
        assert PERSON not in said and name not in said and secret not in said, span.name


async def test_a_failed_query_records_its_kind_not_its_message(sample_store: Store, spans: InMemorySpanExporter):
    with (
        trace.get_tracer(__name__).start_as_current_span("a request"),
        pytest.raises(Exception, match=PERSON),  # Neo4j's message quotes the value that broke the constraint
    ):
        await sample_store.write("CREATE (s:Subject {code: $code})", code=PERSON)
    [failed] = [
        span for span in cypher_spans(spans) if "CREATE (s:Subject" in str((span.attributes or {})["db.statement"])
    ]
    assert failed.status.status_code == StatusCode.ERROR and failed.status.description == "ConstraintError"
    assert PERSON not in everything_said(failed) and not failed.events


async def test_a_callers_trace_is_linked_never_the_parent(traced: httpx.AsyncClient, spans: InMemorySpanExporter):
    caller = "4bf92f3577b34da6a3ce929d0e0e4736"
    await traced.get("/healthz", headers={"traceparent": f"00-{caller}-00f067aa0ba902b7-00"})
    [request] = server_spans(spans)
    assert request.parent is None and request.context is not None and f"{request.context.trace_id:032x}" != caller
    assert [f"{link.context.trace_id:032x}" for link in request.links] == [caller]


async def test_a_query_outside_a_request_makes_no_span(sample_store: Store, spans: InMemorySpanExporter):
    await sample_store.read("MATCH (s:Subject {code: $code}) RETURN s.name AS name", code=PERSON)
    assert not cypher_spans(spans)  # with traces off, no query is ever inside a recorded span: none costs a span


def test_without_an_endpoint_nothing_is_set_up(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    threads = threading.active_count()
    assert provider_from_environment() is None and trace_from_environment() is False
    app: Starlette = make_app(settings_module.load())
    assert RequestSpanMiddleware.__name__ not in {
        getattr(middleware.cls, "__name__", "") for middleware in app.user_middleware
    }
    assert threading.active_count() == threads  # no exporter's thread


def test_with_an_endpoint_spans_are_sent_over_otlp_http(monkeypatch: pytest.MonkeyPatch):
    received: list[tuple[str, str, bytes]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, self.headers["Content-Type"], body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    with HTTPServer(("127.0.0.1", 0), Collector) as collector:
        threading.Thread(target=collector.serve_forever, daemon=True).start()
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{collector.server_address[1]}")
        monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
        provider = provider_from_environment()
        assert provider is not None
        with provider.get_tracer("test").start_as_current_span("a span"):
            pass
        provider.shutdown()  # the batch is sent before it returns
        collector.shutdown()
    [(path, content_type, body)] = received
    assert path == "/v1/traces" and content_type == "application/x-protobuf"
    sent = ExportTraceServiceRequest.FromString(body).resource_spans[0]
    service = {attribute.key: attribute.value.string_value for attribute in sent.resource.attributes}
    assert service["service.name"] == "credit-graph"
    assert [span.name for span in sent.scope_spans[0].spans] == ["a span"]
