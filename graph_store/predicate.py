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
from typing import Any


@dataclass(frozen=True)
class Predicate:
    condition: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The condition, parenthesized: the only form in which it goes into a query."""
        return f"({self.condition})"


EVERYTHING = Predicate("true")


PLACEHOLDERS = {
    "RECORD_FILTER": "records",
    "IDENTITY_FILTER": "identity",
    "LISTING_FILTER": "listings",
    "PEOPLE_FILTER": "people",
    "ACTORS_FILTER": "actors",
}
"""Where a query says which predicate goes: every read query is written with these words, never with a filter's text."""


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

    def paste(self, query: str) -> str:
        for placeholder, name in PLACEHOLDERS.items():
            query = query.replace(placeholder, getattr(self, name).text)
        return query

    def params(self) -> dict[str, Any]:
        return {name: value for field in PLACEHOLDERS.values() for name, value in getattr(self, field).params.items()}
