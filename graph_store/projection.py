"""The one translation from what a client selected to Cypher: an object, and the related objects selected below
it, as one map projection read by one query.

The schema hands over the selection (`Selection`: fields by response key, with fragments and `@skip`/`@include`
already resolved; schema/selection.py). `project` turns an object type's part of it into a map projection that
reads the object (whole but for a record's content, read only when asked) with what the access log and masking
need (the entity tag, the id, the subject a record is about, the decisions the viewer's predicates make), and nests
every related object a field reads (`NESTED`) under `selected`, which `restored` keys by the field's response keys.
Each related object is read with the viewer's predicate inline, as its own loader would read it; the schema
resolves the field from that key, and a field it does not find there (one the translation does not know, a page
asked `after` a cursor, a key selected two ways on one page, a read past MOST_RELATED) from its DataLoader.

Each related object is projected in a scope of its own (`CALL (x) { WITH x AS r ... }`): the predicates compiled
from the policy name their objects `s`, `r`, `m` (graph_store/predicate.py), and an outer object of the same name
would be taken for theirs. Rows leave through graph_store/rows.py like any other, so every tagged map inside is
recorded for the access log and masked.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

MOST_LISTED = 100
"""The most an unpaged list returns: whom a person represents, a record's documents and versions, a subject's
measures; and the largest page. The cost limit counts on it (schema/cost.py); real lists are far shorter."""

MOST_RELATED = 16
"""The most related reads one query compiles (a page with records, their providers, documents and issuers is four):
past it, a field is read by its loader. What Neo4j spends planning a query grows with its subqueries, and a
document's cost (schema/cost.py) counts the items it may return, not the query's text."""

MEASURES = """(s:Subject)<-[:APPLIED_TO]-(m:Measure)-[:IMPLEMENTED_BY]->(p:Provider) WHERE MEASURE_FILTER"""
"""The only way measures are read (Arts. 19, 35, 36): the pattern, with the viewer's measure predicate, that every
read returning a measure matches (`MATCH {MEASURES} AND ...`), put through `ReadFilter.applied`."""


@dataclass(frozen=True)
class Selected:
    """A field a client selected: its name in the schema, its arguments' values, and what it selects in turn."""

    name: str
    arguments: Mapping[str, Any]
    selection: "Selection"


Selection = Mapping[str, Selected]
"""The fields selected on an object, by response key (the alias, else the name)."""


@dataclass(frozen=True)
class Level:
    """How an object type is read: its variable, what every read of it carries, the matches they need, and the
    properties each field reads."""

    variable: str
    always: str
    matches: str
    fields: Mapping[str, str]
    type_name: str
    """The GraphQL type it reads, whose related objects are NESTED's."""


