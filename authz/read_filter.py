"""What a principal may read, compiled once per request from the policy into Cypher predicates.

This is the one place the policy meets the read path: every read query takes
the whole `ReadFilter` (graph_store/predicate.py) and pastes what it needs:
who may read which records and listings, who may know which natural persons,
the people a record's content names, who made each version, and what earlier versions said. All come from
Oso data filtering over policy.polar.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from credit.errors import PurposeRequired
from graph_store.predicate import EVERYTHING, Predicate, ReadFilter

from .policy import allowed, is_allowed
from .principal import Principal
from .resources import Listing, Measure, Record, Subject, Viewer

PURPOSE_REQUIRED = (
    "an AGENCY reads credit data only for a declared purpose (Art. 20): send the X-Query-Purpose header with a "
    "purpose code of the query application catalog"
)


def viewer_of(principal: Principal, now: datetime.datetime) -> Viewer:
    return Viewer(
        role=principal.role,
        unit=principal.unit,
        purpose=principal.purpose,
        today=now.date(),
        now=now,
        categories=principal.categories,
    )


def compile_read_filter(principal: Principal, now: datetime.datetime) -> ReadFilter:
    """The request's filter; for a viewer the policy lets read no credit data as it asks (an AGENCY that declared no
    purpose), one that refuses every read with PURPOSE_REQUIRED. Every read of subjects, records, listings, reports
    and lookups, a mutation's own included, goes through this filter, so none answers such a viewer with the public
    view in silence; what reads none (the catalog, providers, a document its issuer revokes) is not refused."""
    viewer = viewer_of(principal, now)
    if not is_allowed(viewer, "read", "CREDIT_DATA"):
        return ReadFilter.refusing(PurposeRequired(PURPOSE_REQUIRED))
    records = allowed(viewer, "read", Record)
    return ReadFilter(
        records=records,
        identity=allowed(viewer, "reveal", Subject),
        listings=allowed(viewer, "read", Listing),
        people=allowed(viewer, "reveal", Record),
        actors=allowed(viewer, "see_actors", Record),
        earlier=allowed(viewer, "read_earlier_content", Record),
        measures=measure_filter(allowed(viewer, "read", Measure), records),
        disclosed=allowed(viewer, "disclose", Record),
        standing=allowed(viewer, "disclose", Listing),
        listed=allowed(viewer, "reveal_listed", Subject),
    )


def disclosed_on(today: datetime.date, record: Mapping[str, Any]) -> bool:
    """Whether a record is disclosed on `today` (policy.polar, "disclosable"): the window of every read query, asked
    of the policy for one record, whoever asks (the rule speaks only of the record and the day)."""
    return is_allowed(anyone_on(today), "disclose", Record(**record))


def standing_on(today: datetime.date, listing: Mapping[str, Any]) -> bool:
    """Whether a listing is on the public list on `today` (policy.polar, "standing"), asked of the policy."""
    return is_allowed(anyone_on(today), "disclose", Listing(**listing))


def anyone_on(today: datetime.date) -> Viewer:
    """A viewer with no role on `today`: the "disclose" rules speak only of the object and the day."""
    noon = datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)
    return Viewer(role=None, unit=None, purpose=None, today=today, now=noon)


def measure_filter(measures: Predicate, records: Predicate) -> Predicate:
    """Who may read a measure (policy.polar, "reading a measure"): the policy's own rules on the measure, or one of the
    records it rests on readable by this viewer under the record rules, the same record predicate every record read
    takes. Oso does not compile "read" on a record reached through a relation, so that branch is composed here."""
    if measures.condition == EVERYTHING.condition:
        return measures
    return Predicate(
        f"{measures.text} OR EXISTS {{ MATCH (m)-[:BECAUSE_OF]->(r:Record) WHERE {records.text} }}",
        measures.params | records.params,
    )
