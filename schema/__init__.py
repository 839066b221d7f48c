"""The assembled GraphQL schema and its extensions."""

import datetime

import strawberry
from graphql.utilities.print_schema import print_schema_definition
from strawberry.schema.config import StrawberryConfig

from resolvers.context import LookupLimits

from .access_log import AccessLog
from .cost import MAX_COST
from .description import QUERY_TIMEOUT, schema_description
from .errors import ErrorCodes
from .execution import Execution, with_shortcuts
from .limits import MAX_TOKENS, RATE_LIMIT, BoundedDocuments, Documents
from .mutation import Mutation
from .query import Query
from .scalars import DateTime


class DescribedSchema(strawberry.Schema):
    """Strawberry's schema, printed with its description (Strawberry's printer leaves a schema's description out)."""

    def as_str(self) -> str:
        definition = print_schema_definition(self._schema)
        return f"{definition}\n\n{super().as_str()}" if definition else super().as_str()


def build_schema(
    *,
    closed: bool = False,
    max_tokens: int = MAX_TOKENS,
    max_cost: int = MAX_COST,
    rate_limit: str = RATE_LIMIT,
    lookups: LookupLimits | None = None,
    query_timeout: float = QUERY_TIMEOUT,
    access_log: bool = True,
    shortcuts: bool = True,
) -> strawberry.Schema:
    """The API's schema. `closed` (production): no introspection, no suggestions in error messages. `max_tokens`
    and `max_cost`: how large a document may be and how much an operation may cost (docs/limits.md); they and the
    other limits the server enforces (`rate_limit`, `lookups`, `query_timeout`) are stated in its description.

    `access_log=False` and `shortcuts=False` (graphql-core's and Strawberry's execution as they are,
    schema/execution.py) exist only for bench/, to measure what the log costs and what the shortcuts save.
    """
    documents = Documents(closed=closed, max_tokens=max_tokens)
    built = DescribedSchema(
        query=Query,
        mutation=Mutation,
        execution_context_class=Execution if shortcuts else None,
        config=StrawberryConfig(disable_field_suggestions=True, scalar_map={datetime.datetime: DateTime}),
        extensions=[
            lambda: ErrorCodes(suggestions=not closed),
            *([AccessLog] if access_log else []),
            lambda: BoundedDocuments(documents, max_cost),
        ],
    )
    if shortcuts:
        with_shortcuts(built)
    built._schema.description = schema_description(
        max_tokens=max_tokens, max_cost=max_cost, rate_limit=rate_limit, lookups=lookups, query_timeout=query_timeout
    )
    return built


schema = build_schema()
"""The schema as `credit-graph schema` prints it; the server builds its own from its settings (server/app.py)."""
