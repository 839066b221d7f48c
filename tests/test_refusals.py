"""One error envelope: every refusal, whichever layer makes it (the router, a middleware, GraphQL over HTTP, parsing,
validation, execution, an error nobody expected), is a GraphQL response whose first error carries
`extensions.code` and `extensions.requestId` (the answer's X-Request-Id), in the media type the client accepts;
a 401 also says `WWW-Authenticate: Bearer`."""

import dataclasses
import itertools
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from graph_store.connection import Store
from resolvers.context import RequestContext
from server import settings as settings_module

from .conftest import COMPANY, COURT, PURPOSE, headers, make_app, token

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
CATALOG = {"query": "{ catalog { id } }"}
addresses = (f"10.12.{n // 250}.{n % 250 + 1}" for n in itertools.count())
"""Each request from an address of its own: the rate limit of one case never touches another's."""


@dataclass
class BrokenContext(RequestContext):
    """A request context that fails as it is made: an error no layer expects, outside any resolver."""

    def __post_init__(self) -> None:
        raise RuntimeError("a fault in the server, not in the request")


@dataclass(frozen=True)
class Refusal:
    method: str
    status: int
    """The status in application/json."""
    code: str
    path: str = "/graphql"
    sent: dict[str, Any] = field(default_factory=dict)
    """What httpx sends (json, content, params, headers)."""
    strict_status: int | None = None
    """The status in application/graphql-response+json, where it differs (a request error: 400 rather than 200)."""
    executed: bool = False
    """The operation ran: its `data` entry is there (null) in either media type."""
    app: str = "default"
    before: int = 0
    """Requests sent first, the same, from the same address."""
    headers: dict[str, Callable[[str], bool]] = field(default_factory=dict)
    """Headers the refusal must carry, each with what its value must satisfy."""
    media_type: str | None = None
    """The media type of the answer whatever the client asked (it accepts neither of ours)."""


async def too_large() -> AsyncIterator[bytes]:
    """A body that does not say its length (chunked), larger than the limit."""
    for _ in range(300):
        yield b" " * 1024


REFUSALS = {
    # the router and the static files
    "no-such-path": Refusal("GET", 404, "NOT_FOUND", path="/no/such/path"),
    "no-such-static-file": Refusal("GET", 404, "NOT_FOUND", path="/static/none.css"),
    "method-the-route-does-not-take": Refusal(
        "PUT", 405, "BAD_USER_INPUT", sent={"json": CATALOG}, headers={"Allow": lambda allow: "POST" in allow}
    ),
    "head-of-graphql": Refusal("HEAD", 405, "BAD_USER_INPUT", headers={"Allow": lambda allow: "HEAD" not in allow}),
    "options-that-is-no-preflight": Refusal("OPTIONS", 405, "BAD_USER_INPUT"),
    # the middlewares
    "body-over-the-limit": Refusal(
        "POST", 413, "LIMIT_EXCEEDED", sent={"content": b" " * 300_000, "headers": {"Content-Type": JSON}}
    ),
    "body-over-the-limit-unannounced": Refusal(
        "POST", 413, "LIMIT_EXCEEDED", sent={"content": too_large, "headers": {"Content-Type": JSON}}
    ),
    "bad-token": Refusal(
        "POST",
        401,
        "UNAUTHENTICATED",
        sent={"json": CATALOG, "headers": {"Authorization": "Bearer not.a.jwt"}},
        headers={
            "WWW-Authenticate": lambda value: value.startswith('Bearer error="invalid_token", error_description="')
        },
    ),
    "expired-token": Refusal(
        "POST",
        401,
        "UNAUTHENTICATED",
        sent={"json": CATALOG, "headers": {"Authorization": f"Bearer {token('ADMIN', 'A', expires_in=-10)}"}},
        headers={"WWW-Authenticate": lambda value: 'error="invalid_token"' in value and "expired" in value},
    ),
    "no-bearer-token": Refusal(
        "POST",
        401,
        "UNAUTHENTICATED",
        sent={"json": CATALOG, "headers": {"Authorization": "Basic dXNlcjpwYXNz"}},
        headers={"WWW-Authenticate": lambda value: value == "Bearer"},
    ),
    "over-the-rate": Refusal(
        "POST",
        429,
        "RATE_LIMITED",
        sent={"json": CATALOG},
        app="limited",
        before=1,
        headers={"Retry-After": lambda value: 1 <= int(value) <= 60},
    ),
    "unknown-purpose": Refusal(
        "POST", 400, "BAD_USER_INPUT", sent={"json": CATALOG, "headers": headers("AGENCY", COURT, "FISHING")}
    ),
    "purpose-while-the-store-is-down": Refusal(
        "POST", 503, "UNAVAILABLE", sent={"json": CATALOG, "headers": headers("AGENCY", COURT, PURPOSE)}, app="down"
    ),
    # GraphQL over HTTP
    "batch": Refusal("POST", 400, "BAD_USER_INPUT", sent={"json": [CATALOG, CATALOG]}),
    "body-not-json": Refusal(
        "POST", 400, "BAD_USER_INPUT", sent={"content": b'{"query": ', "headers": {"Content-Type": JSON}}
    ),
    "not-a-json-request": Refusal("POST", 400, "BAD_USER_INPUT", sent={"data": CATALOG}),
    "no-query": Refusal("POST", 400, "BAD_USER_INPUT", sent={"json": {"qeury": "{ catalog { id } }"}}),
    "nothing-acceptable": Refusal(
        "POST", 406, "BAD_USER_INPUT", sent={"json": CATALOG, "headers": {"Accept": "text/csv"}}, media_type=JSON
    ),
    "mutation-over-get": Refusal(
        "GET",
        405,
        "BAD_USER_INPUT",
        sent={"params": {"query": "mutation { __typename }"}},
        headers={"Allow": lambda value: value == "POST"},
    ),
    # parsing, validation, execution
    "syntax-error": Refusal("POST", 200, "BAD_USER_INPUT", sent={"json": {"query": "{"}}, strict_status=400),
    "too-many-tokens": Refusal(
        "POST", 200, "LIMIT_EXCEEDED", sent={"json": {"query": "{" + " __typename" * 2100 + " }"}}, strict_status=400
    ),
    "does-not-validate": Refusal(
        "POST", 200, "BAD_USER_INPUT", sent={"json": {"query": "{ noSuchField }"}}, strict_status=400
    ),
    "no-such-operation": Refusal(
        "POST", 200, "BAD_USER_INPUT", sent={"json": CATALOG | {"operationName": "Other"}}, strict_status=400
    ),
    "variable-does-not-coerce": Refusal(
        "POST",
        200,
        "BAD_USER_INPUT",
        strict_status=400,
        sent={"json": {"query": "query($c: String!) { subject(code: $c) { name } }", "variables": {"c": 1}}},
    ),
    "date-time-without-offset": Refusal(
        "POST",
        200,
        "BAD_USER_INPUT",
        strict_status=400,
        sent={"json": {"query": '{ accessLog(startAt: "2026-12-02T09:28:00") { totalCount } }'}},
    ),
    "field-refused": Refusal(
        "POST", 200, "FORBIDDEN", sent={"json": {"query": "{ accessLog { totalCount } }"}}, executed=True
    ),
    "agency-without-a-purpose": Refusal(
        "POST",
        200,
        "PURPOSE_REQUIRED",
        executed=True,
        sent={"json": {"query": f'{{ subject(code: "{COMPANY}") {{ name }} }}'}, "headers": headers("AGENCY", COURT)},
    ),
    # an error nobody expected
    "server-fault": Refusal("POST", 500, "INTERNAL", sent={"json": CATALOG}, app="broken"),
}


