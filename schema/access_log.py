"""One access-log entry for every operation whose answer revealed credit data, or was refused, before the answer.

What was revealed is not read off the document (fragments, aliases and
directives would hide it): the request's store recorded every tagged row that
left Neo4j (graph_store/rows.py), and each change already wrote its own entry
in its own transaction (resolvers/changes.py). This writes what is left: what
the answer revealed beyond those entries, a refusal, or a change that failed.
A document refused before it ran (too large, too costly) is logged like the
middleware's refusals: an entry, or a count for anonymous callers.
Fail closed: if the entry cannot be written, the client gets UNAVAILABLE and no
data. Runs once per operation, never per field.
"""

import logging
from collections.abc import AsyncIterator, Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from authz.access_log import ALLOWED, DENIED, FAILED, entry_fields
from credit.errors import Concealed, Forbidden, Unauthenticated
from resolvers.context import RequestContext

from .errors import code_of

logger = logging.getLogger("credit_graph.access_log")

DENIALS = (Forbidden, Unauthenticated, Concealed)
REFUSED_DOCUMENT = "LIMIT_EXCEEDED"
"""The code of a document refused before any resolver ran (schema/limits.py, schema/cost.py)."""
MAX_REASON = 160
MAX_NAME = 100
"""The client names its operation: the log keeps the first this many characters of the name."""


def root_fields(document: DocumentNode | None, operation_name: str | None) -> list[str]:
    """The root fields the operation asks for, through fragments and inline fragments (each fragment once): for
    the entry's description only; what was revealed comes from the rows."""
    if document is None:
        return []
    fragments = {node.name.value: node for node in document.definitions if isinstance(node, FragmentDefinitionNode)}
    names: list[str] = []
    spread: set[str] = set()

    def walk(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value not in names:
                    names.append(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in spread:
                spread.add(selection.name.value)
                if fragment := fragments.get(selection.name.value):
                    walk(fragment.selection_set)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            operation_name is None or (definition.name and definition.name.value == operation_name)
        ):
            walk(definition.selection_set)
    return names


class AccessLog(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, RequestContext):
            kind = self.execution_context.operation_type.value
            name = (self.execution_context.operation_name or "-")[:MAX_NAME]
            context.operation = f"{kind} {name}"
            context.root_fields = tuple(
                root_fields(self.execution_context.graphql_document, self.execution_context.operation_name)
            )
        yield

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if result is None or not isinstance(context, RequestContext):
            return
        errors = result.errors or []
        if refusal := next((e for e in errors if e.path is None and code_of(e) == REFUSED_DOCUMENT), None):
            await context.refusals.record(
                context.principal,
                refusal.message[:MAX_REASON],
                context.source,
                request_id=context.request_id,
                correlation_id=context.correlation_id,
                at=context.now,
            )
            return
        denied = any(isinstance(error.original_error, DENIALS) for error in errors)
        executed = any(error.path for error in errors)  # an unparsed document has no operation type to ask for
        change_failed = executed and self.execution_context.operation_type is OperationType.MUTATION
        unlogged = context.store.seen.beyond(context.logged)
        if not (unlogged or denied or change_failed):
            return
        fields = context.root_fields  # found once, when the operation began to execute
        after_changes = ""  # an operation whose changes wrote their own entries: say what this one is
        if context.changes:
            after_changes = ": the answer"
        elif context.repeats:
            after_changes = ": a repeat, nothing changed"
        try:
            await context.log_writer.write(
                entry_fields(
                    principal=context.principal,
                    request_id=context.request_id,
                    correlation_id=context.correlation_id,
                    at=context.now,
                    operation=f"{context.operation} ({', '.join(fields)}){after_changes}",
                    decision=DENIED if denied else FAILED if change_failed else ALLOWED,
                    seen=unlogged,
                )
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
