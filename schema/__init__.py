"""The assembled GraphQL schema and its extensions."""

import datetime

import strawberry
from strawberry.schema.config import StrawberryConfig

from .access_log import AccessLog
from .cost import MAX_COST
from .errors import ErrorCodes
from .limits import MAX_TOKENS, BoundedDocuments, Documents
from .mutation import Mutation
from .query import Query
from .scalars import DateTime


def build_schema(
    *, closed: bool = False, max_tokens: int = MAX_TOKENS, max_cost: int = MAX_COST, access_log: bool = True
) -> strawberry.Schema:
    """The API's schema. `closed` (production): no introspection, no suggestions in error messages. `max_tokens`
    and `max_cost`: how large a document may be and how much an operation may cost (docs/limits.md).

    `access_log=False` exists only for bench/, to measure what the log costs.
    """
    documents = Documents(closed=closed, max_tokens=max_tokens)
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(disable_field_suggestions=True, scalar_map={datetime.datetime: DateTime}),
        extensions=[
            lambda: ErrorCodes(suggestions=not closed),
            *([AccessLog] if access_log else []),
            lambda: BoundedDocuments(documents, max_cost),
        ],
    )


schema = build_schema()
"""The schema as `credit-graph schema` prints it; the server builds its own from its settings (server/app.py)."""
