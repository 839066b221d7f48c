"""Hypothesis strategies for GraphQL operations on the published schema, with values the resolvers act on.

hypothesis-graphql builds documents from schema.graphql (which a test keeps equal
to the code's schema). Left to itself it would send random text as every code and
id, and nearly every request would be refused as malformed or absent before the
policy or the store had a say; so strings and ids are often codes and ids the graph
has, ints are often valid page sizes and hop counts, dates and JSON are often well
formed. The same operation is sent either with its arguments inline or lifted into
variables, the two ways input reaches the schema's coercion.
"""

import dataclasses
import datetime
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import graphql
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMA = graphql.build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
WORDS = ("COLLECTION", "ADMIN-1")
"""Strings some String arguments take that no import line names (a consent's purpose, the tests' admin unit)."""

T = TypeVar("T")


class Known(NamedTuple):
    """Values the graph has, for the arguments that look one up."""

    codes: tuple[str, ...]
    """Of subjects and providers."""
    words: tuple[str, ...]
    """Other strings arguments compare: purposes, regions, names, statuses."""
    ids: tuple[str, ...]
    """Of records, documents, measures, notices, listings, objections, applications and consents."""


def known_in(objects: list[dict[str, Any]], made_ids: list[str]) -> Known:
    """What import lines name (and `made_ids`, of things only mutations make): what arguments can find."""
    codes, words, ids = set(), set(WORDS), set(made_ids)
    for line in objects:
        for key, value in line.items():
            if key == "code" or key.endswith("Code"):
                codes.add(value)
            elif key in {"purpose", "region"} or (key, line["kind"]) == ("name", "subject"):
                words.add(value)
            elif key == "id" or key.endswith("Id"):
                ids.add(value)
            elif key.endswith("Ids"):
                ids.update(value)
    return Known(tuple(sorted(codes)), tuple(sorted(words)), tuple(sorted(ids)))


def weighted(*choices: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """Draws from each strategy `weight` times in the sum of the weights; shrinks towards the first."""
    return st.sampled_from([strategy for weight, strategy in choices for _ in range(weight)]).flatmap(lambda it: it)


text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]))
edge_text = st.sampled_from(["", " ", "x" * 5001])
odd_text = text | edge_text
dates = st.dates(datetime.date(2020, 1, 1), datetime.date(2031, 12, 31))
instants = st.datetimes(datetime.datetime(2020, 1, 1), datetime.datetime(2031, 12, 31))
zones = st.sampled_from(["+08:00", "Z", "-05:00", ""])


def literal(value: Any) -> graphql.ValueNode:
    """A JSON value as a GraphQL literal (the JSON scalar's inline form)."""
    if value is None:
        return nodes.Null
    if isinstance(value, bool):
        return nodes.Boolean(value)
    if isinstance(value, int):
        return nodes.Int(value)
    if isinstance(value, float):
        return nodes.Float(value)
    if isinstance(value, str):
        return nodes.String(value)
    if isinstance(value, list):
        return nodes.List([literal(item) for item in value])
    return nodes.Object(
        [graphql.ObjectFieldNode(name=graphql.NameNode(value=key), value=literal(item)) for key, item in value.items()]
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.from_regex(NAME, fullmatch=True), inner, max_size=3),
    max_leaves=8,
)
record_contents = st.fixed_dictionaries(
    {"decisionNumber": st.text(max_size=20), "violation": st.text(max_size=20)},
    optional={"fineAmount": st.integers(-1, 10**7), "establishedOn": dates.map(str), "rating": st.just("AA")},
)
"""Shaped like the sample catalog items' formats, so corrections sometimes pass the content check."""
dates_text = weighted(
    (3, dates.map(datetime.date.isoformat)), (1, st.sampled_from(["2026-02-30", "today"])), (1, odd_text)
)
instants_text = weighted(
    (3, st.builds(lambda at, zone: at.isoformat() + zone, instants, zones)), (1, st.just("2026-06-15")), (1, odd_text)
)
ints = weighted((3, st.integers(0, 3)), (2, st.integers(-1, 101)), (1, st.sampled_from([-(2**31), 2**31 - 1])))
"""Mostly hop counts and page sizes, valid or just past their bounds; now and then the ends of GraphQL's Int."""


def scalars(known: Known) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Strategies of literals for each scalar the schema's arguments take, custom ones included."""
    codes, words, ids = (st.sampled_from(values) for values in known)
    return {
        "String": weighted((3, codes), (2, words), (2, text), (1, edge_text)).map(nodes.String),
        "ID": weighted((4, ids.map(nodes.String)), (2, odd_text.map(nodes.String)), (1, st.integers().map(nodes.Int))),
        "Int": ints.map(nodes.Int),
        "Date": dates_text.map(nodes.String),
        "DateTime": instants_text.map(nodes.String),
        "JSON": (record_contents | json_values).map(literal),
    }


@cache
def operations(kind: str, field: str, known: Known) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """Documents that select root `field` of `kind` (query or mutation) with `known` values mixed in, each with its
    variables: valid ones, inline or through variables, and one in five with a single schema violation."""
    build = queries if kind == "query" else mutations
    valid = build(SCHEMA, fields=[field], custom_scalars=scalars(known))
    inline: st.SearchStrategy[tuple[str, dict[str, Any]]] = valid.map(lambda document: (document, {}))
    lifted = valid.map(with_variables)
    if not root_type(kind).fields[field].args:  # a violation goes in an argument of the root field or below it
        return inline | lifted
    invalid = build(SCHEMA, fields=[field], custom_scalars=scalars(known), mode=Mode.NEGATIVE)
    return weighted((2, inline), (2, lifted), (1, invalid.map(lambda document: (document, {}))))


def root_type(kind: str) -> graphql.GraphQLObjectType:
    found = SCHEMA.query_type if kind == "query" else SCHEMA.mutation_type
    assert found is not None, f"schema.graphql has no {kind} type"
    return found


ROOT_FIELDS = [(kind, field) for kind in ("query", "mutation") for field in root_type(kind).fields]
"""Every root field of the published schema, as (query or mutation, name)."""


class LiftArguments(graphql.Visitor):
    """Replaces each inline argument with a variable of the argument's type, keeping its value for the request."""

    def __init__(self, type_info: graphql.TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.variables: dict[str, Any] = {}
        self.definitions: list[graphql.VariableDefinitionNode] = []

    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> graphql.ArgumentNode:
        argument = self.type_info.get_argument()
        assert argument is not None, f"{node.name.value} is not an argument of the schema"
        name = f"v{len(self.variables)}"
        self.variables[name] = graphql.value_from_ast_untyped(node.value)
        variable = graphql.VariableNode(name=graphql.NameNode(value=name))
        self.definitions.append(
            graphql.VariableDefinitionNode(variable=variable, type=graphql.parse_type(str(argument.type)))
        )
        return graphql.ArgumentNode(name=node.name, value=variable)

    def leave_operation_definition(self, node: graphql.OperationDefinitionNode, *_: Any) -> graphql.Node:
        return dataclasses.replace(node, variable_definitions=tuple(self.definitions))


def with_variables(document: str) -> tuple[str, dict[str, Any]]:
    """`document` with its arguments passed as variables (JSON), so input goes through variable coercion."""
    type_info = graphql.TypeInfo(SCHEMA)
    lift = LiftArguments(type_info)
    lifted = graphql.visit(graphql.parse(document), graphql.TypeInfoVisitor(type_info, lift))
    return graphql.print_ast(lifted), lift.variables
