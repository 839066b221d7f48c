"""The schema's own scalar for instants: one way in, one way out.

`DateTime` takes ISO 8601 with an offset and refuses one without it, everywhere, with one message (a date-time with
no offset names no instant: 09:28 in Changsha and in London are eight hours apart, and Neo4j compares it with no
stored instant, so a filter on it silently finds nothing). It prints every instant the same way, in milliseconds
and at +08:00, e.g. `2026-12-02T09:28:00.000+08:00`:

- milliseconds, because that is what a JavaScript `Date` (every browser client) holds, and what a person or an
  auditor can use; microseconds were printed only when not zero, so one field came in two shapes and the strings
  of one list did not sort as text;
- +08:00, the offset of China all year, in which the law counts days (Decree No. 303's deadlines, disclosure
  windows, consents): the date a client reads off an instant is the date the platform counted with.
"""

import datetime
from typing import Any

import strawberry
from graphql import GraphQLError

from credit.model import CHINA

NO_OFFSET = "a date-time needs its UTC offset, e.g. 2026-12-02T09:28:00+08:00 (or Z for UTC)"


def parse_instant(value: Any) -> datetime.datetime:
    if not isinstance(value, str):
        raise GraphQLError(f"DateTime is an ISO 8601 string with an offset, not {value!r}")
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise GraphQLError(f"{value!r} is not an ISO 8601 date-time; {NO_OFFSET}") from None
    if parsed.tzinfo is None:
        raise GraphQLError(f"{value!r} has no offset: {NO_OFFSET}")
    return parsed


def print_instant(value: Any) -> str:
    """A Python datetime, or a Neo4j DateTime as the driver returns it (`to_native`), that names an instant."""
    instant = value.to_native() if hasattr(value, "to_native") else value
    if not isinstance(instant, datetime.datetime) or instant.tzinfo is None:
        raise TypeError(f"DateTime prints instants with an offset, not {value!r}")
    return instant.astimezone(CHINA).isoformat(timespec="milliseconds")


DateTime = strawberry.scalar(
    name="DateTime",
    description=(
        "An instant: ISO 8601 with its offset. Printed in milliseconds at +08:00 (2026-12-02T09:28:00.000+08:00); "
        "taken with any offset (2026-12-02T01:28:00Z), and refused without one."
    ),
    serialize=print_instant,
    parse_value=parse_instant,
)
"""Every datetime.datetime of the schema (schema/__init__.py maps the type to it)."""
