"""No field shows a person's name or resident ID to a viewer the policy does not reveal them to.

The walk asks every root field, with every object field below it (to a depth the limits allow), as every kind
of viewer, and checks each value that could carry a person's name or ID against the real policy: a subject's
name and code, the people a record's content names, a version's actor, a reader in a subject's access log.
"""

import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import GraphQLObjectType, get_named_type, is_leaf_type, is_non_null_type, is_object_type
from neo4j import Driver, GraphDatabase

from authz.policy import load_policy
from authz.resources import Record, Subject, Viewer
from graph_store import embedded
from graph_store.connection import Store
from graph_store.declarations import ensure_platform
from graph_store.rows import outgoing
from schema import schema
from server import settings as settings_module

from ..conftest import (
    COMPANY,
    COURT,
    CREDIT_AGENCY,
    MARKET_REGULATOR,
    NO_RUNS_SHOWN,
    OTHER_PERSON,
    PERSON,
    PURPOSE,
    RESTAURANT,
    SAMPLE_DAY,
    ask,
    headers,
    load,
    make_app,
    sample_objects,
    suite_clock,
    wipe,
)
from ..test_measures_and_listings import listed, served, waived
from ..test_objections import FILE
from ..test_server import app_client

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

BRANCH = "91430102MA4RB0K2X6"
PEOPLE = {PERSON: ("李建国", PERSON), OTHER_PERSON: ("欧阳娜娜", OTHER_PERSON)}
VIEWERS = {
    "anonymous": (None, None, None),
    "auditor": ("AUDITOR", "AUDIT-1", None),
    "agency-with-purpose": ("AGENCY", COURT, PURPOSE),
    "provider-of-the-registration": ("PROVIDER", MARKET_REGULATOR, None),
    "provider-of-a-record-about-the-person": ("PROVIDER", CREDIT_AGENCY, None),
    "credit-service-without-consent": ("CREDIT_SERVICE", RESTAURANT, PURPOSE),
    "the-company": ("SUBJECT", COMPANY, None),
    "the-person": ("SUBJECT", PERSON, None),
    "another-person": ("SUBJECT", OTHER_PERSON, None),
    "admin": ("ADMIN", "ADMIN-1", None),
}
CODES = [COMPANY, RESTAURANT, BRANCH, PERSON, OTHER_PERSON]


@dataclass(frozen=True)
class IdOf:
    """The id of the subject with this code: ids are random, so the walk looks them up in the loaded graph."""

    code: str


ARGUMENTS: dict[str, list[dict[str, Any]]] = {
    "subject": [{"code": code} for code in CODES] + [{"id": IdOf(code)} for code in CODES],
    "creditReport": [{"code": code} for code in CODES],
    "record": [{"id": record} for record in ("REC-REG-0001", "REC-CSA-0001", "REC-JD-0001")],
    "provider": [{"code": MARKET_REGULATOR}],
    "relatedSubjects": [{"code": COMPANY}, {"code": PERSON}],
    "riskNetwork": [{"code": PERSON}],
    "connection": [{"fromCode": OTHER_PERSON, "toCode": BRANCH}],
}
MAX_LEVELS = 10
"""Object levels below a root field: the walk stays inside the depth limit (12, connections counting 2)."""


def selection(object_type: GraphQLObjectType, levels: int, seen: frozenset[str]) -> str:
    """Every field of `object_type` and `__typename`, objects below to `levels`, each type once on a path."""
    parts = ["__typename"]
    for name, field in object_type.fields.items():
        if any(is_non_null_type(argument.type) for argument in field.args.values()):
            continue
        named = get_named_type(field.type)
        if is_leaf_type(named):
            parts.append(name)
        elif is_object_type(named) and levels > 0 and named.name not in seen:
            below = selection(named, levels - 1, seen | {named.name})
            parts.append(f"{name} {{ {below} }}")
    return " ".join(parts)


