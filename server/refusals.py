"""One shape for every refusal, whichever layer refuses: a middleware, the router, GraphQL over HTTP, an error no
layer expected. Nothing the server answers to a request it refuses is plain text.

A refusal is a GraphQL response whose error carries `extensions.code` (docs/contract.md) and `extensions.requestId`
(the answer's X-Request-Id, under which the server log and the access log keep the request), as the errors of an
operation do (schema/errors.py). It comes in the media type the client accepts (docs/http.md): in application/json
with `data: null`, as every application/json answer has a `data` entry; in application/graphql-response+json
without one, as nothing ran. Its HTTP status says what kind of refusal it is, in both.
"""

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import mimeparse
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Scope

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"

CODE_OF_STATUS = {
    401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 413: "LIMIT_EXCEEDED", 429: "RATE_LIMITED",
    500: "INTERNAL", 503: "UNAVAILABLE",
}  # fmt: skip
"""The code of a refusal known only by its HTTP status (the router's, Strawberry's); any other 4xx is the request's
fault: BAD_USER_INPUT."""


@lru_cache(maxsize=256)
def negotiate(accept: str | None) -> str | None:
    """The media type to answer in, or None if the client accepts neither of ours.

    Kept for the Accept headers last seen: a client sends the same one with every request, and parsing it twice a
    request was 2% of the request floor's CPU (docs/performance.md, "subject(code) at 16 clients").

    The higher quality wins; between equals, application/graphql-response+json if the client names it before
    application/json. No Accept header, or only wildcards, means application/json: what legacy clients expect and
    what the spec's audit asks for.
    """
    if not accept or not accept.strip():
        return JSON
    try:
        quality = {media_type: mimeparse.quality(media_type, accept) for media_type in (GRAPHQL_RESPONSE, JSON)}
    except mimeparse.MimeTypeParseException:
        return None
    if max(quality.values()) == 0:
        return None
    if quality[GRAPHQL_RESPONSE] != quality[JSON]:
        return max(quality, key=lambda media_type: quality[media_type])
    named = accept.lower()
    graphql_response, json = named.find(GRAPHQL_RESPONSE), named.find(JSON)
    return GRAPHQL_RESPONSE if graphql_response >= 0 and (json < 0 or graphql_response < json) else JSON


def code_of_status(status_code: int) -> str:
    return CODE_OF_STATUS.get(status_code, "INTERNAL" if status_code >= 500 else "BAD_USER_INPUT")


def refusal(
    scope: Scope, message: str, code: str, status_code: int, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The answer to a request refused with `code`: what it says, whoever says it. A client that accepts neither of
    our media types is still told why, in application/json."""
    state = scope.setdefault("state", {})
    request_id, state["code"] = state.get("request_id", "-"), code
    media_type = negotiate(Headers(scope=scope).get("accept")) or JSON
    errors = [{"message": message, "extensions": {"code": code, "requestId": request_id}}]
    body: dict[str, Any] = {"data": None, "errors": errors} if media_type == JSON else {"errors": errors}
    return JSONResponse(body, status_code=status_code, headers=dict(headers or {}), media_type=media_type)
