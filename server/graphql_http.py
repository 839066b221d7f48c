"""GraphQL over HTTP as its spec says (docs/http.md): the media type the client accepts, the status codes that go
with it, queries over GET but never changes, and which GET answers a cache may keep.

Every refusal is a GraphQL error with `extensions.code` and `extensions.requestId`, in the media type the client
asked for (server/refusals.py).
"""

import json
from typing import Any

import msgspec
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult

from credit import strict_json
from resolvers.context import RequestContext
from schema.errors import with_code

from .middleware import log_refusal
from .refusals import GRAPHQL_RESPONSE, JSON, code_of_status, negotiate
from .refusals import refusal as refused
from .trusted_documents import TrustedDocuments

MAX_BODY_DEPTH = 2 * strict_json.MAX_DEPTH
RESPONSE_JSON = msgspec.json.Encoder()


def encoded(answer: object) -> bytes:
    """An answer as JSON, by msgspec: a page's in a fifteenth of `json`'s time, and in UTF-8, where `json` wrote
    each Chinese character as a six-byte escape (the bench page: 28.8 KB against 40.9). A string holding half a
    surrogate pair (a client's own text, echoed in an error) is not UTF-8: `json` escapes it."""
    try:
        return RESPONSE_JSON.encode(answer)
    except UnicodeEncodeError:
        return json.dumps(answer, separators=(",", ":")).encode()


"""Room for a record's content (credit/record_content.py says how deep) a few levels down in the variables."""

PUBLIC_REFERENCE = frozenset({"catalog", "queryPurposes", "__typename"})
"""Root fields whose answers are the same for everyone and name no subject: the published catalog (Art. 10) and
its providers, and the query application catalog (Art. 20). A GET that asks for nothing else may be kept by caches;
anything more is never stored."""
PUBLIC_CACHE = "public, max-age=60"  # an imported catalog item shows everywhere within a minute

FAILURE_STATUS = {"UNAVAILABLE": 503, "INTERNAL": 500}
"""With application/graphql-response+json, an answer without data says why in its status: 400 for the request,
these for the server."""
HINTS = {
    "Unsupported content type": f"Unsupported content type: send the request as {JSON}.",
    "Batching is not enabled": "Batching is not enabled: send one operation per request.",
}
"""Strawberry's refusals that do not say what to do."""


def request_failed(response: GraphQLHTTPResponse) -> bool:
    """No data and no error of a field: the request failed before execution (a document that does not parse or
    validate, variables that do not coerce) or its answer was withheld (schema/access_log.py: no log entry, no data)."""
    errors: list[Any] = response.get("errors") or []
    return response.get("data") is None and bool(errors) and not any(error.get("path") for error in errors)


def failure_status(response: GraphQLHTTPResponse) -> int:
    errors: list[Any] = response.get("errors") or []
    codes = [str(error.get("extensions", {}).get("code")) for error in errors]
    return max((FAILURE_STATUS.get(code, 400) for code in codes), default=400)


def reads_only_public_reference(context: object) -> bool:
    """Every root field of the executed operation (through fragments, skipped ones too) is public reference data."""
    fields = context.root_fields if isinstance(context, RequestContext) else ()
    return bool(fields) and PUBLIC_REFERENCE.issuperset(fields)


def refusal(exc: HTTPException, request: Request) -> Response:
    """What Strawberry refuses before GraphQL runs (a body that is not JSON, no query, a mutation over GET, ...)."""
    headers = {"Allow": "POST" if request.method == "GET" else "GET, POST"} if exc.status_code == 405 else None
    message = HINTS.get(exc.reason, exc.reason)
    return refused(request.scope, message, code_of_status(exc.status_code), exc.status_code, headers)


