"""One access-log entry per operation that reads or changes credit data, committed before the response.

Fail closed: if the entry cannot be written, the client gets UNAVAILABLE and no
data. Runs once per operation (`on_operation`), never per field.
"""

import logging
from collections.abc import AsyncIterator

from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from authz.access_log import ALLOWED, DENIED, write_entry
from graph_store.errors import Forbidden, Unauthenticated
from resolvers.context import RequestContext

logger = logging.getLogger("credit_graph.access_log")

PUBLIC_REFERENCE_FIELDS = frozenset({"catalog", "provider", "__schema", "__type", "__typename"})
"""Root fields that read no credit data about anyone: the published catalog and providers, introspection."""


class AccessLog(SchemaExtension):
    def root_fields(self) -> list[str]:
        document = self.execution_context.graphql_document
        if document is None:
            return []
        name = self.execution_context.operation_name
        return [
            selection.name.value
            for definition in document.definitions
            if isinstance(definition, OperationDefinitionNode)
            and (name is None or (definition.name and definition.name.value == name))
            for selection in definition.selection_set.selections
            if isinstance(selection, FieldNode)
        ]

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        fields = self.root_fields()
        if result is None or not isinstance(context, RequestContext) or set(fields) <= PUBLIC_REFERENCE_FIELDS:
            return
        denied = any(isinstance(error.original_error, (Forbidden, Unauthenticated)) for error in result.errors or [])
        kind, name = self.execution_context.operation_type.value, self.execution_context.operation_name or "-"
        operation = f"{kind} {name} ({', '.join(fields)})"
        try:
            await write_entry(
                context.log_writer,
                principal=context.principal,
                request_id=context.request_id,
                at=context.now,
                operation=operation,
                decision=DENIED if denied else ALLOWED,
                collected=context.access,
            )
        except Exception:
            logger.exception("request %s: the access log could not be written; no data is sent", context.request_id)
            result.data = None
            result.errors = [
                GraphQLError(
                    "The access log could not be written, so nothing is returned; try again shortly.",
                    extensions={"code": "UNAVAILABLE"},
                )
            ]
