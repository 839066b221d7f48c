"""What a principal may read, compiled once per request from the policy into Cypher predicates.

This is the one place the policy meets the read path: every read query takes
the whole `ReadFilter` (graph_store/predicate.py) and pastes what it needs:
who may read which records and listings, who may know which natural persons,
the people a record's content names, and who made each version. All come from
Oso data filtering over policy.polar.
"""

import datetime

from graph_store.predicate import ReadFilter

from .policy import allowed
from .principal import Principal
from .resources import Listing, Record, Subject, Viewer


def viewer_of(principal: Principal, now: datetime.datetime) -> Viewer:
    return Viewer(role=principal.role, unit=principal.unit, purpose=principal.purpose, today=now.date(), now=now)


def compile_read_filter(principal: Principal, now: datetime.datetime) -> ReadFilter:
    viewer = viewer_of(principal, now)
    return ReadFilter(
        records=allowed(viewer, "read", Record),
        identity=allowed(viewer, "reveal", Subject),
        listings=allowed(viewer, "read", Listing),
        people=allowed(viewer, "reveal", Record),
        actors=allowed(viewer, "see_actors", Record),
    )
