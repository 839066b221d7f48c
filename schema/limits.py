"""Bounded work per document: every document is parsed, measured and validated once, in time linear in its size.

A hostile document must cost little to refuse. So the checks run in this
order, each only if the one before passed: a token bound while parsing (no
document over the bound is ever fully parsed); the shape, in one walk that
measures each fragment once (depth, and fields repeated in one selection, which
the field-merging rule compares pairwise); then GraphQL's own validation rules
and ours. Parsing and validation are cached by the document's text, so the
front ends' few documents are checked once per process.

Every refusal says LIMIT_EXCEEDED and how to fix the document; the access log
records it like any refusal (schema/access_log.py).
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    Lexer,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    ValidationContext,
    ValidationRule,
    parse,
)
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from .cost import operation_cost

MAX_BODY_BYTES = 256 * 1024
"""A request's body (server/middleware.py refuses a larger one unread)."""
MAX_TOKENS = 2000
"""Punctuators, names and values of a document (GRAPHQL_MAX_TOKENS); the report page's document has 120."""
MAX_DEPTH = 12
"""How deep an operation reaches through the schema's own types; introspection is measured on its own."""
MAX_INTROSPECTION_DEPTH = 20
"""How deep an introspection field (`__schema`, `__type`) reaches, counted from it. The standard introspection
queries of graphql-js and graphql-core reach 15 (their TypeRef fragment nests `ofType` 9 deep), which the schema's
own depth would refuse; the answer stops where the schema's types do (no type here is wrapped more than 3 deep,
`[String!]!`), so a longer `ofType` chain only pads the document, and this keeps it short."""
MAX_INTROSPECTION_LISTS = 2
"""Lists of a type's fields, input fields, interfaces or possible types nested in one another under introspection,
as graphql-js's MaxIntrospectionDepthRule counts them: each level multiplies the answer by up to a type's fields."""
MAX_SCHEMA_INTROSPECTIONS = 1
"""Introspections of the whole schema (`__schema`, by its response names) in one operation: each is expensive, and
aliases multiply it (docs/performance.md, "Limits"). Introspection costs no points (schema/cost.py); these bounds
are its budget."""
MAX_ALIASES = 15
MAX_REPEATS = 10
"""How often one response name may be selected in one selection set, its fragments' fields included."""
RATE_LIMIT = "30/second;1200/minute"
"""Requests one caller may make, by default (RATE_LIMIT; server/middleware.py counts them)."""
CACHED_DOCUMENTS = 256


def shown(name: str) -> str:
    """A name from the document as a message shows it: a caller's names can be as long as the body."""
    return name if len(name) <= 64 else name[:64] + "…"


def limit_error(message: str, node: Any = None) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": "LIMIT_EXCEEDED"})


def too_many_tokens(query: str, most: int) -> bool:
    """Whether the document has more than `most` tokens, reading no further than that."""
    lexer = Lexer(Source(query))
    try:
        for _ in range(most + 1):
            if lexer.advance().kind is TokenKind.EOF:
                return False
    except GraphQLSyntaxError:
        return False  # a syntax error within the bound: the parser reports it, with its place
    return True


def response_name(field: FieldNode) -> str:
    return (field.alias or field.name).value


