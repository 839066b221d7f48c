"""Oso data filtering compiled to Cypher: a policy's allowed set as one predicate per node type.

Oso hands over an OR of AND-branches of conditions over the resource and the
types it reaches through relations. Each branch becomes its own condition:
what it says of the resource directly, plus one `EXISTS { MATCH ... }` over
just the relationships that branch needs. (Joining every relation for every
branch, as Oso's SQLAlchemy adapter does, would drop resources that a branch
without a join allows.) Values are always parameters.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from polar.data.adapter import DataAdapter
from polar.data.filter import Condition, DataFilter, Projection

from graph_store.predicate import NOTHING, Predicate, published

from .resources import KEYS, LABELS, Consent, Document, Listing, Measure, Node, Notice, Objection, Record, Subject

ROOT_VARIABLES: dict[type[Node], str] = {
    Record: "r", Subject: "s", Consent: "c", Document: "d", Measure: "m", Listing: "l", Notice: "n", Objection: "o"
}  # fmt: skip
PARAMETER_PREFIXES: dict[type[Node], str] = {
    Record: "pr", Subject: "ps", Consent: "pc", Document: "pd", Measure: "pm", Listing: "pl", Notice: "pn",
    Objection: "po",
}  # fmt: skip

# How each relation of resources.FIELDS runs in the graph; {left} and {right} are variables.
RELATIONSHIPS: dict[tuple[type[Node], str], str] = {
    (Record, "subject"): "({left})-[:ABOUT]->({right}:Subject)",
    (Subject, "consents"): "({left})<-[:GRANTED_BY]-({right}:Consent)",
    (Subject, "records"): "({left})<-[:ABOUT]-({right}:Record)",
}

MEMBERS = "\x00members"
"""Stands for a list of the viewer's (its purpose's categories) while the policy is compiled. Polar turns
`record.category in viewer.categories` into one branch per member of a list it knows, so the list is compiled as
this one member, and a comparison with it becomes `IN` its parameter, which then carries the viewer's list
(authz/policy.py `allowed`): one predicate for every purpose."""

COMPARISONS = {"Eq": "=", "Neq": "<>", "Lt": "<", "Leq": "<=", "Gt": ">", "Geq": ">="}
MIRRORED = {"Eq": "Eq", "Neq": "Neq", "Lt": "Gt", "Leq": "Geq", "Gt": "Lt", "Geq": "Leq"}


@dataclass(frozen=True)
class FilterQuery:
    """What the adapter builds: the nodes of `model` for which `predicate` holds."""

    model: type[Node]
    predicate: Predicate


Fetch = Callable[[str, dict[str, Any]], list[dict[str, Any]]]
"""(Cypher returning `node`, parameters) -> the properties of each matching node."""


class CypherAdapter(DataAdapter):
    def __init__(self, fetch: Fetch | None = None) -> None:
        self.fetch = fetch

    def build_query(self, data_filter: DataFilter) -> FilterQuery:
        return FilterQuery(data_filter.model, compile_filter(data_filter))

    def execute_query(self, query: FilterQuery) -> list[Node]:
        """Oso asks this for an object's relations when it checks a single object."""
        if self.fetch is None:
            raise RuntimeError("checking a single object needs a fetch function")
        variable = ROOT_VARIABLES[query.model]
        cypher = (
            f"MATCH ({variable}:{LABELS[query.model]}) WHERE {published(variable)} AND {query.predicate.text} "
            f"RETURN properties({variable}) AS node"
        )
        return [query.model(**row["node"]) for row in self.fetch(cypher, query.predicate.params)]


class Compiler:
    """Compiles one filter; holds the parameters it has bound so far."""

    def __init__(self, data_filter: DataFilter) -> None:
        self.root: type[Node] = data_filter.model
        self.prefix = PARAMETER_PREFIXES[self.root]
        self.params: dict[str, Any] = {}
        self.names: dict[tuple[type, Any], str] = {}
        self.parents = {relation.right: relation for relation in data_filter.relations}

    def variable(self, model: type[Node]) -> str:
        return ROOT_VARIABLES[model] if model is self.root else f"{LABELS[model].lower()}_"

    def side(self, side: Any) -> tuple[str, type[Node] | None]:
        if isinstance(side, Projection):
            return f"{self.variable(side.source)}.{side.field or KEYS[side.source]}", side.source
        value = getattr(side, KEYS[type(side)]) if isinstance(side, Node) else side
        key = (type(value), tuple(value) if isinstance(value, list) else value)
        if key not in self.names:  # one parameter per distinct value: today is compared in many branches
            self.names[key] = f"{self.prefix}{len(self.params)}"
            self.params[self.names[key]] = value
        return f"${self.names[key]}", None

    def condition(self, condition: Condition) -> tuple[str, set[type[Node]]]:
        left_null, right_null = condition.left is None, condition.right is None
        if condition.cmp in ("Eq", "Neq") and (left_null or right_null):
            text, source = self.side(condition.right if left_null else condition.left)
            return f"{text} IS {'NOT ' if condition.cmp == 'Neq' else ''}NULL", {source} - {None}  # type: ignore[return-value]
        left, left_source = self.side(condition.left)
        right, right_source = self.side(condition.right)
        if condition.cmp == "In" or (condition.cmp == "Eq" and condition.right == MEMBERS):
            text = f"{left} IN {right}"
        elif condition.cmp == "Nin":
            text = f"NOT {left} IN {right}"
        else:
            text = f"{left} {COMPARISONS[condition.cmp]} {right}"
        return text, {source for source in (left_source, right_source) if source is not None}

    def path(self, models: set[type[Node]]) -> list[str]:
        """The relationship patterns from the root to every model named, each once, root side first."""
        edges: list[Any] = []
        for model in sorted(models, key=lambda model: LABELS[model]):
            chain = []
            while model is not self.root:
                relation = self.parents[model]
                chain.append(relation)
                model = relation.left
            edges.extend(relation for relation in reversed(chain) if relation not in edges)
        return [
            RELATIONSHIPS[relation.left, relation.name].format(
                left=self.variable(relation.left), right=self.variable(relation.right)
            )
            for relation in edges
        ]

    def may_be_staged(self, model: type[Node]) -> bool:
        """Whether the filter reaches `model` against a relationship's direction (a subject's consents or records):
        what an unpublished import staged hangs that way from what is published, and counts only once published."""
        relation = self.parents[model]
        return "<-" in RELATIONSHIPS[relation.left, relation.name]

    def branch(self, conditions: list[Condition]) -> list[str]:
        """The branch's conjuncts: what it says of the resource directly, then one `EXISTS` for what it reaches."""
        direct: list[str] = []
        nested: list[str] = []
        reached: set[type[Node]] = set()
        for condition in conditions:
            text, models = self.condition(condition)
            if models <= {self.root}:
                direct.append(text)
            else:
                nested.append(text)
                reached |= models - {self.root}
        if nested:
            staged = sorted(filter(self.may_be_staged, reached), key=LABELS.__getitem__)
            where = " AND ".join([published(self.variable(model)) for model in staged] + nested)
            direct.append(f"EXISTS {{ MATCH {', '.join(self.path(reached))} WHERE {where} }}")
        return direct


