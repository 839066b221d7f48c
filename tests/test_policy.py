"""Who reads what (docs/contract.md, authorization model), row by row, through GraphQL on the real Neo4j and policy."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from graph_store.connection import Store

from .conftest import (
    COMPANY,
    COURT,
    CREDIT_AGENCY,
    MARKET_REGULATOR,
    OTHER_PERSON,
    PERSON,
    PURPOSE,
    RESTAURANT,
    SAMPLE_DAY,
    ask,
    error_codes,
    headers,
    load,
    sample_objects,
    suite_clock,
    token,
    wipe,
)

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

OTHER_PURPOSE = "PUBLIC_PROCUREMENT_REVIEW"
EVERY_RECORD = ["REC-REG-0001", "REC-PEN-0001", "REC-JD-0001", "REC-TAX-0001", "REC-CSA-0001"]
PUBLIC = {"REC-REG-0001", "REC-JD-0001"}  # public notice, inside the window


def consent(consent_id: str, grantee: str, purpose: str, categories: list[str], **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "consent", "id": consent_id, "subjectCode": PERSON, "granteeCode": grantee, "purpose": purpose,
        "categories": categories, "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2030-01-01T00:00:00+08:00",
        **overrides,
    }  # fmt: skip


@pytest.fixture(scope="module")
async def policy_store(store: Store) -> AsyncIterator[Store]:
    with suite_clock.on(SAMPLE_DAY):
        await wipe(store)
        await load(
            store,
            [
                *sample_objects(),
                consent("CON-AGENCY", MARKET_REGULATOR, PURPOSE, ["OTHER"]),
                consent("CON-CSA", CREDIT_AGENCY, PURPOSE, ["OTHER"]),
                consent("CON-CSA-WRONG-CATEGORY", CREDIT_AGENCY, OTHER_PURPOSE, ["REGISTRATION"]),
                consent(
                    "CON-CSA-EXPIRED", CREDIT_AGENCY, "COLLECTION", ["OTHER"], validUntil="2025-06-01T00:00:00+08:00"
                ),
            ],
        )
        yield store


pytestmark = pytest.mark.usefixtures("policy_store")


async def readable_records(client: httpx.AsyncClient, request_headers: dict[str, str]) -> set[str]:
    fields = " ".join(f'r{i}: record(id: "{record_id}") {{ id }}' for i, record_id in enumerate(EVERY_RECORD))
    body = await ask(client, f"{{ {fields} }}", request_headers)
    assert "errors" not in body, body
    return {found["id"] for found in body["data"].values() if found}


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        pytest.param(headers(), PUBLIC, id="anonymous"),
        pytest.param(headers("AUDITOR", "AUDIT-1"), set(EVERY_RECORD), id="auditor"),
        pytest.param(headers("AGENCY", COURT, PURPOSE), PUBLIC | {"REC-TAX-0001"}, id="agency-with-purpose"),
        pytest.param(
            headers("AGENCY", MARKET_REGULATOR, PURPOSE),
            PUBLIC | {"REC-TAX-0001", "REC-CSA-0001"},
            id="agency-with-purpose-and-consent",
        ),
        pytest.param(headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE), PUBLIC | {"REC-CSA-0001"}, id="consent-holder"),
        pytest.param(
            headers("CREDIT_SERVICE", CREDIT_AGENCY, OTHER_PURPOSE), PUBLIC, id="consent-for-another-category"
        ),
        pytest.param(headers("CREDIT_SERVICE", CREDIT_AGENCY), PUBLIC, id="consent-holder-without-purpose"),
        pytest.param(headers("CREDIT_SERVICE", RESTAURANT, PURPOSE), PUBLIC, id="organization-without-consent"),
        pytest.param(headers("SUBJECT", COMPANY), PUBLIC | {"REC-PEN-0001"}, id="subject-own-records"),
        pytest.param(headers("SUBJECT", PERSON), PUBLIC | {"REC-CSA-0001"}, id="subject-own-non-public-record"),
        pytest.param(headers("PROVIDER", MARKET_REGULATOR), PUBLIC | {"REC-PEN-0001"}, id="provider-own-records"),
        pytest.param(headers("PROVIDER", "114300006987654320"), PUBLIC | {"REC-TAX-0001"}, id="provider-own-shared"),
        pytest.param(headers("ADMIN", "ADMIN-1"), set(EVERY_RECORD), id="admin"),
    ],
)
async def test_each_viewer_reads_exactly_what_the_table_allows(
    client: httpx.AsyncClient, viewer: dict[str, str], expected: set[str]
):
    assert await readable_records(client, viewer) == expected


async def test_revoked_consent_stops_authorized_query_on_the_next_request(
    client: httpx.AsyncClient, policy_store: Store
):
    viewer = headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE)
    assert "REC-CSA-0001" in await readable_records(client, viewer)
    await policy_store.write("MATCH (c:Consent {id: 'CON-CSA'}) SET c.status = 'REVOKED'")
    try:
        assert "REC-CSA-0001" not in await readable_records(client, viewer)
    finally:
        await policy_store.write("MATCH (c:Consent {id: 'CON-CSA'}) SET c.status = 'ACTIVE'")


PERSON_QUERY = "query($code: String!) { subject(code: $code) { name code masked } }"
REPRESENTATIVE_QUERY = "query($code: String!) { subject(code: $code) { legalRepresentative { name code masked } } }"


@pytest.mark.parametrize(
    ("viewer", "masked"),
    [
        pytest.param(headers(), True, id="anonymous"),
        pytest.param(headers("AUDITOR", "AUDIT-1"), True, id="auditor"),
        pytest.param(headers("AGENCY", COURT, PURPOSE), False, id="agency-with-purpose"),
        pytest.param(headers("SUBJECT", PERSON), False, id="the-person"),
        pytest.param(headers("SUBJECT", OTHER_PERSON), True, id="another-person"),
        pytest.param(headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE), False, id="consent-holder"),
        pytest.param(headers("CREDIT_SERVICE", RESTAURANT, PURPOSE), True, id="organization-without-consent"),
        pytest.param(headers("PROVIDER", CREDIT_AGENCY), False, id="provider-of-a-record-about-them"),
        pytest.param(headers("PROVIDER", MARKET_REGULATOR), True, id="provider-of-nothing-about-them"),
        pytest.param(headers("ADMIN", "ADMIN-1"), False, id="admin"),
    ],
)
async def test_natural_person_is_masked_unless_the_policy_reveals_them(
    client: httpx.AsyncClient, viewer: dict[str, str], masked: bool
):
    """The person as the company's legal representative: shown to everyone, revealed only as the policy says."""
    body = await ask(client, REPRESENTATIVE_QUERY, viewer, code=COMPANY)
    expected = {"name": "李*国", "code": "4301**********1236"} if masked else {"name": "李建国", "code": PERSON}
    assert body["data"]["subject"]["legalRepresentative"] == {**expected, "masked": masked}


