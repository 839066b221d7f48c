"""What an operator sees of the API: Prometheus series at /metrics and one JSON log line per request.

Both name a request by the schema's root fields it asked (`subjects`, `grantConsent`) or the page it opened, and
by the code it was answered with, never by anything a caller chose (an operation name, an alias, a path) or a
person's name or resident ID: series stay few, and the log holds no personal data (docs/operations.md).
"""

import json
import logging
import os
import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .refusals import code_of_status

REQUESTS = Counter(
    "credit_graph_requests", "Requests answered, by what they asked and the code they were answered with.",
    ["operation", "code"],
)  # fmt: skip
REQUEST_SECONDS = Histogram(
    "credit_graph_request_duration_seconds",
    "Time from a request's first byte to its answer's last, by what it asked.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
PAGES = {"healthz": "/healthz", "readyz": "/readyz", "metrics": "/metrics", "reports": "report page",
         "graph": "graph page", "static": "static", "vendor": "static", "graphiql": "static"}  # fmt: skip
"""How a request that is not a GraphQL operation is named, by the first segment of its path."""
request_log = logging.getLogger("credit_graph.requests")


def fields_of(scope: Scope) -> tuple[str, ...]:
    """The schema's root fields a GraphQL request asked; none for a page, or a request refused before GraphQL."""
    context = scope.get("state", {}).get("context")
    return tuple(context.root_fields) if context is not None else ()


def operation_of(scope: Scope, fields: tuple[str, ...]) -> str:
    """The request's name in the series: its first root field (one series per field of the schema, whatever the
    caller combines), or its page, or "-" (a refusal before GraphQL, an unknown path)."""
    if fields:
        return fields[0]
    first = scope["path"].strip("/").split("/", 1)[0]
    return PAGES.get(first, "-")


def code_of(scope: Scope, status: int) -> str:
    """The code a request was answered with: its refusal's, or the one its HTTP status stands for."""
    return scope.get("state", {}).get("code") or ("OK" if status < 400 else code_of_status(status))


class StatusNoted:
    """`send`, noting the answer's status as it passes: 500 until one is sent (an exception is the server's fault).
    The metrics and the request's span both read it."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status = 500

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self.send(message)


class RequestMetricsMiddleware:
    """Counts and times every request and logs it in one line, once it is answered: just inside the request id
    (and the request's span), so refusals of every other layer are counted too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        noted = StatusNoted(send)
        try:
            await self.app(scope, receive, noted)
        finally:
            seconds = time.perf_counter() - started
            status = noted.status
            state = scope.get("state", {})
            code = code_of(scope, status)
            fields = fields_of(scope)
            operation = operation_of(scope, fields)
            REQUESTS.labels(operation, code).inc()
            REQUEST_SECONDS.labels(operation).observe(seconds)
            principal = state.get("principal")
            request_log.info(
                json.dumps(
                    {
                        "requestId": state.get("request_id"),
                        "actorId": principal.id if principal is not None else None,
                        "role": principal.role if principal is not None else None,
                        "method": scope["method"],
                        "operation": operation,
                        "fields": list(fields),
                        "status": status,
                        "code": code,
                        "durationMs": round(seconds * 1000, 1),
                    }
                )
            )


MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
"""Set by `credit-graph serve` when it runs several processes (before they start, so prometheus_client keeps each
process's series in a file of that folder rather than in its memory)."""


async def metrics(request: Request) -> Response:
    """The Prometheus exposition of this process's series; of all the processes of one `serve` when it runs several
    (prometheus_client's multiprocess mode: each process's files summed, whichever process answers the scrape)."""
    if MULTIPROCESS not in os.environ:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def process_stopped() -> None:
    """A process of several leaving: its live gauges (the access log's waiting entries) stop counting in the sum;
    its counters and histograms still do."""
    if MULTIPROCESS in os.environ:
        multiprocess.mark_process_dead(os.getpid())
