"""The assembled GraphQL schema and its extensions."""

import strawberry
from strawberry.extensions import AddValidationRules, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from .access_log import AccessLog
from .errors import ErrorCodes
from .limits import MaxAliases, MaxDepth
from .mutation import Mutation
from .query import Query

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(disable_field_suggestions=True),
    extensions=[
        ErrorCodes,
        AccessLog,
        lambda: AddValidationRules([MaxDepth, MaxAliases]),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ],
)
