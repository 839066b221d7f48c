"""A Cypher condition with its parameters: how a caller narrows a read without writing Cypher.

The text comes from code (authz builds it from the policy), never from input;
every value in it is a `$parameter` whose name starts with the predicate's own
prefix, so it cannot collide with the query's. A record predicate speaks of the
record as `r`: every query that takes one names its record `r`.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Predicate:
    text: str
    params: dict[str, Any] = field(default_factory=dict)


EVERYTHING = Predicate("true")
