"""What a principal may read, compiled once per request from the policy into Cypher predicates.

This is the one place the policy meets the read path: every query that returns
records takes `ReadFilter.records`, every query that returns subjects takes
`ReadFilter.identity`, every query that returns listings `ReadFilter.listings`.
All come from Oso data filtering over policy.polar.
"""

import datetime
from dataclasses import dataclass

from graph_store.predicate import Predicate

from .policy import allowed
from .principal import Principal
from .resources import Listing, Record, Subject, Viewer


@dataclass(frozen=True)
class ReadFilter:
    records: Predicate
    """Holds for each record the principal may read."""
    identity: Predicate
    """Holds for each subject whose full name and resident ID the principal may see (unmasked)."""
    listings: Predicate
    """Holds for each serious-dishonesty listing the principal may read."""


def viewer_of(principal: Principal, now: datetime.datetime) -> Viewer:
    return Viewer(role=principal.role, unit=principal.unit, purpose=principal.purpose, today=now.date(), now=now)


def compile_read_filter(principal: Principal, now: datetime.datetime) -> ReadFilter:
    viewer = viewer_of(principal, now)
    return ReadFilter(
        records=allowed(viewer, "read", Record),
        identity=allowed(viewer, "reveal", Subject),
        listings=allowed(viewer, "read", Listing),
    )