@pytest.fixture(scope="module")
async def apps(app: Starlette, client: httpx.AsyncClient) -> AsyncIterator[dict[str, Starlette]]:
    """The tests' app (started by `client`), and three of its own: a low rate limit, a store that is not there, a
    fault in the server."""
    limited = make_app(settings_module.load(dict(os.environ) | {"RATE_LIMIT": "1/minute"}))
    down = make_app(dataclasses.replace(settings_module.load(), bolt_port=1))  # nothing listens there
    broken = make_app(settings_module.load(), context_type=BrokenContext)
    async with (
        limited.router.lifespan_context(limited),
        down.router.lifespan_context(down),
        broken.router.lifespan_context(broken),
    ):
        yield {"default": app, "limited": limited, "down": down, "broken": broken}


@pytest.mark.parametrize("accept", [JSON, f"{GRAPHQL_RESPONSE}, {JSON}"], ids=["json", "graphql-response-json"])
@pytest.mark.parametrize("case", list(REFUSALS))
async def test_every_refusal_is_a_graphql_response_with_its_code_and_request_id(
    sample_store: Store, apps: dict[str, Starlette], case: str, accept: str
):
    refusal = REFUSALS[case]
    strict = accept.startswith(GRAPHQL_RESPONSE)
    sent = dict(refusal.sent)
    sent["headers"] = {"Accept": accept} | sent.get("headers", {})
    transport = httpx.ASGITransport(app=apps[refusal.app], client=(next(addresses), 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for _ in range(refusal.before + 1):
            content = sent.get("content")
            response = await client.request(
                refusal.method, refusal.path, **sent | ({"content": content()} if callable(content) else {})
            )
    assert response.status_code == (refusal.strict_status or refusal.status if strict else refusal.status)
    media_type = refusal.media_type or (GRAPHQL_RESPONSE if strict else JSON)
    assert response.headers["Content-Type"] == media_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # it passed through every middleware on its way out
    for name, holds in refusal.headers.items():
        assert holds(response.headers[name]), f"{name}: {response.headers[name]}"
    if refusal.method == "HEAD":
        return  # no body, by definition
    body = response.json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == refusal.code
    assert error["extensions"]["requestId"] == response.headers["X-Request-Id"]
    assert isinstance(error["message"], str) and error["message"]
    if media_type == JSON or refusal.executed:
        assert "data" in body and not any((body["data"] or {}).values())  # null, or nothing in it
    else:
        assert "data" not in body  # nothing ran


async def test_an_error_nobody_expected_tells_the_caller_nothing_but_the_request_id_the_log_keeps_it_under(
    apps: dict[str, Starlette], caplog: pytest.LogCaptureFixture
):
    transport = httpx.ASGITransport(app=apps["broken"])
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post("/graphql", json=CATALOG)
    request_id = response.headers["X-Request-Id"]
    assert (
        response.json()["errors"][0]["message"] == f"Internal error. Quote request id {request_id} when you report it."
    )
    assert "a fault in the server" not in response.text
    assert request_id in caplog.text and "a fault in the server, not in the request" in caplog.text
