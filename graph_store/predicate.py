"""A Cypher condition with its parameters: how a caller narrows a read without writing Cypher.

The condition comes from code (authz builds it from the policy), never from input;
every value in it is a `$parameter` whose name starts with the predicate's own
prefix, so it cannot collide with the query's. A record predicate speaks of the
record as `r`: every query that takes one names its record `r`.

A predicate is only ever pasted as `text`, which is parenthesized: a condition
that is an OR of branches keeps its precedence wherever it lands
(`l.status = 'ACTIVE' AND (a OR b)`, never `... AND a OR b`).
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from credit.errors import CreditGraphError


@dataclass(frozen=True)
class Predicate:
    condition: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The condition, parenthesized: the only form in which it goes into a query."""
        return f"({self.condition})"

    def within(self, query: str, placeholder: str) -> tuple[str, dict[str, Any]]:
        """`query` with this predicate at `placeholder`, and its parameters: for a query that takes a predicate of
        its own (who handles which objections or repair applications) rather than the request's read filter."""
        if placeholder not in query:
            raise ValueError(f"the query has no {placeholder}")
        return query.replace(placeholder, self.text), self.params


EVERYTHING = Predicate("true")
NOTHING = Predicate("false")


def published(variable: str) -> str:
    """Holds for the node `variable` unless an import staged it and has not published it yet: an import's new
    objects are written before it ends, with their labels and links, marked `Staged` with their run's id, and shown
    by one change to their run (graph_store/bulk_writes.py); `$shownRuns`, the published runs whose objects are still
    marked, is given by the store (graph_store/connection.py, `ShownRuns`). Every read of a kind an import creates
    takes it where it finds a node; those that pass through a viewer's filter take it with the filter
    (RECORD_FILTER, MEASURE_FILTER, FINDABLE_FILTER)."""
    return f"CASE WHEN {variable}:Staged THEN {variable}.importRun IN $shownRuns ELSE true END"


PLACEHOLDERS = {
    "FINDABLE_FILTER": "findable",
    "RECORD_FILTER": "records",
    "LISTED_PERSON_FILTER": "listed",
    "IDENTITY_FILTER": "identity",
    "LISTING_FILTER": "listings",
    "MEASURE_FILTER": "measures",
    "DISCLOSED_FILTER": "disclosed",
    "STANDING_FILTER": "standing",
    "PEOPLE_FILTER": "people",
    "ACTORS_FILTER": "actors",
    "EARLIER_FILTER": "earlier",
}
"""Where a query says which predicate goes: every read query is written with these words, never with a filter's text."""

PUBLISHED_WITH = {"findable": published("s"), "records": published("r"), "measures": published("m")}
"""The filters that hold only for published nodes (`published` of the variable each speaks of): a viewer may find or
read a node an import wrote only once the import published it."""


@dataclass(frozen=True)
class ReadFilter:
    """What one viewer may see, as predicates compiled from the policy (authz/read_filter.py builds it)."""

    records: Predicate
    """Holds for each record (`r`) the viewer may read."""
    identity: Predicate
    """Holds for each subject (`s`) whose full name and resident ID the viewer may see (unmasked)."""
    listings: Predicate
    """Holds for each serious-dishonesty listing (`l`) the viewer may read."""
    people: Predicate
    """Holds for each record (`r`) whose content may name its natural persons in full to the viewer."""
    actors: Predicate
    """Holds for each record (`r`) whose versions may say who made them, to the viewer."""
    earlier: Predicate
    """Holds for each record (`r`) whose earlier versions may show the viewer their title and content."""
    measures: Predicate
    """Holds for each measure (`m`) the viewer may read. It looks at the records the measure rests on through its own
    `r`, so a query that takes it binds no `r` of its own where it pastes it."""
    disclosed: Predicate
    """Holds for each record (`r`) disclosed today, whoever asks (the policy's "disclosable": Arts. 34-36): what a
    query that shows the viewer what is disclosed, not all it may read, takes beside RECORD_FILTER."""
    standing: Predicate
    """Holds for each listing (`l`) on the serious-dishonesty list today, whoever asks (the policy's "standing":
    Arts. 24, 35): the list itself takes it beside LISTING_FILTER."""
    listed: Predicate
    """Holds for each subject (`s`) whose full name and resident ID the viewer may see in a list of subjects by kind,
    region or name, and by whose name it may find a natural person there: `identity`, but for an agency only the
    persons it asks for (policy.polar, "reveal_listed")."""
    refused: CreditGraphError | None = None
    """Set when the viewer may read nothing until it changes its request (authz/read_filter.py says when): every
    read through this filter raises it, rather than answering with less than the viewer asked for."""

    @classmethod
    def refusing(cls, refused: CreditGraphError) -> "ReadFilter":
        """A filter no read gets through: each raises `refused` (and would find nothing if it did not)."""
        return cls(
            NOTHING, NOTHING, NOTHING, NOTHING, NOTHING, NOTHING, NOTHING, NOTHING, NOTHING, NOTHING, refused=refused
        )  # fmt: skip

    def check(self) -> None:
        """Raise the refusal, if there is one: for a step that must refuse before anything it does first."""
        if self.refused is not None:
            raise type(self.refused)(*self.refused.args)

    @cached_property
    def findable(self) -> Predicate:
        """Holds for each subject (`s`) the viewer may find by code or in a list: an organization; a natural person
        the policy reveals; or one about whom something is disclosed to the viewer (a record or listing it may read,
        a measure it may read, Arts. 19, 35). Being named as a company's masked representative does not make
        a person findable, so a viewer who may not know a person cannot confirm that a resident ID is on the
        platform, or walk a region's residents. Whoever may know every person finds everyone."""
        if self.identity.condition == EVERYTHING.condition:
            return EVERYTHING
        condition, params = self.applied(
            """s.kind <> 'NATURAL_PERSON' OR IDENTITY_FILTER
            OR EXISTS { MATCH (s)<-[:ABOUT]-(r:Record) WHERE RECORD_FILTER }
            OR EXISTS { MATCH (s)<-[:OF]-(l:Listing) WHERE LISTING_FILTER }
            OR EXISTS { MATCH (s)<-[:APPLIED_TO]-(m:Measure) WHERE MEASURE_FILTER }""",
        )
        return Predicate(condition, params)

    def applied(self, query: str) -> tuple[str, dict[str, Any]]:
        """`query` with the predicates it names pasted in, and the parameters of those alone: a value the query
        does not use still costs its encoding (dates and instants are dear), on every request."""
        self.check()
        params: dict[str, Any] = {}
        for placeholder, name in PLACEHOLDERS.items():
            if placeholder in query:
                predicate: Predicate = getattr(self, name)
                text = predicate.text
                if name in PUBLISHED_WITH:
                    text = f"({PUBLISHED_WITH[name]} AND {text})"
                query = query.replace(placeholder, text)
                params |= predicate.params
        return query, params
