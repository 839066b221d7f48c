"""Validation rules that refuse queries too deep or too aliased before any resolver runs.

Strawberry ships limiters, but their errors carry no code; ours say
LIMIT_EXCEEDED so clients can tell "narrow your query" from a typo.
"""

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

MAX_DEPTH = 12
MAX_ALIASES = 15


def limit_error(message: str, node: Any) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": "LIMIT_EXCEEDED"})


def depth(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode], seen: frozenset[str]
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            deepest = max(
                deepest, 1 + depth(selection.selection_set, fragments, seen) if selection.selection_set else 1
            )
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment:
                deepest = max(deepest, depth(fragment.selection_set, fragments, seen | {selection.name.value}))
    return deepest


class MaxDepth(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = {fragment.name.value: fragment for fragment in self.context.document.definitions
                     if isinstance(fragment, FragmentDefinitionNode)}  # fmt: skip
        found = depth(node.selection_set, fragments, frozenset())
        if found > MAX_DEPTH:
            self.report_error(
                limit_error(f"the query is {found} levels deep; at most {MAX_DEPTH} are allowed: split it", node)
            )


class MaxAliases(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.aliases = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.alias:
            self.aliases += 1
            if self.aliases == MAX_ALIASES + 1:
                self.report_error(limit_error(f"the query uses more than {MAX_ALIASES} aliases: split it", node))
