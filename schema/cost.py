"""What an operation costs to answer, counted from the document and its variables before any resolver runs.

A point is about one object fetched: an object field weighs 1, a scalar 0, and
a list multiplies what is under it by how many items it holds: `first` for a
paged list (20 when not given), which the caller chooses, and a declared size
for an unpaged one, which only the data decides (and storage caps).
Fields that run a query of their own weigh what they cost against a plain
lookup (bench/field_costs.py, docs/performance.md). Each fragment is counted
once per selection set, as GraphQL merges it, so the count is linear in the
document. An operation over the budget (GRAPHQL_MAX_COST) is refused whole.
"""

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    is_object_type,
)
from graphql.utilities import get_operation_ast

from resolvers.pagination import DEFAULT_PAGE, MAX_PAGE

MAX_COST = 2000
"""The default budget: 20 subjects with 20 records each and their providers cost about 1,260, the report page about
700, and ten credit reports or relationship lookups at once are over it (docs/limits.md)."""

WEIGHTS: dict[str, int] = {
    "Query.creditReport": 200,  # the whole report is gathered, whatever the selection
    "Query.relatedSubjects": 200,
    "Query.riskNetwork": 300,  # its slowest lookups run into the traversal's time limit
    "Query.connection": 100,
    "SubjectConnection.totalCount": 200,  # a count over every findable subject (docs/performance.md, "Limits")
}
"""Fields that cost more than the object they return, in points: about twice their median time in items' worth
(docs/performance.md, "Hostile traffic", field costs), twice for the slower lookups of the tail."""

SIZES: dict[str, int] = {
    "CreditReport.sections": 8,  # one per category
    "ReportSection.records": 10,
    "CreditRecord.documents": 3,
    "CreditRecord.versions": 3,
    "Subject.measures": 10,
    "Subject.represents": 10,
    "Query.connection": 25,  # the most paths it returns
    "Query.catalog": 50,
    "Query.queryPurposes": 20,
}
"""How many items an unpaged list is counted as. Its length is what the data holds, which the caller cannot
choose as it chooses `first`; storage caps it (graph_store.projection.MOST_LISTED: 100; a report lists at most 1,000
records)."""
UNPAGED = 5
"""The size of an unpaged list not named in SIZES (statements, a listing's records, a path's steps...)."""


def operation_cost(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict[str, Any]
) -> int:
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return 0  # execution reports the missing operation
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counted: dict[str, int] = {}

    def fragment_cost(name: str) -> int:
        fragment = fragments.get(name)
        if fragment is None:
            return 0
        if name not in counted:
            counted[name] = 0  # in progress: a cycle stops here (validation refuses it)
            on = schema.get_type(fragment.type_condition.name.value)
            counted[name] = selection_cost(fragment.selection_set, on) if is_object_type(on) else 0
        return counted[name]

    def selection_cost(selection_set: SelectionSetNode, parent: GraphQLObjectType, page: int = 1) -> int:
        """`page`: how many items the lists of a connection (`parent`) hold, from its field's `first`."""
        total = 0
        spread: set[str] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field = parent.fields.get(selection.name.value)
                if field is not None:
                    total += field_cost(selection, parent, field, page)
            elif isinstance(selection, InlineFragmentNode):
                on = schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                total += selection_cost(selection.selection_set, on) if is_object_type(on) else 0
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in spread:
                spread.add(selection.name.value)
                total += fragment_cost(selection.name.value)
        return total

    def field_cost(node: FieldNode, parent: GraphQLObjectType, field: GraphQLField, page: int) -> int:
        named = get_named_type(field.type)
        key = f"{parent.name}.{node.name.value}"
        weight = WEIGHTS.get(key, 1 if is_object_type(named) else 0)
        if node.selection_set is None or not is_object_type(named):
            return weight
        if "first" in field.args:  # a connection: its edges hold `first` items, its count and page info one
            first = argument(node, "first")
            size = min(max(first, 0), MAX_PAGE) if isinstance(first, int) else DEFAULT_PAGE
            return weight + selection_cost(node.selection_set, named, page=size)
        if not is_list_type(get_nullable_type(field.type)):
            return weight + selection_cost(node.selection_set, named)
        items = page if parent.name.endswith("Connection") else SIZES.get(key, UNPAGED)
        return weight + items * selection_cost(node.selection_set, named)

    def argument(node: FieldNode, name: str) -> Any:
        for given in node.arguments or ():
            if given.name.value == name:
                if isinstance(given.value, VariableNode):
                    return variables.get(given.value.name.value)
                return int(given.value.value) if isinstance(given.value, IntValueNode) else None
        return None

    return selection_cost(operation.selection_set, root)