def factored(branches: list[list[str]]) -> str:
    """An OR of AND-branches with what branches share said once: `(a AND b) OR (a AND c)` is `a AND (b OR c)`.

    Why: Neo4j plans every `EXISTS` it reads, and Oso's branches repeat them. The consent test is one `EXISTS` in
    four of a credit service agency's eight record branches, and the record filter is pasted again into the measure
    and subject filters and at each level of a read: one subject with its records and measures was a query of 46
    `EXISTS` that took seconds to plan (docs/performance.md, "Planning the policy"). A subquery that branches share
    is taken out first, then the conjunct most branches share (the longest among equals), and tested after what
    remains of those branches, as a branch tests its subquery after its comparisons. The distributive and
    absorption laws hold in Cypher's three-valued logic too, so the value is the same, null included. An empty
    branch is `true`.
    """
    if any(not branch for branch in branches):
        return "true"
    shared = [conjunct for conjunct in branches[0] if all(conjunct in branch for branch in branches[1:])]
    if shared:
        rest = factored([[conjunct for conjunct in branch if conjunct not in shared] for branch in branches])
        return " AND ".join(shared if rest == "true" else [*shared, f"({rest})"])
    counts = Counter(conjunct for branch in branches for conjunct in branch)
    common, count = max(
        counts.items(), key=lambda item: (item[1] > 1 and item[0].startswith("EXISTS"), item[1], len(item[0]))
    )
    if count == 1:
        return " OR ".join(f"({' AND '.join(branch)})" for branch in branches)
    having = factored(
        [[conjunct for conjunct in branch if conjunct != common] for branch in branches if common in branch]
    )
    others = factored([branch for branch in branches if common not in branch])
    taken_out = common if having == "true" else f"({having}) AND {common}"
    return f"({taken_out}) OR ({others})"


def shape(side: Any) -> str:
    """A side of a condition without its value: the same policy always compiles to the same text."""
    if isinstance(side, Projection):
        return f"{side.source.__name__}.{side.field}"
    return "null" if side is None else f"${type(side).__name__}"


def normalized(condition: Condition) -> Condition:
    """The resource's side on the left where the comparison allows it ('ACTIVE' = r.status -> r.status = 'ACTIVE')."""
    resource_on_the_right = not isinstance(condition.left, Projection) and isinstance(condition.right, Projection)
    if resource_on_the_right and condition.cmp in MIRRORED:
        return Condition(condition.right, MIRRORED[condition.cmp], condition.left)
    return condition


def in_canonical_order(conditions: list[list[Condition]]) -> list[list[Condition]]:
    """Oso returns branches and conditions in varying order; Neo4j caches plans by query text, so sort them."""

    def key(condition: Condition) -> tuple[str, str, str]:
        return shape(condition.left), condition.cmp, shape(condition.right)

    branches = [sorted(map(normalized, branch), key=key) for branch in conditions]
    return sorted(branches, key=lambda branch: [key(condition) for condition in branch])


def constant(condition: Condition) -> bool | None:
    """The value of a condition between two booleans, None for any other. Oso says "nothing is allowed" with the one
    branch `true = false`: decided here, it leaves no branch, so the predicate is plainly `false` (and the question
    whether a viewer may act on anything of a type has a plain answer, authz/policy.py `allowed_at_all`)."""
    if isinstance(condition.left, bool) and isinstance(condition.right, bool) and condition.cmp in ("Eq", "Neq"):
        return bool((condition.left == condition.right) == (condition.cmp == "Eq"))
    return None


def decided(branches: list[list[Condition]]) -> list[list[Condition]]:
    """The branches without those a constant condition rules out, and without constant conditions that hold."""
    return [
        [condition for condition in branch if constant(condition) is None]
        for branch in branches
        if all(constant(condition) is not False for condition in branch)
    ]


def compile_filter(data_filter: DataFilter) -> Predicate:
    compiler = Compiler(data_filter)
    branches = [compiler.branch(conditions) for conditions in in_canonical_order(decided(data_filter.conditions))]
    if not branches:
        return NOTHING
    condition = factored(branches)
    return Predicate("true") if condition == "true" else Predicate(condition, compiler.params)
