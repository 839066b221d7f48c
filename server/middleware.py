"""Small ASGI middlewares, one job each. Refusals are GraphQL responses with a code and the request id
(server/refusals.py)."""

import logging
import math
import time
import uuid
from collections.abc import Collection
from pathlib import Path
from typing import ClassVar

from limits import parse_many
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from authz.principal import ANONYMOUS, Principal, Refused, TokenKeys, principal_from_header
from credit.errors import StoreError
from graph_store import reads

from .refusals import refusal
from .shared_limits import SharedWindows

logger = logging.getLogger("credit_graph.access_log")
errors = logging.getLogger("credit_graph.errors")
MAX_PURPOSE = 64


async def log_refusal(scope: Scope, principal: Principal, reason: str) -> None:
    state = scope["state"]
    await scope["app"].state.refusals.record(
        principal,
        reason,
        client_address(scope),
        request_id=state["request_id"],
        correlation_id=state["correlation_id"],
        at=scope["app"].state.clock(),
    )


def client_address(scope: Scope) -> str:
    return (scope.get("client") or ("unknown",))[0]


class RequestIdMiddleware:
    """Give every request the server's own id, sent back as X-Request-Id and used by the access log.

    A caller's X-Request-Id is kept only as a correlation id (echoed as X-Correlation-Id and stored beside the
    log entry): an id the caller chose cannot name, or collide with, another request's entry.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        correlation_id = given if 0 < len(given) <= 64 and given.isascii() and given.isprintable() else None
        request_id = uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"], state["correlation_id"] = request_id, correlation_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers["X-Request-Id"] = request_id
                if correlation_id is not None:
                    response_headers["X-Correlation-Id"] = correlation_id
            await send(message)

        await self.app(scope, receive, send_with_id)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
"""Scripts, styles, workers, fonts, images and requests from this origin only, nothing inline."""


class SecurityHeadersMiddleware:
    """Every answer is kept out of caches unless its route says otherwise, is not sniffed, framed or referred, and
    a page loads scripts, styles and data from this origin only: answers carry credit data about real people.

    A route may send a Content-Security-Policy of its own; only GraphiQL does (server/graphiql.py says why)."""

    HEADERS: ClassVar[dict[str, str]] = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers.update(self.HEADERS)
                if "content-security-policy" not in response_headers:
                    response_headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                if "cache-control" not in response_headers:
                    response_headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CrossOriginMiddleware(CORSMiddleware):
    """Pages on the origins of CORS_ORIGINS (none by default) may call the API from a browser: Starlette's CORS, with
    the headers a client sends and reads.

    A preflight is answered here, before the body limit, the token, the rate limit and the purpose are looked at:
    it carries none of them and asks for nothing but leave. Allowed, it is 204 with the Access-Control headers; not
    allowed, it is refused like anything else (server/refusals.py): 403 FORBIDDEN, saying what was not allowed.
    """

    METHODS = ("GET", "POST")
    HEADERS = ("Authorization", "Content-Type", "Accept", "X-Query-Purpose", "X-Request-Id")
    EXPOSED = ("X-Request-Id", "X-Correlation-Id", "Retry-After", "WWW-Authenticate")
    """Headers of the answer a page's script may read besides the safe ones (Content-Type, Cache-Control, ...)."""

    def __init__(self, app: ASGIApp, origins: Collection[str]) -> None:
        super().__init__(app, allow_origins=origins, allow_methods=self.METHODS, allow_headers=self.HEADERS,
                         expose_headers=self.EXPOSED)  # fmt: skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        if headers is None or not (
            scope["method"] == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers
        ):
            if self.allow_origins:  # an answer then varies with the Origin it was asked from (Vary: Origin)
                await super().__call__(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        answer = self.preflight_response(request_headers=headers)
        cors = {name: value for name, value in answer.headers.items() if name.startswith(("access-control", "vary"))}
        if answer.status_code == 200:
            await Response(status_code=204, headers=cors)(scope, receive, send)
            return
        await refusal(scope, self.not_allowed(headers), "FORBIDDEN", 403, cors)(scope, receive, send)

    def not_allowed(self, headers: Headers) -> str:
        """What a refused preflight asked that is not allowed, in words."""
        origin = headers["origin"]
        if not self.is_allowed_origin(origin):
            if not self.allow_origins:
                return "no page on another origin may call this API from a browser (CORS_ORIGINS names none)"
            return f"pages on {origin} may not call this API from a browser: CORS_ORIGINS does not name it"
        method = headers["access-control-request-method"]
        if method not in self.allow_methods:
            return f"a browser may send {' and '.join(self.METHODS)} here, not {method}"
        asked = [name.strip() for name in headers.get("access-control-request-headers", "").split(",") if name.strip()]
        if refused := [name for name in asked if name.lower() not in self.allow_headers]:
            return f"a browser may not send the header {', '.join(refused)} here; it may send {', '.join(self.HEADERS)}"
        return "a browser may not ask this of the API from another origin"


class UnexpectedErrorMiddleware:
    """An error no layer expected is answered as a resolver's is (schema/errors.py): INTERNAL and the request id; the
    traceback goes to the server log under the same id. Once an answer has started it can only be cut off."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception:
            request_id = scope["state"]["request_id"]
            errors.error("request %s failed", request_id, exc_info=True)
            if started:
                raise
            message = f"Internal error. Quote request id {request_id} when you report it."
            await refusal(scope, message, "INTERNAL", 500)(scope, receive, send)


class BodySizeLimitMiddleware:
    """Refuse request bodies over the limit before they are read into memory (and before authentication: the
    refusal is counted in the tally by address)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            await self.too_large(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted_receive, send)
        except BodyTooLarge:
            await self.too_large(scope, receive, send)

    async def too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"].state.refusals.count(f"request body over {self.max_bytes} bytes", client_address(scope))
        response = refusal(scope, f"request body over {self.max_bytes} bytes", "LIMIT_EXCEEDED", 413)
        await response(scope, receive, send)


class BodyTooLarge(Exception):
    pass


def bearer_challenge(refused: Refused) -> str:
    """WWW-Authenticate of a 401 (RFC 6750, section 3): the scheme, and when a token was sent but is bad, the error
    `invalid_token` with the reason (printable ASCII without quotes or backslashes, as the header's grammar asks)."""
    if not refused.token_given:
        return "Bearer"
    description = "".join(c for c in str(refused) if c.isascii() and c.isprintable() and c not in '"\\')
    return f'Bearer error="invalid_token", error_description="{description}"'


class AuthenticationMiddleware:
    """The bearer token becomes the request's principal; no token is anonymous, a bad one is refused."""

    def __init__(self, app: ASGIApp, keys: TokenKeys) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            principal = await principal_from_header(Headers(scope=scope).get("authorization"), self.keys)
        except Refused as exc:
            await log_refusal(scope, ANONYMOUS, exc.reason)
            challenge = {"WWW-Authenticate": bearer_challenge(exc)}
            await refusal(scope, str(exc), "UNAUTHENTICATED", 401, challenge)(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


class RateLimitMiddleware:
    """Each caller gets so many requests a second and a minute (RATE_LIMIT, e.g. "30/second;1200/minute"): an
    authenticated principal by its id, an anonymous one by its address. Past a limit the answer is 429 with
    Retry-After and RATE_LIMITED, counted in the refusal tally rather than written one by one (a flood must not
    become a flood of log writes). The health probes are never limited: an orchestrator polls them.

    The counting is the `limits` library's sliding window counter with expiring keys: in this process's memory,
    or, given `shared` (the file `credit-graph serve` names when it runs several processes), in that file, which all
    the processes count in (server/shared_limits.py): a caller gets the limit whichever process answers it.
    """

    EXEMPT = frozenset({"/healthz", "/readyz"})

    def __init__(self, app: ASGIApp, limits: str, shared: Path | None = None) -> None:
        self.app = app
        self.limits = parse_many(limits)
        self.limiter = SlidingWindowCounterRateLimiter(MemoryStorage() if shared is None else SharedWindows(shared))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.EXEMPT:
            await self.app(scope, receive, send)
            return
        principal: Principal = scope["state"]["principal"]
        caller = client_address(scope) if principal.is_anonymous else f"actor {principal.id}"
        for limit in self.limits:
            if not await self.limiter.hit(limit, caller):
                reset_at, _ = await self.limiter.get_window_stats(limit, caller)
                wait = max(1, math.ceil(reset_at - time.time()))
                scope["app"].state.refusals.count(f"rate limited ({limit})", caller)
                message = f"too many requests: at most {limit} for one caller; retry after {wait} s"
                response = refusal(scope, message, "RATE_LIMITED", 429, {"Retry-After": str(wait)})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class QueryPurposeMiddleware:
    """X-Query-Purpose must name a purpose of the query application catalog (Art. 20).

    The catalog is read from the store and kept for a minute; an unknown code
    re-reads it at once, so a newly imported purpose works on its first use.
    """

    CATALOG_SECONDS = 60.0
    REREAD_SECONDS = 1.0  # an unknown code re-reads at most this often: junk headers cannot flood the store

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.catalog: dict[str, tuple[str, ...]] = {}
        """Each purpose's code, with the record categories it serves (Arts. 20-21)."""
        self.read_at = float("-inf")

    async def known(self, scope: Scope, purpose: str) -> bool:
        """Whether the catalog names the purpose; while the store does not answer, the catalog last read decides
        for a purpose it names (the request then meets the store's unavailability where every request does).
        A purpose's categories are as the catalog last read says: a change reaches requests within a minute."""
        age = time.monotonic() - self.read_at
        if age > self.CATALOG_SECONDS or (purpose not in self.catalog and age > self.REREAD_SECONDS):
            try:
                self.catalog = await reads.query_purpose_categories(scope["app"].state.store)
            except StoreError:
                if purpose not in self.catalog:
                    raise
                return True
            self.read_at = time.monotonic()
        return purpose in self.catalog

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        purpose = Headers(scope=scope).get("x-query-purpose") if scope["type"] == "http" else None
        if purpose is None:
            await self.app(scope, receive, send)
            return
        try:
            known = await self.known(scope, purpose)
        except StoreError:
            response = refusal(scope, "The credit store is unavailable; try again shortly.", "UNAVAILABLE", 503)
            await response(scope, receive, send)
            return
        if not known:
            named = purpose if len(purpose) <= MAX_PURPOSE else purpose[:MAX_PURPOSE] + "…"  # the log keeps no essays
            message = f"X-Query-Purpose {named!r} is not in the query application catalog (Art. 20)"
            principal = scope["state"]["principal"]
            reason = "unknown X-Query-Purpose" if principal.is_anonymous else message
            await log_refusal(scope, principal.with_purpose(named), reason)
            await refusal(scope, message, "BAD_USER_INPUT", 400)(scope, receive, send)
            return
        state = scope["state"]
        state["principal"] = state["principal"].with_purpose(purpose, self.catalog[purpose])
        await self.app(scope, receive, send)