async def test_organizations_are_never_masked(client: httpx.AsyncClient):
    body = await ask(client, PERSON_QUERY, headers(), code=COMPANY)
    assert body["data"]["subject"]["masked"] is False


async def test_name_search_finds_natural_persons_only_for_viewers_who_may_know_them_in_a_list(
    client: httpx.AsyncClient,
):
    query = '{ subjects(nameContains: "李") { totalCount edges { node { name } } } }'
    assert (await ask(client, query, headers()))["data"]["subjects"]["totalCount"] == 0
    found = (await ask(client, query, headers("ADMIN", "ADMIN-1")))["data"]["subjects"]
    assert found == {"totalCount": 1, "edges": [{"node": {"name": "李建国"}}]}
    # An agency knows the persons it asks for, not those a name finds (Arts. 20-21, minimum necessity).
    assert (await ask(client, query, headers("AGENCY", COURT, PURPOSE)))["data"]["subjects"]["totalCount"] == 0


PERSONS = "{ subjects(kind: NATURAL_PERSON) { totalCount edges { node { code name masked } } } }"


async def test_an_agency_sees_the_natural_persons_of_a_list_by_kind_or_region_masked(client: httpx.AsyncClient):
    """Arts. 20-21: an agency with a purpose lists natural persons masked, 100 to a page or by region alike; the
    department still sees them in full."""
    agency = headers("AGENCY", COURT, PURPOSE)
    listed = (await ask(client, PERSONS, agency))["data"]["subjects"]
    assert listed["totalCount"] == 2
    assert all(edge["node"]["masked"] for edge in listed["edges"])
    assert PERSON not in {edge["node"]["code"] for edge in listed["edges"]}
    in_region = '{ subjects(region: "430103") { edges { node { kind masked } } } }'
    by_region = [edge["node"] for edge in (await ask(client, in_region, agency))["data"]["subjects"]["edges"]]
    assert {"kind": "NATURAL_PERSON", "masked": True} in by_region
    assert {"kind": "LEGAL_PERSON", "masked": False} in by_region  # organizations are never masked
    admin = (await ask(client, PERSONS, headers("ADMIN", "ADMIN-1")))["data"]["subjects"]
    assert not any(edge["node"]["masked"] for edge in admin["edges"])


