"""The compiled Cypher filter returns exactly what per-item `is_allowed` allows, on random small graphs.

Hypothesis draws a graph (subjects, records, consents, listings, measures, in
every state and disclosure mode, around "now") and a viewer; both sides run
against the same Neo4j: the filter as Cypher, `is_allowed` per node with
relations fetched from the graph by the same adapter. Records, who a person is,
listings, and whom the viewer may find at all (composed of those) are checked.
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from neo4j import Driver, GraphDatabase
from oso import Oso

from authz.cypher_filter import ROOT_VARIABLES
from authz.policy import allowed, load_policy
from authz.read_filter import measure_filter
from authz.resources import KEYS, LABELS, Listing, Measure, Node, Objection, Record, Subject, Viewer
from credit.model import CHINA, Category, DisclosureMode, SubjectKind
from graph_store import embedded
from graph_store.predicate import ReadFilter
from graph_store.rows import outgoing
from server import settings as settings_module

from .conftest import NO_RUNS_SHOWN

NOW = datetime.datetime(2026, 6, 15, 10, 30, tzinfo=CHINA)
TODAY = NOW.date()
SUBJECTS = ["S1", "S2"]
ORGANIZATIONS = ["P1", "P2"]
PURPOSES = ["PURPOSE_A", "PURPOSE_B"]
CATEGORIES = [Category.ADMINISTRATIVE_PENALTY.value, Category.OTHER.value]

# Few values, on both sides of every boundary the policy compares (<=, >=), so that rare combinations
# (an organization holding a consent in force for the declared purpose and the record's category) come up often.
dates = st.sampled_from([-400, -1, 0, 1, 30]).map(lambda offset: TODAY + datetime.timedelta(days=offset))
ends = st.none() | st.sampled_from([-1, 0, 1, 30]).map(lambda offset: TODAY + datetime.timedelta(days=offset))
starts_of_consent = st.sampled_from([-30, -1, -1, 1]).map(lambda offset: NOW + datetime.timedelta(days=offset))
ends_of_consent = st.sampled_from([-1, 1, 30, 30]).map(lambda offset: NOW + datetime.timedelta(days=offset))
mostly_active = st.sampled_from(["ACTIVE", "ACTIVE", "ACTIVE", "REPAIRED", "REVOKED"])

records = st.fixed_dictionaries(
    {
        "subjectCode": st.sampled_from(SUBJECTS),
        "providerCode": st.sampled_from(ORGANIZATIONS),
        "disclosureMode": st.sampled_from([mode.value for mode in DisclosureMode]),
        "status": mostly_active,
        "category": st.sampled_from(CATEGORIES),
        "confirmedAt": dates,
        "disclosureUntil": ends,
        "publishedBySubjectAt": st.none() | st.just(NOW - datetime.timedelta(days=1)),
    }
)
consents = st.fixed_dictionaries(
    {
        "subjectCode": st.sampled_from(SUBJECTS),
        "granteeCode": st.sampled_from(ORGANIZATIONS),
        "purpose": st.sampled_from(PURPOSES),
        "status": mostly_active.map(lambda status: "ACTIVE" if status == "ACTIVE" else "REVOKED"),
        "categories": st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True),
        "validFrom": starts_of_consent,
        "validUntil": ends_of_consent,
    }
)
listings = st.fixed_dictionaries(
    {
        "subjectCode": st.sampled_from(SUBJECTS),
        "decidedByCode": st.sampled_from(ORGANIZATIONS),
        "status": st.sampled_from(["ACTIVE", "REMOVED"]),
        "disclosureUntil": ends,
    }
)
objections = st.fixed_dictionaries(
    {
        "targetKind": st.sampled_from(["RECORD", "LISTING", "MEASURE", "PROVIDER"]),
        "subjectCode": st.sampled_from(SUBJECTS),
        "handlerCode": st.sampled_from(ORGANIZATIONS),
        "status": st.sampled_from(["OPEN", "UPHELD"]),
    }
)
graphs = st.fixed_dictionaries(
    {
        "kinds": st.lists(st.sampled_from([kind.value for kind in SubjectKind]), min_size=2, max_size=2),
        "records": st.lists(records, max_size=8),
        "consents": st.lists(consents, max_size=6),
        "listings": st.lists(listings, max_size=3),
        "measured": st.lists(st.sampled_from(SUBJECTS), max_size=1),
        "objections": st.lists(objections, max_size=4),
    }
)


@st.composite
def viewers(draw: st.DrawFn) -> Viewer:
    """Mostly organizations with a unit of their kind; subjects, the department, auditors and anonymous too."""
    role = draw(st.sampled_from(["AGENCY", "PROVIDER", "CREDIT_SERVICE", "SUBJECT", "ADMIN", "AUDITOR", None]))
    units = SUBJECTS if role == "SUBJECT" else ORGANIZATIONS
    unit = None if role is None else draw(st.sampled_from(units))
    purpose = draw(st.sampled_from([None, PURPOSES[0]]))
    categories = draw(st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True)) if purpose else []
    return Viewer(role=role, unit=unit, purpose=purpose, today=TODAY, now=NOW, categories=tuple(categories))


WRITE_GRAPH = """
    UNWIND range(0, size($kinds) - 1) AS i
    CREATE (:Subject {code: $codes[i], kind: $kinds[i]})
    WITH count(*) AS done
    UNWIND range(0, size($records) - 1) AS i
    WITH $records[i] AS record, i
    MATCH (s:Subject {code: record.subjectCode})
    CREATE (r:Record {id: 'R' + i})-[:ABOUT]->(s)
    SET r += record
    WITH count(*) AS done
    UNWIND range(0, size($consents) - 1) AS i
    WITH $consents[i] AS consent, i
    MATCH (s:Subject {code: consent.subjectCode})
    CREATE (c:Consent {id: 'C' + i})-[:GRANTED_BY]->(s)
    SET c += consent
    WITH count(*) AS done
    UNWIND range(0, size($listings) - 1) AS i
    WITH $listings[i] AS listing, i
    MATCH (s:Subject {code: listing.subjectCode})
    CREATE (l:Listing {id: 'L' + i})-[:OF]->(s)
    SET l += listing
    WITH count(*) AS done
    UNWIND $measured AS code
    MATCH (s:Subject {code: code})
    CREATE (:Measure {id: 'M' + code, subjectCode: code, startsAt: date('2000-01-01'), endsAt: date('2999-12-31')})
           -[:APPLIED_TO]->(s)
    WITH count(*) AS done
    UNWIND range(0, size($objections) - 1) AS i
    CREATE (o:Objection {id: 'O' + i})
    SET o += $objections[i]