def repeated(document: DocumentNode) -> GraphQLError | None:
    """A response name selected more than MAX_REPEATS times in one selection set, counting the fields its fragments
    bring (each fragment once per selection set, as GraphQL merges them). The field-merging rule compares such
    fields pairwise, which many fragments selecting one deep field make slow (docs/performance.md, "Hostile
    traffic", refusals).
    Each selection set is counted once."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counted: dict[int, Counter[str]] = {}

    def merged(selection_set: SelectionSetNode) -> Counter[str]:
        if id(selection_set) in counted:
            return counted[id(selection_set)]
        counted[id(selection_set)] = Counter()  # in progress: a fragment cycle stops here (validation refuses it)
        counts: Counter[str] = Counter()
        spread: set[str] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                counts[response_name(selection)] += 1
            elif isinstance(selection, InlineFragmentNode):
                counts.update(merged(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in spread:
                spread.add(selection.name.value)
                if fragment := fragments.get(selection.name.value):
                    counts.update(merged(fragment.selection_set))
        counted[id(selection_set)] = counts
        return counts

    pending = [d.selection_set for d in document.definitions if isinstance(d, ExecutableDefinitionNode)]
    while pending:
        selection_set = pending.pop()
        for name, count in merged(selection_set).items():
            if count > MAX_REPEATS:
                return limit_error(
                    f"{shown(name)} is selected {count} times in one selection set (its fragments included); "
                    f"at most {MAX_REPEATS} are allowed: select it once",
                    selection_set,
                )
        pending.extend(
            selection.selection_set
            for selection in selection_set.selections
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set
        )
    return None


INTROSPECTION = frozenset({"__schema", "__type"})
INTROSPECTION_LISTS = frozenset({"fields", "inputFields", "interfaces", "possibleTypes"})


@dataclass(frozen=True)
class Shape:
    """How far a selection set reaches: through the schema's own types, and under introspection fields."""

    depth: int = 0
    """Fields nested in one another; an introspection field and what it selects are not counted here."""
    lists: int = 0
    """Introspection lists (INTROSPECTION_LISTS) nested in one another; read only under an introspection field."""
    introspection: int = 0
    """The deepest introspection field, counted from it."""
    introspection_lists: int = 0
    schemas: frozenset[str] = frozenset()
    """The response names `__schema` is selected under."""

    def __or__(self, other: "Shape") -> "Shape":
        return Shape(
            max(self.depth, other.depth),
            max(self.lists, other.lists),
            max(self.introspection, other.introspection),
            max(self.introspection_lists, other.introspection_lists),
            self.schemas | other.schemas,
        )