async def test_an_agency_sees_in_full_the_natural_person_it_asks_for(client: httpx.AsyncClient, policy_store: Store):
    """By code or id, as the subject of a record it reads, on a relationship lookup: the person it asked for."""
    agency = headers("AGENCY", MARKET_REGULATOR, PURPOSE)
    full = {"name": "李建国", "code": PERSON, "masked": False}
    assert (await ask(client, PERSON_QUERY, agency, code=PERSON))["data"]["subject"] == full
    [row] = await policy_store.read("MATCH (s:Subject {code: $code}) RETURN s.id AS id", code=PERSON)
    by_id = await ask(client, "query($id: ID!) { subject(id: $id) { name code masked } }", agency, id=row["id"])
    assert by_id["data"]["subject"] == full
    of_record = await ask(client, '{ record(id: "REC-CSA-0001") { subject { name code masked } } }', agency)
    assert of_record["data"]["record"]["subject"] == full  # read under the subject's consent
    related = (
        "query($c: String!) { relatedSubjects(code: $c, maxHops: 1) { edges { node { subject { code masked } } } } }"
    )
    found = (await ask(client, related, agency, c=COMPANY))["data"]["relatedSubjects"]["edges"]
    assert {"code": PERSON, "masked": False} in [edge["node"]["subject"] for edge in found]


async def test_unknown_purpose_is_refused_before_anything_runs(client: httpx.AsyncClient):
    response = await client.post(
        "/graphql", json={"query": "{ catalog { id } }"}, headers=headers("AGENCY", COURT, "FISHING_EXPEDITION")
    )
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    assert "FISHING_EXPEDITION" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        pytest.param(f"Bearer {token('ADMIN', 'A', secret='not-our-secret-' * 3)}", "cannot be trusted", id="forged"),
        pytest.param(f"Bearer {token('ADMIN', 'A', expires_in=-10)}", "expired", id="expired"),
        pytest.param(f"Bearer {token('EMPEROR', 'A')}", "role 'EMPEROR' does not exist", id="unknown-role"),
        pytest.param(f"Bearer {token('SUBJECT', None)}", "must name its unit", id="subject-without-unit"),
        pytest.param("Bearer not.a.jwt", "cannot be trusted", id="garbage"),
        pytest.param("Basic dXNlcjpwYXNz", "must be 'Bearer <token>'", id="wrong-scheme"),
    ],
)
async def test_untrustworthy_token_is_refused_never_anonymous(
    client: httpx.AsyncClient, authorization: str, reason: str
):
    response = await client.post(
        "/graphql", json={"query": "{ catalog { id } }"}, headers={"Authorization": authorization}
    )
    assert response.status_code == 401
    body = response.json()
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert reason in body["errors"][0]["message"]


async def test_a_token_accepted_before_is_refused_once_it_has_expired(client: httpx.AsyncClient):
    expires = int(time.time()) + 2
    authorization = {"Authorization": f"Bearer {token('ADMIN', 'A', expires_in=expires - int(time.time()))}"}
    first = await client.post("/graphql", json={"query": "{ catalog { id } }"}, headers=authorization)
    assert first.status_code == 200
    await asyncio.sleep(expires - time.time() + 0.1)
    again = await client.post("/graphql", json={"query": "{ catalog { id } }"}, headers=authorization)
    assert again.status_code == 401
    assert "expired" in again.json()["errors"][0]["message"]