"""


@pytest.fixture(scope="module")
def driver(neo4j_server: embedded.EmbeddedStatus) -> Iterator[Driver]:
    config = settings_module.load().neo4j()
    with GraphDatabase.driver(
        config.uri, auth=(config.user, config.password), notifications_min_severity="OFF"
    ) as opened:
        yield opened
        opened.execute_query("MATCH (n) DETACH DELETE n")


def rows(driver: Driver, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    found, _, _ = driver.execute_query(cypher, {**params, **NO_RUNS_SHOWN})
    return [outgoing(record.data(), None) for record in found]


def write(driver: Driver, graph: dict[str, Any]) -> None:
    driver.execute_query("MATCH (n) DETACH DELETE n")
    # Neo4j stores no null properties: a record without an end simply has no disclosureUntil.
    records = [{key: value for key, value in record.items() if value is not None} for record in graph["records"]]
    listings = [{key: value for key, value in listing.items() if value is not None} for listing in graph["listings"]]
    driver.execute_query(
        WRITE_GRAPH,
        kinds=graph["kinds"],
        codes=SUBJECTS,
        records=records,
        consents=graph["consents"],
        listings=listings,
        measured=graph["measured"],
        objections=graph["objections"],
    )


def compared(driver: Driver, policy: Oso, viewer: Viewer, action: str, resource: type[Node]) -> list[dict[str, Any]]:
    """The nodes `is_allowed` allows one by one, once the compiled filter is shown to find exactly those."""
    label, key, node = LABELS[resource], KEYS[resource], ROOT_VARIABLES[resource]
    predicate = allowed(viewer, action, resource)
    found = rows(driver, f"MATCH ({node}:{label}) WHERE {predicate.text} RETURN {node}.{key} AS key", predicate.params)
    every = [row["node"] for row in rows(driver, f"MATCH (n:{label}) RETURN properties(n) AS node", {})]
    item_by_item = [properties for properties in every if policy.is_allowed(viewer, action, resource(**properties))]
    assert {row["key"] for row in found} == {properties[key] for properties in item_by_item}, (action, label)
    return item_by_item


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=graphs, viewer=viewers())
@example(  # an organization holding a consent in force: the branch that needs two hops in the graph
    graph={
        "kinds": ["NATURAL_PERSON", "LEGAL_PERSON"],
        "records": [
            {"subjectCode": "S1", "providerCode": "P2", "disclosureMode": "AUTHORIZED_QUERY", "status": "ACTIVE",
             "category": CATEGORIES[1], "confirmedAt": TODAY, "disclosureUntil": None},
        ],
        "consents": [
            {"subjectCode": "S1", "granteeCode": "P1", "purpose": PURPOSES[0], "status": "ACTIVE",
             "categories": [CATEGORIES[1]], "validFrom": NOW - datetime.timedelta(days=1),
             "validUntil": NOW + datetime.timedelta(days=1)},
        ],
        "listings": [{"subjectCode": "S1", "decidedByCode": "P1", "status": "REMOVED", "disclosureUntil": TODAY}],
        "measured": [],
        "objections": [],
    },
    viewer=Viewer(role="CREDIT_SERVICE", unit="P1", purpose=PURPOSES[0], today=TODAY, now=NOW),
)  # fmt: skip
def test_filtered_query_returns_exactly_what_is_allowed_item_by_item(
    driver: Driver, graph: dict[str, Any], viewer: Viewer
):
    write(driver, graph)
    policy = load_policy(fetch=lambda cypher, params: rows(driver, cypher, params))

    readable_records = compared(driver, policy, viewer, "read", Record)
    revealed = {subject["code"] for subject in compared(driver, policy, viewer, "reveal", Subject)}
    readable_listings = compared(driver, policy, viewer, "read", Listing)
    compared(driver, policy, viewer, "disclose", Record)
    compared(driver, policy, viewer, "disclose", Listing)
    compared(driver, policy, viewer, "reveal_listed", Subject)
    compared(driver, policy, viewer, "handle", Objection)  # who decides an objection, and so lists it (Art. 32)
    compared(driver, policy, viewer, "read", Objection)

    # Who the viewer may find: an organization, a person it may know, or one about whom it may read something
    # (the measures here run, so everyone reads them).
    disclosed = {node["subjectCode"] for node in readable_records + readable_listings} | set(graph["measured"])
    every_subject = rows(driver, "MATCH (s:Subject) RETURN properties(s) AS node", {})
    findable_item_by_item = {
        row["node"]["code"]
        for row in every_subject
        if row["node"]["kind"] != "NATURAL_PERSON" or row["node"]["code"] in revealed | disclosed
    }
    filters = ReadFilter(
        records=allowed(viewer, "read", Record),
        identity=allowed(viewer, "reveal", Subject),
        listings=allowed(viewer, "read", Listing),
        people=allowed(viewer, "reveal", Record),
        actors=allowed(viewer, "see_actors", Record),
        earlier=allowed(viewer, "read_earlier_content", Record),
        measures=measure_filter(allowed(viewer, "read", Measure), allowed(viewer, "read", Record)),
        disclosed=allowed(viewer, "disclose", Record),
        standing=allowed(viewer, "disclose", Listing),
        listed=allowed(viewer, "reveal_listed", Subject),
    )
    found = rows(driver, *filters.applied("MATCH (s:Subject) WHERE FINDABLE_FILTER RETURN s.code AS code"))
    assert {row["code"] for row in found} == findable_item_by_item


def test_a_subject_published_record_is_public_only_while_published(driver: Driver):
    """Art. 16: the subject's own publication is public while its subject publishes it."""
    predicate = allowed(Viewer(role=None, unit=None, purpose=None, today=TODAY, now=NOW), "read", Record)
    record = {"disclosureMode": "SUBJECT_PUBLISHED", "status": "ACTIVE", "confirmedAt": TODAY, "category": "OTHER"}

    def read_by_anyone(record: dict[str, Any]) -> bool:
        [found] = rows(
            driver,
            f"WITH $record AS r RETURN coalesce({predicate.text}, false) AS read",
            {**predicate.params, "record": record},
        )
        return bool(found["read"])

    assert read_by_anyone({**record, "publishedBySubjectAt": NOW - datetime.timedelta(days=1)})
    assert not read_by_anyone(record)
    assert read_by_anyone({**record, "disclosureMode": "PUBLIC_NOTICE"})