LEVELS = {
    "Subject": Level(
        "s", "entity: 'Subject', .id, .code, .name, .kind, .region, revealed: IDENTITY_FILTER", "", {}, "Subject"
    ),
    "ListedSubject": Level(
        "s", "entity: 'Subject', .id, .code, .name, .kind, .region, revealed: LISTED_PERSON_FILTER", "", {}, "Subject"
    ),
    "Provider": Level("p", ".id, .code, .name, .publicity, .type, .region", "", {}, "Provider"),
    "Document": Level(
        "d",
        ".id, .type, .number, .issuedAt, .status, issuerId: issuer.id",
        "MATCH (d)-[:ISSUED_BY]->(issuer:Provider)",
        {},
        "Document",
    ),
    "Record": Level(
        "r",
        """entity: 'Record', .id, .title, .category, .nature, .severity, .publicity, .disclosureMode, .confirmedAt,
        .disclosureUntil, .publishedBySubjectAt, .status, .underObjection, .version, .subjectCode, .providerCode,
        subjectId: s.id, providerId: p.id, catalogItemId: c.id""",
        "MATCH (r)-[:ABOUT]->(s:Subject) MATCH (r)-[:PROVIDED_BY]->(p:Provider) MATCH (r)-[:UNDER]->(c:CatalogItem)",
        {"content": ".content, personalFields: c.personalFields, peopleRevealed: PEOPLE_FILTER"},
        "CreditRecord",
    ),
    "Measure": Level(
        "m",
        """entity: 'Measure', .id, .type, .item, .means, .basis, .startsAt, .endsAt, .endReason, subjectId: s.id,
        implementedById: p.id, historical: coalesce(m.historical, false),
        underObjection: coalesce(m.underObjection, false),
        recordIds: COLLECT { MATCH (m)-[:BECAUSE_OF]->(r:Record) RETURN r.id ORDER BY r.id },
        listingId: COLLECT { MATCH (m)-[:UNDER_LISTING]->(l:Listing) RETURN l.id }[0]""",
        f"MATCH {MEASURES}",
        {},
        "Measure",
    ),
}
"""Every object type the translation reads, whole but for a record's content, read only when selected (JSON to parse
and people to mask). Fields do not change the Cypher, so Neo4j plans a query once for every document with the same
related objects: planning a new query text costs it a tenth to half a second. A level's `matches` run in its own
scope and may narrow it: a measure is read only through MEASURES (Arts. 19, 35, 36), the viewer's measure
predicate."""


@dataclass(frozen=True)
class Related:
    """What a field of an object reads: the path from the object to the related one (`x`), how the related one is
    read, whether one or a list, and in which order."""

    level: str
    path: str
    many: bool = False
    order: str = ""


@dataclass(frozen=True)
class Paged:
    """A field that answers a page of related objects (a Relay connection): `visible` narrows them in the related
    object's own scope before they are ordered and cut, so only the page is projected."""

    level: str
    path: str
    visible: str
    order: str


NESTED: Mapping[tuple[str, str], Related | Paged] = {
    ("Subject", "records"): Paged(
        "Record",
        "(s)<-[:ABOUT]-(x:Record) WHERE ($CATEGORY IS NULL OR x.category = $CATEGORY)",
        "RECORD_FILTER",
        "x.confirmedAt DESC, x.id",
    ),
    ("Subject", "legalRepresentative"): Related("Subject", "(s)<-[rep:REPRESENTS]-(x:Subject) WHERE rep.until IS NULL"),
    ("Subject", "represents"): Related(
        "Subject", "(s)-[rep:REPRESENTS]->(x:Subject) WHERE rep.until IS NULL", many=True, order="x.code"
    ),
    ("Subject", "measures"): Related(
        "Measure", "(s)<-[:APPLIED_TO]-(x:Measure)", many=True, order="x.startsAt DESC, x.id"
    ),
    ("CreditRecord", "subject"): Related("Subject", "(r)-[:ABOUT]->(x:Subject)"),
    ("CreditRecord", "provider"): Related("Provider", "(r)-[:PROVIDED_BY]->(x:Provider)"),
    ("CreditRecord", "documents"): Related(
        "Document", "(r)-[:BASED_ON]->(x:Document)", many=True, order="x.issuedAt, x.id"
    ),
    ("Document", "issuer"): Related("Provider", "(d)-[:ISSUED_BY]->(x:Provider)"),
    ("Measure", "implementedBy"): Related("Provider", "(m)-[:IMPLEMENTED_BY]->(x:Provider)"),
}
"""The related objects the translation reads, by (GraphQL type, field): each as its DataLoader reads it."""


class PageRows(TypedDict):
    """A `Paged` field as it leaves the store: the page, whether more follow, and the count of all if `totalCount`
    was selected."""

    rows: list[Any]
    more: bool
    total: int | None


