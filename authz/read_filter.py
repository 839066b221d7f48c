"""What a principal may read, compiled once per request from the policy into Cypher predicates.

This is the one place the policy meets the read path: every query that returns
records takes `ReadFilter.records`, every query that returns subjects takes
`ReadFilter.identity`. Both come from Oso data filtering over policy.polar.
"""

import datetime
from dataclasses import dataclass

from graph_store.predicate import Predicate

from .policy import allowed
from .principal import Principal
from .resources import Record, Subject, Viewer


@dataclass(frozen=True)
class ReadFilter:
    records: Predicate
    """Holds for each record the principal may read."""
    identity: Predicate
    """Holds for each subject whose full name and resident ID the principal may see (unmasked)."""


def viewer_of(principal: Principal, now: datetime.datetime) -> Viewer:
    return Viewer(role=principal.role, unit=principal.unit, purpose=principal.purpose, today=now.date(), now=now)


def compile_read_filter(principal: Principal, now: datetime.datetime) -> ReadFilter:
    viewer = viewer_of(principal, now)
    return ReadFilter(records=allowed(viewer, "read", Record), identity=allowed(viewer, "reveal", Subject))
