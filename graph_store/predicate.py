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
