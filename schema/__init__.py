"""The assembled GraphQL schema and its extensions."""

import strawberry
from strawberry.extensions import AddValidationRules, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from .access_log import AccessLog
from .errors import ErrorCodes
from .limits import MaxAliases, MaxDepth
from .mutation import Mutation
from .query import Query


def build_schema(*, access_log: bool = True) -> strawberry.Schema:
    """The API's schema. `access_log=False` exists only for bench/, to measure what the log costs."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(disable_field_suggestions=True),
        extensions=[
            ErrorCodes,
            *([AccessLog] if access_log else []),
            lambda: AddValidationRules([MaxDepth, MaxAliases]),
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
        ],
    )


schema = build_schema()
