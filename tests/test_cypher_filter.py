"""The policy compiled to Cypher, without a database: what Neo4j receives. What each viewer reads is held by
test_policy against Neo4j; these hold what it cannot see: values travel as parameters, never as query text, and the
filters walk no relationship they do not need (the cost of every read)."""

import datetime

from authz.policy import allowed
from authz.resources import Record, Subject, Viewer
from credit.model import CHINA

NOW = datetime.datetime(2026, 6, 15, 10, 30, tzinfo=CHINA)


def viewer(role: str | None = None, unit: str | None = None, purpose: str | None = None) -> Viewer:
    return Viewer(role=role, unit=unit, purpose=purpose, today=NOW.date(), now=NOW)


def test_anonymous_filter_reads_record_properties_only():
    predicate = allowed(viewer(), "read", Record)
    assert "EXISTS" not in predicate.text
    assert set(predicate.params.values()) == {"PUBLIC_NOTICE", "SUBJECT_PUBLISHED", "ACTIVE", NOW.date()}
    assert "r.disclosureUntil IS NULL" in predicate.text and "r.disclosureUntil IS NOT NULL" in predicate.text


def test_admin_filter_is_true():
    assert allowed(viewer("ADMIN", "A"), "read", Record).condition == "true"
    assert allowed(viewer("ADMIN", "A"), "reveal", Subject).condition == "true"


def test_the_consent_test_is_written_once_and_walks_only_the_relationships_it_needs():
    """Four of the record's branches ask for a consent; Neo4j plans each `EXISTS` it reads, so the branches share
    one (authz/cypher_filter.py `factored`), and it walks from the record to its subject's consents only."""
    predicate = allowed(viewer("CREDIT_SERVICE", "P1", "PURPOSE_A"), "read", Record)
    assert predicate.text.count("EXISTS") == 1
    consent = predicate.text[predicate.text.index("EXISTS") :]
    assert consent.startswith(
        "EXISTS { MATCH (r)-[:ABOUT]->(subject_:Subject), (subject_)<-[:GRANTED_BY]-(consent_:Consent) WHERE"
    )
    assert "r.category IN consent_.categories" in consent


def test_what_the_branches_share_is_said_once():
    """Every branch of the anonymous record filter asks that the record is confirmed and in force: once."""
    predicate = allowed(viewer(), "read", Record)
    assert predicate.text.count("r.confirmedAt <=") == 1 and predicate.text.count("r.status =") == 1


def test_subject_reads_own_records_through_one_hop():
    predicate = allowed(viewer("SUBJECT", "430103198503121236"), "read", Record)
    assert "EXISTS { MATCH (r)-[:ABOUT]->(subject_:Subject) WHERE" in predicate.text
    assert "430103198503121236" in predicate.params.values()


def test_hostile_values_are_parameters_never_query_text():
    hostile = "x' OR 1=1 } MATCH (n) DETACH DELETE n //"
    for action, resource in (("read", Record), ("reveal", Subject)):
        predicate = allowed(viewer("PROVIDER", hostile, hostile), action, resource)
        assert hostile not in predicate.text
        assert hostile in predicate.params.values()


def test_organizations_are_revealed_by_kind_and_persons_to_agencies_with_a_purpose():
    anonymous = allowed(viewer(), "reveal", Subject)
    assert anonymous.text.count("s.kind") == 2 and "EXISTS" not in anonymous.text
    assert allowed(viewer("AGENCY", "P1", "PURPOSE_A"), "reveal", Subject).condition == "true"


def test_a_viewer_no_rule_allows_gets_a_plain_false():
    """Oso says "nothing" as `true = false`: compiled, it is `false`, with no parameters to send."""
    for who in (viewer(), viewer("AUDITOR", "A"), viewer("SUBJECT", "430103198503121236")):
        assert allowed(who, "correct", Record).condition == "false" and allowed(who, "correct", Record).params == {}
    provider = allowed(viewer("PROVIDER", "P1"), "correct", Record)  # a rule that allows: its unit, sent as a parameter
    assert list(provider.params.values()) == ["P1"] and provider.condition not in ("true", "false")


def test_an_agencys_purpose_categories_are_one_parameter_of_one_branch_each():
    """Arts. 20-21: the GOVERNMENT_SHARING branches ask the record's category to be one its purpose serves, the list
    sent as one parameter (not a branch per category), so every purpose shares one compiled predicate."""
    narrow = Viewer(role="AGENCY", unit="P1", purpose="PURPOSE_A", today=NOW.date(), now=NOW, categories=("OTHER",))
    broad = Viewer(role="AGENCY", unit="P1", purpose="PURPOSE_B", today=NOW.date(), now=NOW, categories=("A", "B"))
    shared = [branch for branch in allowed(broad, "read", Record).text.split(") OR (") if "r.category IN $" in branch]
    assert len(shared) == 2  # an open-ended window, or one that has not ended
    assert allowed(narrow, "read", Record).condition == allowed(broad, "read", Record).condition
    assert ["A", "B"] in allowed(broad, "read", Record).params.values()
