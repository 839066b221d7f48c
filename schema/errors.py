"""Our errors become GraphQL errors with `extensions.code` here, and only here.

Unexpected errors are masked: the client sees INTERNAL and a request id, the
server log has the traceback under the same id. A closed schema (production)
also drops GraphQL's "Did you mean ...?" suggestions, which name arguments,
types and enum values a caller did not know.
"""

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from credit.errors import (
    BadInput,
    Conflict,
    CreditGraphError,
    Forbidden,
    LimitExceeded,
    NotFound,
    PurposeRequired,
    StoreTimeout,
    StoreUnavailable,
    Unauthenticated,
)

logger = logging.getLogger("credit_graph.errors")
SUGGESTION = re.compile(r" Did you mean [^?]*\?")

CODES: tuple[tuple[type[CreditGraphError], str], ...] = (
    (BadInput, "BAD_USER_INPUT"),
    (NotFound, "NOT_FOUND"),
    (Unauthenticated, "UNAUTHENTICATED"),
    (PurposeRequired, "PURPOSE_REQUIRED"),
    (Forbidden, "FORBIDDEN"),
    (Conflict, "CONFLICT"),
    (LimitExceeded, "LIMIT_EXCEEDED"),
    (StoreTimeout, "LIMIT_EXCEEDED"),
    (StoreUnavailable, "UNAVAILABLE"),
)


def code_of(error: GraphQLError) -> str:
    if error.extensions and "code" in error.extensions:
        return str(error.extensions["code"])
    original = error.original_error
    if original is None or error.path is None:
        return "BAD_USER_INPUT"  # not from a resolver: the document or a variable is malformed
    for error_type, code in CODES:
        if isinstance(original, error_type):
            return code
    return "INTERNAL"


def with_code(error: GraphQLError, request_id: str, suggestions: bool = True) -> GraphQLError:
    code = code_of(error)
    message = error.message if suggestions else SUGGESTION.sub("", error.message)
    if code == "INTERNAL":
        logger.error("request %s failed", request_id, exc_info=error.original_error)
        message = f"Internal error. Quote request id {request_id} when you report it."
    elif code == "UNAVAILABLE":
        message = "The credit store is unavailable; try again shortly."
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code, "requestId": request_id},
    )


class ErrorCodes(SchemaExtension):
    def __init__(self, *, suggestions: bool = True) -> None:
        self.suggestions = suggestions

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            request_id = getattr(self.execution_context.context, "request_id", "-")
            result.errors = [with_code(error, request_id, self.suggestions) for error in result.errors]
