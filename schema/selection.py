"""What a client selected below a field, for the one translation to Cypher (graph_store/projection.py).

Fields are collected as graphql-core executes them: a fragment or inline fragment counts where its type condition
holds for the object, `@skip` and `@include` as their variables say, one response key selected in several places is
one field with their selections merged, and each fragment is taken once per selection set, so a chain of fragments
that spread each other twice costs what it selects, not two to the power of its length.
"""

from collections.abc import Iterable
from enum import Enum
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_directive_values

from graph_store.projection import Selected, Selection
from resolvers.context import RequestContext

Info = strawberry.Info[RequestContext, None]


def selection(info: Info) -> Selection:
    """What the field being resolved selects on the object it returns (through lists and non-null)."""
    raw = info._raw_info
    returned = get_named_type(raw.return_type)
    if not isinstance(returned, GraphQLObjectType):
        return {}
    return selected_on(raw, returned, raw.field_nodes)


def variables(info: GraphQLResolveInfo[Any]) -> VariableValues:
    """The operation's variables as graphql-core's argument and directive readers take them (Strawberry's `info`
    holds the coerced values alone; the sources matter only to tools that print documents back)."""
    values: Any = info.variable_values
    return values if isinstance(values, VariableValues) else VariableValues(sources={}, coerced=values)


def selected_on(
    info: GraphQLResolveInfo[Any], object_type: GraphQLObjectType, fields: Iterable[FieldNode]
) -> Selection:
    by_key: dict[str, list[FieldNode]] = {}
    visited: set[str] = set()
    for field in fields:
        if field.selection_set is not None:
            collect(info, object_type, field.selection_set, by_key, visited)
    selection: dict[str, Selected] = {}
    for key, nodes in by_key.items():
        definition = object_type.fields.get(nodes[0].name.value)
        if definition is None:  # __typename
            continue
        arguments = get_argument_values(definition, nodes[0], variables(info))
        returned = get_named_type(definition.type)
        below = selected_on(info, returned, nodes) if isinstance(returned, GraphQLObjectType) else {}
        selection[key] = Selected(nodes[0].name.value, {name: plain(value) for name, value in arguments.items()}, below)
    return selection


def collect(
    info: GraphQLResolveInfo[Any],
    object_type: GraphQLObjectType,
    selection_set: SelectionSetNode,
    by_key: dict[str, list[FieldNode]],
    visited: set[str],
) -> None:
    for node in selection_set.selections:
        if not included(info, node):
            continue
        if isinstance(node, FieldNode):
            by_key.setdefault(node.alias.value if node.alias else node.name.value, []).append(node)
        elif isinstance(node, InlineFragmentNode):
            if applies(info, node.type_condition.name.value if node.type_condition else None, object_type):
                collect(info, object_type, node.selection_set, by_key, visited)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in visited:
            visited.add(node.name.value)
            fragment = info.fragments.get(node.name.value)
            if fragment is not None and applies(info, fragment.type_condition.name.value, object_type):
                collect(info, object_type, fragment.selection_set, by_key, visited)


def included(info: GraphQLResolveInfo[Any], node: Any) -> bool:
    skip = get_directive_values(GraphQLSkipDirective, node, variables(info))
    if skip is not None and skip["if"]:
        return False
    include = get_directive_values(GraphQLIncludeDirective, node, variables(info))
    return include is None or bool(include["if"])


def applies(info: GraphQLResolveInfo[Any], condition: str | None, object_type: GraphQLObjectType) -> bool:
    if condition is None or condition == object_type.name:
        return True
    named = info.schema.get_type(condition)
    return named is not None and is_abstract_type(named) and info.schema.is_sub_type(named, object_type)


def plain(value: Any) -> Any:
    """An argument's value as the store takes it: an enum's value, not its Python member."""
    return value.value if isinstance(value, Enum) else value