def walks() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(root field, document, variables): every root field, with each set of arguments it needs."""
    query_type = schema._schema.query_type
    assert query_type is not None
    for name, field in query_type.fields.items():
        named = get_named_type(field.type)
        below = f"{{ {selection(named, MAX_LEVELS, frozenset({named.name}))} }}" if is_object_type(named) else ""
        for arguments in ARGUMENTS.get(name, [{}]):
            declared = ", ".join(f"${arg}: {field.args[arg].type}" for arg in arguments)
            passed = ", ".join(f"{arg}: ${arg}" for arg in arguments)
            document = (
                f"query{f'({declared})' if declared else ''} {{ {name}{f'({passed})' if passed else ''} {below} }}"
            )
            yield name, document, arguments


@pytest.fixture(scope="module")
async def walked_store(store: Store, client: httpx.AsyncClient) -> AsyncIterator[Store]:
    """The fresh_sample_store, with what makes persons appear in more places: a person's own declaration (a version with its
    actor), a listing naming a representative, an objection, and persons reading a company (its access log)."""
    with suite_clock.on(SAMPLE_DAY):
        await wipe(store)
        await ensure_platform(store)
        await load(store, sample_objects())
        declare = "mutation($input: DeclareInput!) { declare(input: $input) { record { id } } }"
        declaration = {"kind": "COMMITMENT", "title": "诚信经营承诺", "content": "本人承诺诚信经营。"}
        assert "errors" not in await ask(client, declare, headers("SUBJECT", PERSON), input=declaration)
        await listed(client)
        assert "errors" not in await ask(
            client, FILE, headers("SUBJECT", COMPANY), input={"recordId": "REC-REG-0001", "reason": "有误"}
        )
        for reader in (PERSON, OTHER_PERSON):
            await ask(
                client, "query($c: String!) { subject(code: $c) { name } }", headers("SUBJECT", reader), c=COMPANY
            )
        yield store


@pytest.fixture(scope="module")
def driver(neo4j_server: embedded.EmbeddedStatus) -> Iterator[Driver]:
    config = settings_module.load().neo4j()
    with GraphDatabase.driver(config.uri, auth=(config.user, config.password)) as opened:
        yield opened


class Expected:
    """What the policy lets one viewer know, decided object by object (`is_allowed`), not by the API's queries."""

    def __init__(self, driver: Driver, viewer: Viewer) -> None:
        self.driver = driver
        self.viewer = viewer
        self.policy = load_policy(fetch=self.fetch)

    def fetch(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        found, _, _ = self.driver.execute_query(cypher, {**params, **NO_RUNS_SHOWN})
        return [outgoing(record.data(), None) for record in found]

    def node(self, label: str, key: str, value: str) -> dict[str, Any]:
        [row] = self.fetch(f"MATCH (n:{label} {{{key}: $value}}) RETURN properties(n) AS node", {"value": value})
        return dict(row["node"])

    def subject_id(self, code: str) -> str:
        return str(self.node("Subject", "code", code)["id"])

    def person_revealed(self, subject_id: str, *, listed: bool = False) -> bool:
        """`listed`: in a list of subjects by kind, region or name, where an agency sees a person masked."""
        action = "reveal_listed" if listed else "reveal"
        return bool(self.policy.is_allowed(self.viewer, action, Subject(**self.node("Subject", "id", subject_id))))

    def people_of_record_revealed(self, record_id: str) -> bool:
        return bool(self.policy.is_allowed(self.viewer, "reveal", Record(**self.node("Record", "id", record_id))))

    def actors_shown(self, record_id: str) -> bool:
        return bool(self.policy.is_allowed(self.viewer, "see_actors", Record(**self.node("Record", "id", record_id))))

    def reads_the_whole_log(self) -> bool:
        return self.viewer.role in ("AUDITOR", "ADMIN")


def check(value: Any, expected: Expected, where: list[dict[str, Any]], field: str, problems: list[str]) -> None:
    """Walk an answer: `where` is the chain of typed objects above `value`, `field` the field it came from."""
    if isinstance(value, dict) and "__typename" in value:
        check_object(value, expected, where, problems)
        for name, item in value.items():
            check(item, expected, [*where, value], name, problems)
    elif isinstance(value, dict):
        for item in value.values():
            check(item, expected, where, field, problems)
    elif isinstance(value, list):
        for item in value:
            check(item, expected, where, field, problems)
    elif isinstance(value, str):
        for person, secrets in PEOPLE.items():
            if any(secret in value for secret in secrets) and not allowed_here(expected, where, field, person):
                problems.append(f"{where[-1]['__typename'] if where else '?'}.{field} shows {person}'s {value!r}")


def check_object(node: dict[str, Any], expected: Expected, where: list[dict[str, Any]], problems: list[str]) -> None:
    person = node["__typename"] == "Subject" and node.get("kind") == "NATURAL_PERSON" and "masked" in node
    listed = bool(where) and where[-1]["__typename"] == "SubjectEdge"  # a list of subjects by kind, region, name
    if person and node["masked"] == expected.person_revealed(node["id"], listed=listed):
        problems.append(f"subject {node['id']} masked={node['masked']} against the policy")


def record_above(where: list[dict[str, Any]]) -> str | None:
    records = [node for node in where if node["__typename"] == "CreditRecord" and "id" in node]
    return records[-1]["id"] if records else None


def allowed_here(expected: Expected, where: list[dict[str, Any]], field: str, person: str) -> bool:
    """Whether a value naming `person` may stand where it stands, for this viewer."""
    if not where:
        return False
    kind = where[-1]["__typename"]
    if kind == "Subject" and field in ("name", "code"):
        listed = len(where) > 1 and where[-2]["__typename"] == "SubjectEdge"
        return expected.person_revealed(where[-1]["id"], listed=listed) if "id" in where[-1] else False
    if kind in ("CreditRecord", "RecordVersion") and field == "content" and (record := record_above(where)):
        return expected.people_of_record_revealed(record)
    if kind == "AccessLogEntry":
        return expected.reads_the_whole_log()
    if kind == "Viewer" and field == "unit":
        return person == expected.viewer.unit  # a SUBJECT's own token names its own code
    return False


@pytest.fixture(scope="module")
async def walker(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with its document limits opened: the walk asks every field of the schema in one document, far
    over what a front end may ask at once (the limits themselves: test_document_limits, test_cost_limits)."""
    opened = {"GRAPHQL_MAX_COST": "10000000", "GRAPHQL_MAX_TOKENS": "100000"}
    app = make_app(settings_module.load(dict(os.environ) | opened))
    async with app.router.lifespan_context(app), app_client(app) as http:
        yield http


@pytest.mark.parametrize("viewer", list(VIEWERS))
async def test_no_field_shows_a_person_the_policy_does_not_reveal(
    walked_store: Store, walker: httpx.AsyncClient, driver: Driver, viewer: str
):
    role, unit, purpose = VIEWERS[viewer]
    now = suite_clock()
    expected = Expected(driver, Viewer(role=role, unit=unit, purpose=purpose, today=now.date(), now=now))
    problems: list[str] = []
    answered = 0
    for root, document, arguments in walks():
        variables = {
            name: expected.subject_id(value.code) if isinstance(value, IdOf) else value
            for name, value in arguments.items()
        }
        body = await ask(walker, document, headers(role, unit, purpose), **variables)
        assert not [e for e in body.get("errors", []) if e["extensions"]["code"] in ("INTERNAL", "LIMIT_EXCEEDED")], (
            root,
            body,
        )
        answered += bool(body.get("data") and body["data"].get(root))
        check(body.get("data"), expected, [], root, problems)
        for version_holder in records_with_versions(body.get("data")):
            for version in version_holder.get("versions", []):
                if version.get("actorId") is not None and not expected.actors_shown(version_holder["id"]):
                    problems.append(f"record {version_holder['id']} shows its actor {version['actorId']}")
                if version.get("actorId") and any(s in version["actorId"] for pair in PEOPLE.values() for s in pair):
                    problems.append(f"actor id {version['actorId']} embeds a person")
    assert answered >= 5, "the walk reached too little to mean anything"
    assert problems == []


def records_with_versions(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if value.get("__typename") == "CreditRecord" and "versions" in value and "id" in value:
            yield value
        for item in value.values():
            yield from records_with_versions(item)
    elif isinstance(value, list):
        for item in value:
            yield from records_with_versions(item)


async def test_an_early_end_tells_its_subject_why_without_another_partys_words_or_ids(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    """A measure ended by a removed listing or a repair is no longer public (Art. 19), and what its subject still
    reads names neither the listing or the application nor what the agency or the handler wrote."""
    listing = await listed(client)
    notice = await waived(client, await served(client, "PRE_MEASURE"))
    punitive = {"subjectCode": RESTAURANT, "type": "PUNITIVE", "listingId": listing["id"], "item": "限制参与政府采购",
                "means": "三年内不得参与", "basis": "第二十五条", "startsOn": "2026-01-01", "endsOn": "2099-12-31",
                "noticeId": notice["id"]}  # fmt: skip
    apply = "mutation($input: ApplyMeasureInput!) { applyMeasure(input: $input) { measure { id } } }"
    measure = (await ask(client, apply, headers("AGENCY", MARKET_REGULATOR, PURPOSE), input=punitive))["data"]
    remove = "mutation($input: RemoveListingInput!) { removeListing(input: $input) { listing { id } } }"
    removal = {"listingId": listing["id"], "reason": "经核实已全额补缴税款，当事人联系电话13800000000"}
    assert "errors" not in await ask(client, remove, headers("AGENCY", MARKET_REGULATOR, PURPOSE), input=removal)
    body = await ask(client, "query($c: String!) { subject(code: $c) { measures { id endReason } } }",
                     headers("SUBJECT", RESTAURANT), c=RESTAURANT)  # fmt: skip
    [shown] = [m for m in body["data"]["subject"]["measures"] if m["id"] == measure["applyMeasure"]["measure"]["id"]]
    assert shown["endReason"] and listing["id"] not in shown["endReason"] and "13800000000" not in shown["endReason"]