class Projection:
    """Turns selections into Cypher, and holds the parameters it has bound (`sel1`, `sel2`, ...) and the response
    keys of each related read (`restored` puts them back on the rows)."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.keys: dict[str, list[str]] = {}
        self.names = 0
        self.depth = 0
        self.reads = 0

    def fresh(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def bind(self, value: Any) -> str:
        name = self.fresh("sel")
        self.params[name] = value
        return f"${name}"

    def project(self, level_name: str, selection: Selection) -> tuple[str, str]:
        """The subqueries that read what is selected below an object of `level_name`, and its map projection: the
        subqueries go where the object is bound by its level's variable, the map where it is returned.

        Related objects go under `selected` by a name of the query's own (`f1`, `f2`, ...), one for every response
        key that asks the same: a client's aliases never reach the Cypher, so they neither make a new query to plan
        nor meet a placeholder. Each is read in a `CALL` of its own, never in a subquery expression of the map:
        Neo4j 5 takes two subquery expressions of one map that both name a `p` for one variable declared twice."""
        level = LEVELS[level_name]
        items = dict.fromkeys([level.always])
        asked: list[tuple[Selected, list[str]]] = []
        for key, field in selection.items():
            if field.name in level.fields:
                items[level.fields[field.name]] = None
            if (level.type_name, field.name) in NESTED:
                same = next((keys for other, keys in asked if other == field), None)
                if same is None:
                    asked.append((field, [key]))
                else:
                    same.append(key)
        calls: list[str] = []
        nested: list[str] = []
        for field, keys in asked:
            value = self.nested(level.variable, NESTED[level.type_name, field.name], field, calls)
            if value is not None:
                name = self.fresh("f")
                self.keys[name] = keys
                nested.append(f"{name}: {value}")
        if nested:
            items["selected: {" + ", ".join(nested) + "}"] = None
        return " ".join(calls), f"{level.variable} {{{', '.join(items)}}}"

    def restored(self, value: Any) -> Any:
        """A row read through this projection with its related objects under the response keys that asked for
        them, at every depth (in place). Related objects are only ever under an object's `selected`: one, a list
        of them, or a page (`rows`, which no object has as a field). An object's own fields are never walked: a
        record's content is its provider's JSON, where a key named `selected` is data."""
        if isinstance(value, list):
            for item in value:
                self.restored(item)
        elif isinstance(value, dict):
            if "rows" in value:
                self.restored(value["rows"])
            elif (selected := value.get("selected")) is not None:
                for found in selected.values():
                    self.restored(found)
                value["selected"] = {key: found for name, found in selected.items() for key in self.keys[name]}
        return value

    def nested(self, parent: str, related: Related | Paged, field: Selected, calls: list[str]) -> str | None:
        """Adds to `calls` the subqueries that read a related object from `parent`, and answers the value the
        parent's map gives it, or None past MOST_RELATED. Each depth names the related object anew (`x1`, `x2`,
        ...)."""
        if self.reads == MOST_RELATED:
            return None
        self.reads += 1
        self.depth += 1
        try:
            x = f"x{self.depth}"
            if isinstance(related, Related):
                return self.call(parent, self.related(related, field, x), calls)
            pages = self.paged(related, field, x)
            if pages is None:
                return None
            rows, total = pages
            counted = self.call(parent, total, calls) if total else "null"
            return f"{self.call(parent, rows, calls)}{{.rows, .more, total: {counted}}}"
        finally:
            self.depth -= 1

    def call(self, parent: str, body: str, calls: list[str]) -> str:
        """`body`, a subquery of `parent` alone that returns one value, as a `CALL`; answers the value's name."""
        name = self.fresh("n")
        calls.append(f"CALL ({parent}) {{ {body} AS {name} }}")
        return name

    def related(self, related: Related, field: Selected, x: str) -> str:
        path = related.path.replace("x:", f"{x}:")
        order = f" ORDER BY {related.order.replace('x.', f'{x}.')}" if related.order else ""
        limit = f" LIMIT {MOST_LISTED}" if related.many else ""
        read = (
            f"MATCH {path} {self.scoped(related.level, field.selection, x)} WITH {x}, v{order}{limit} RETURN collect(v)"
        )
        return read if related.many else f"{read}[0]"

    def scoped(self, level_name: str, selection: Selection, x: str) -> str:
        """`x` projected as `v`, in a scope where only it is known, by its level's variable."""
        level = LEVELS[level_name]
        calls, projection = self.project(level_name, selection)
        return f"CALL ({x}) {{ WITH {x} AS {level.variable} {level.matches} {calls} RETURN {projection} AS v }}"

    def paged(self, paged: Paged, field: Selected, x: str) -> tuple[str, str | None] | None:
        """The first page, whether more follow, and the count if selected; a page `after` a cursor is the loader's.
        The object one past the page, which says that more follow, is neither projected nor returned: it is not
        seen, so not logged."""
        first = field.arguments.get("first")
        if field.arguments.get("after") is not None or not isinstance(first, int) or not 0 <= first <= MOST_LISTED:
            return None
        path = paged.path.replace("x:", f"{x}:").replace("x.", f"{x}.")
        path = path.replace("$CATEGORY", self.bind(field.arguments.get("category")))
        order = paged.order.replace("x.", f"{x}.")
        variable = LEVELS[paged.level].variable
        visible = f"CALL ({x}) {{ WITH {x} AS {variable} WHERE {paged.visible} RETURN true AS visible }}"
        size = self.bind(first)
        rows = (
            f"MATCH {path} {visible} WITH {x} ORDER BY {order} LIMIT {size} + 1 WITH collect({x}) AS found "
            f"{first_of(size, x, self.scoped(paged.level, nodes(field.selection) if first else {}, x), 'v')} "
            f"RETURN {{rows: page, more: size(found) > {size}}}"
        )
        counted = any(part.name == "totalCount" for part in field.selection.values())
        return rows, f"MATCH {path} {visible} RETURN count({x})" if counted else None