class GraphQLOverHTTP(GraphQL[RequestContext, None]):
    """Strawberry's ASGI view with the spec's content negotiation and status codes, and trusted documents."""

    def __init__(self, *args: Any, trusted: TrustedDocuments | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trusted = trusted
        """Set (TRUSTED_DOCUMENTS): only the manifest's documents run."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:
            if isinstance(exc.__cause__, strict_json.Refused):
                await log_refusal(scope, scope["state"]["principal"], "request body is not strict JSON")
            response = refusal(exc, request)
        await response(scope, receive, send)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        """The answer's media type is chosen from Accept before anything runs."""
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = negotiate(request.headers.get("accept"))
        return sub_response

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        """Refuse what the client could not read (after GraphiQL had its chance at a browser's GET) and an
        operationName that is not a string, as Strawberry refuses a query or variables that are not; an empty
        operationName is no name, as the spec says for GET."""
        if negotiate(request.headers.get("accept")) is None:
            raise HTTPException(406, f"Not acceptable: accept {GRAPHQL_RESPONSE} or {JSON}.")
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData):
            if not isinstance(data.operation_name, str | None):
                raise HTTPException(
                    400, "The GraphQL operation's `operationName` must be a string or null, if provided."
                )
            data.operation_name = data.operation_name or None
            self.check_trusted(data)
        return data

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A GET naming a trusted document asks for its answer, not for GraphiQL."""
        return super().should_render_graphql_ide(request) and request.query_params.get("documentId") is None

    def decode_json(self, data: str | bytes) -> object:
        """Bodies decode strictly: `json.loads` would keep the last of two equal keys, read NaN, and recurse until
        RecursionError (a 500) on a body nested a few thousand deep."""
        return strict_json.loads(data, max_depth=MAX_BODY_DEPTH)

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return self.with_document(super().parse_json(data))
        except strict_json.Refused as exc:
            raise HTTPException(400, f"the request body is refused: {exc}") from exc

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        parsed: dict[str, Any] = self.with_document(super().parse_query_params(params))
        return parsed

    def with_document(self, data: Any) -> Any:
        """A request that names a trusted document by `documentId` gets its text as the query."""
        if self.trusted is None or not isinstance(data, dict) or "documentId" not in data:
            return data
        text = self.trusted.text_of(data["documentId"])
        if text is None:
            raise HTTPException(404, "No trusted document has this documentId: rebuild the manifest and deploy it.")
        return data | {"query": text}

    def check_trusted(self, data: GraphQLRequestData) -> None:
        if self.trusted is not None and data.query is not None and not self.trusted.trusts(data.query):
            raise HTTPException(
                403, "This server runs only trusted documents: send a documentId from your front end's manifest."
            )

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: RequestContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """A mutation over GET is 405; a GET answer of public reference data only may be cached."""
        try:
            result = await super().execute_single(
                request=request,
                request_adapter=request_adapter,
                sub_response=sub_response,
                context=context,
                root_value=root_value,
                request_data=request_data,
            )
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError) and request_adapter.method == "GET":
                raise HTTPException(405, f"{exc.reason[0].upper()}{exc.reason[1:]}: send them with POST.") from exc
            if isinstance(exc.__cause__, CannotGetOperationTypeError):  # a request error like any other (400 or 200)
                message = (
                    exc.reason
                    if request_data.operation_name is not None
                    else "The document has no operation: add a query."
                )
                return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})])
            raise
        if request_adapter.method == "GET" and not result.errors and reads_only_public_reference(context):
            sub_response.headers["Cache-Control"] = PUBLIC_CACHE
            sub_response.headers["Vary"] = "Accept"
        return result

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Every error leaves with its code and the request id. schema/errors.py gives them to an operation's errors;
        this gives them to any that did not pass through it (the view's own, such as an operationName the document
        does not have)."""
        if result.errors:
            request_id = request.state.request_id
            result.errors = [
                error if "requestId" in (error.extensions or {}) else with_code(error, request_id, suggestions=False)
                for error in result.errors
            ]
        request.state.code = (result.errors[0].extensions or {}).get("code", "INTERNAL") if result.errors else "OK"
        return await super().process_result(request, result)

    def encode_json(self, data: object) -> bytes:
        return encoded(data)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        """application/json answers 200 to every well-formed request; application/graphql-response+json answers a
        failed request with 4xx or 5xx and no data entry."""
        media_type = sub_response.media_type or JSON
        if media_type == GRAPHQL_RESPONSE and isinstance(response_data, dict) and request_failed(response_data):
            response_data = GraphQLHTTPResponse(errors=response_data.get("errors"))
            sub_response.status_code = failure_status(response_data)
        response = super().create_response(response_data, sub_response)
        response.headers["Content-Type"] = media_type
        return response
