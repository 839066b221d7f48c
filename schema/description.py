"""The schema's description: what the API is and every limit a caller is held to, written from the figures that
set them (the constants here and the server's settings), so the description cannot drift from what is enforced.

GraphiQL shows it at the top of its documentation; `schema.graphql` carries it with the defaults.
"""

from typing import Any

from limits import parse_many

from graph_store.connection import Neo4jConfig
from resolvers.context import LookupLimits
from resolvers.pagination import DEFAULT_PAGE, MAX_PAGE

from .cost import MAX_COST
from .limits import (
    MAX_ALIASES,
    MAX_BODY_BYTES,
    MAX_DEPTH,
    MAX_INTROSPECTION_DEPTH,
    MAX_INTROSPECTION_LISTS,
    MAX_REPEATS,
    MAX_SCHEMA_INTROSPECTIONS,
    MAX_TOKENS,
    RATE_LIMIT,
)

QUERY_TIMEOUT = Neo4jConfig.query_timeout
"""Seconds a query may take in Neo4j, by default (NEO4J_QUERY_TIMEOUT)."""


def per_caller(rate_limit: str) -> str:
    """RATE_LIMIT's "30/second;1200/minute" in words: "30 requests a second and 1,200 a minute"."""
    parts = [
        f"{item.amount:,} " + (f"a {unit}" if item.multiples == 1 else f"every {item.multiples} {unit}s")
        for item in parse_many(rate_limit)
        for unit in [item.GRANULARITY.name]
    ]
    return parts[0].replace(" ", " requests ", 1) + "".join(f" and {part}" for part in parts[1:])


def limits(
    *,
    max_tokens: int = MAX_TOKENS,
    max_cost: int = MAX_COST,
    rate_limit: str = RATE_LIMIT,
    lookups: LookupLimits | None = None,
    query_timeout: float = QUERY_TIMEOUT,
) -> list[tuple[str, str]]:
    """Every limit a caller meets and its figure, as the description and the README's "Limits" table state them."""
    lookups = lookups or LookupLimits()
    schemas = "once" if MAX_SCHEMA_INTROSPECTIONS == 1 else f"{MAX_SCHEMA_INTROSPECTIONS} times"
    return [
        ("request body", f"{MAX_BODY_BYTES // 1024} KiB"),
        ("document", f"{max_tokens:,} tokens"),
        ("depth through the schema's types", f"{MAX_DEPTH} levels"),
        (
            "introspection (`__schema`, `__type`)",
            f"{MAX_INTROSPECTION_DEPTH} levels from its field, field lists nested at most {MAX_INTROSPECTION_LISTS} "
            f"deep, `__schema` {schemas} per operation",
        ),
        ("aliases", f"{MAX_ALIASES} per operation"),
        ("one response name in one selection set, its fragments included", f"{MAX_REPEATS} times"),
        ("page size (`first`)", f"{DEFAULT_PAGE} when not given, at most {MAX_PAGE}"),
        ("cost", f"{max_cost:,} points per operation: an object 1, a list its items times what each costs"),
        ("rate per caller", per_caller(rate_limit)),
        (
            "relationship lookups",
            f"{lookups.max_subjects:,} subjects reached, {lookups.timeout:g} s each, {lookups.concurrent} at once "
            "per caller",
        ),
        ("time in Neo4j", f"{query_timeout:g} s per query"),
    ]


def schema_description(**figures: Any) -> str:
    """The description, with the figures the server runs with (`limits`' arguments; the defaults if none)."""
    listed = "\n".join(f"- {limit}: {figure}" for limit, figure in limits(**figures))
    return f"""\
The GraphQL API of the Hunan provincial social credit information sharing platform (《湖南省社会信用信息管理办法》).

Limits (docs/limits.md): a request over one is refused with `LIMIT_EXCEEDED` (`RATE_LIMITED` over the rate), \
saying what to change.

{listed}"""