def shapes(document: DocumentNode) -> dict[str, Shape]:
    """How far each operation reaches, each fragment measured once (a cycle counts as nothing: the validation rules
    refuse it). Introspection fields are measured from themselves: they lead only to the introspection types, and
    their answers are bounded by the schema's size, not by the data."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    measured: dict[str, Shape] = {}

    def field_shape(field: FieldNode) -> Shape:
        below = shape(field.selection_set)
        if field.name.value not in INTROSPECTION:
            lists = below.lists + (field.name.value in INTROSPECTION_LISTS)
            return Shape(1 + below.depth, lists, below.introspection, below.introspection_lists, below.schemas)
        schemas = below.schemas | ({response_name(field)} if field.name.value == "__schema" else set())
        return Shape(
            introspection=max(1 + below.depth, below.introspection),
            introspection_lists=max(below.lists, below.introspection_lists),
            schemas=schemas,
        )

    def shape(selection_set: SelectionSetNode | None) -> Shape:
        found = Shape()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                found |= field_shape(selection)
            elif isinstance(selection, InlineFragmentNode):
                found |= shape(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
                name = selection.name.value
                if name not in measured:
                    measured[name] = Shape()  # in progress: a cycle stops here
                    measured[name] = shape(fragments[name].selection_set)
                found |= measured[name]
        return found

    return {
        (d.name.value if d.name else "-"): shape(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    }


def too_deep(document: DocumentNode) -> GraphQLError | None:
    for name, found in shapes(document).items():
        operation = f"operation {shown(name)}"
        if found.depth > MAX_DEPTH:
            return limit_error(f"{operation} is {found.depth} levels deep; at most {MAX_DEPTH} are allowed: split it")
        if found.introspection > MAX_INTROSPECTION_DEPTH:
            return limit_error(
                f"{operation} introspects {found.introspection} levels deep; at most {MAX_INTROSPECTION_DEPTH} are "
                "allowed: split it"
            )
        if found.introspection_lists > MAX_INTROSPECTION_LISTS:
            return limit_error(
                f"{operation} nests {found.introspection_lists} lists of fields, input fields, interfaces or possible "
                f"types in introspection; at most {MAX_INTROSPECTION_LISTS} are allowed: ask for the types you need "
                "by name (__type)"
            )
        if len(found.schemas) > MAX_SCHEMA_INTROSPECTIONS:
            return limit_error(
                f"{operation} introspects the whole schema {len(found.schemas)} times (__schema); "
                f"{MAX_SCHEMA_INTROSPECTIONS} is allowed: select __schema once"
            )
    return None


class MaxAliases(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.aliases = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.alias:
            self.aliases += 1
            if self.aliases == MAX_ALIASES + 1:
                self.report_error(limit_error(f"the query uses more than {MAX_ALIASES} aliases: split it", node))


class ClosedSchema(ValidationRule):
    """Introspection off (GRAPHQL_INTROSPECTION): the schema is published to front ends as schema.graphql."""

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in ("__schema", "__type"):
            self.report_error(
                GraphQLError(
                    "introspection is off on this server; build against the published schema.graphql",
                    node,
                    extensions={"code": "FORBIDDEN"},
                )
            )


@dataclass(frozen=True)
class Checked:
    """A document as the checks left it: parsed (or None, for the parser to report) and what is wrong with it."""

    document: DocumentNode | None
    errors: list[GraphQLError]


class Documents:
    """The parse and check of each document text, kept for the next request that sends the same text."""

    def __init__(self, *, closed: bool, max_tokens: int = MAX_TOKENS) -> None:
        self.max_tokens = max_tokens
        self.rules: tuple[type[ASTValidationRule], ...] = (MaxAliases, *((ClosedSchema,) if closed else ()))
        self.cache: LRUCache[str, Checked] = LRUCache(CACHED_DOCUMENTS)

    def check(self, schema: GraphQLSchema, query: str, graphql_rules: tuple[type[ASTValidationRule], ...]) -> Checked:
        """`graphql_rules`: the specification's rules, which Strawberry passes; ours are added to them."""
        if (checked := self.cache.get(query)) is None:
            checked = self.cache[query] = self.checked(schema, query, graphql_rules)
        return checked

    def checked(self, schema: GraphQLSchema, query: str, graphql_rules: tuple[type[ASTValidationRule], ...]) -> Checked:
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLSyntaxError:
            if too_many_tokens(query, self.max_tokens):
                return Checked(None, [limit_error(f"the document has more than {self.max_tokens} tokens: split it")])
            return Checked(None, [])  # Strawberry parses it again and reports the syntax error with its place
        refusal = repeated(document) or too_deep(document)
        if refusal:
            return Checked(document, [refusal])
        return Checked(document, validate_document(schema, document, (*graphql_rules, *self.rules)))


class BoundedDocuments(SchemaExtension):
    """Strawberry's parse and validation steps, replaced by `Documents`: bounded, and cached by text; then the
    operation's cost with its variables, before any resolver runs."""

    def __init__(self, documents: Documents, max_cost: int) -> None:
        self.documents = documents
        self.max_cost = max_cost
        self.checked = Checked(None, [])

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        # Strawberry's own parse of a document refused for its size stops at the bound too
        context.parse_options["max_tokens"] = self.documents.max_tokens
        yield
        if self.checked.document is None and self.checked.errors and context.result is not None:
            context.result.errors = self.checked.errors  # the parser's "Parsing aborted." becomes our refusal

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            self.checked = self.documents.check(context.schema._schema, context.query, context.validation_rules)
            context.graphql_document = self.checked.document
        yield

    def on_validate(self) -> Iterator[None]:
        if self.checked.document is not None:
            self.execution_context.pre_execution_errors = self.checked.errors
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None  # Strawberry executes only what parsed and validated
        cost = operation_cost(context.schema._schema, context.graphql_document, context.operation_name,
                              context.variables or {})  # fmt: skip
        if cost > self.max_cost:
            refusal = limit_error(
                f"the query costs {cost:,} points; at most {self.max_cost:,} are allowed: "
                "ask for fewer items (first), fewer fields or fewer lookups at a time"
            )
            context.result = ExecutionResult(data=None, errors=[refusal])  # Strawberry then runs no resolver
        yield