def first_of(size: str, variable: str, body: str, value: str, carried: str = "") -> str:
    """Cypher: the page of `found`, the objects a page's query matched with one more when more follow (`LIMIT
    size + 1`): the first `size`, each bound to `variable`, read by `body` and collected as `value`, in order, as
    `page`. The one past the page is never projected, so never seen nor logged: `size(found) > size` says that more
    follow. `carried`: what else the reading needs from outside (", s")."""
    return (
        f"CALL (found{carried}) {{ UNWIND range(0, size(found[..{size}]) - 1) AS at "
        f"WITH at, found[at] AS {variable}{carried} {body} "
        f"WITH at, {value} AS item ORDER BY at RETURN collect(item) AS page }}"
    )


def whole(level_name: str) -> str:
    """The map projection of an object of `level_name` with every field and nothing below it: the row a read by id
    or a mutation's read-back returns (reads.SUBJECT, RECORD, ...)."""
    level = LEVELS[level_name]
    return f"{level.variable} {{{', '.join(dict.fromkeys([level.always, *level.fields.values()]))}}}"


def nodes(connection: Selection) -> Selection:
    """What a connection's nodes select, over all its `edges { node }` however aliased. A key selected two ways
    (two aliases of `node` asking one response key for different things) is not read with the page: each related
    field is then resolved on its own, by its loader; a field of the object itself stays, under a key no resolver
    asks (`title#2`), so the object is read with it."""
    merged: dict[str, Selected] = {}
    conflicting: dict[str, list[Selected]] = {}
    for edges in connection.values():
        if edges.name != "edges":
            continue
        for node in edges.selection.values():
            if node.name != "node":
                continue
            for key, field in node.selection.items():
                if key in merged and merged[key] != field:
                    conflicting.setdefault(key, [merged[key]]).append(field)
                merged.setdefault(key, field)
    own = {
        f"{key}#{at}": field
        for key, fields in conflicting.items()
        for at, field in enumerate(fields)
        if not field.selection
    }
    return {key: field for key, field in merged.items() if key not in conflicting} | own
