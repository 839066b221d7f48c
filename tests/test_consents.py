"""A subject grants, lists and revokes consents through GraphQL; they take effect on the next request."""

from typing import Any

import httpx
import pytest

from graph_store.connection import Store

from .conftest import COMPANY, CREDIT_AGENCY, PERSON, PURPOSE, ask, error_codes, headers

GRANT = """mutation($input: GrantConsentInput!) { grantConsent(input: $input) { consent {
    id purpose categories status startsAt expiresAt grantee { code } } } }"""
REVOKE = """mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { clientMutationId consent {
    id status revokedAt } } }"""
MINE = "{ myConsents { id purpose status } }"
CSA_READS_PERSON = '{ record(id: "REC-CSA-0001") { id } subject(code: "430103198503121236") { name masked } }'


def grant_input(**overrides: Any) -> dict[str, Any]:
    return {
        "granteeCode": CREDIT_AGENCY, "purpose": PURPOSE, "categories": ["OTHER"],
        "expiresAt": "2031-01-01T00:00:00+08:00", **overrides,
    }  # fmt: skip


async def test_grant_then_revoke_takes_effect_on_the_next_request(fresh_sample_store: Store, client: httpx.AsyncClient):
    person, agency = headers("SUBJECT", PERSON), headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE)
    before = (await ask(client, CSA_READS_PERSON, agency))["data"]
    assert before == {"record": None, "subject": None}  # nothing about the person is disclosed to it: not findable

    granted = (await ask(client, GRANT, person, input=grant_input()))["data"]["grantConsent"]["consent"]
    assert granted["status"] == "ACTIVE" and granted["grantee"] == {"code": CREDIT_AGENCY}
    during = (await ask(client, CSA_READS_PERSON, agency))["data"]
    assert during == {"record": {"id": "REC-CSA-0001"}, "subject": {"name": "李建国", "masked": False}}

    revoked = (await ask(client, REVOKE, person, input={"consentId": granted["id"]}))["data"]["revokeConsent"]
    assert revoked["clientMutationId"] is None
    revoked = revoked["consent"]
    assert revoked["status"] == "REVOKED" and revoked["revokedAt"]
    assert (await ask(client, CSA_READS_PERSON, agency))["data"] == before


async def test_my_consents_lists_what_i_granted_and_imported(fresh_sample_store: Store, client: httpx.AsyncClient):
    person = headers("SUBJECT", PERSON)
    granted = (await ask(client, GRANT, person, input=grant_input()))["data"]["grantConsent"]["consent"]
    mine = (await ask(client, MINE, person))["data"]["myConsents"]
    assert {consent["id"] for consent in mine} == {granted["id"], "CON-0001"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"categories": ["GOSSIP"]}, "GOSSIP"),
        ({"expiresAt": "2020-01-01T00:00:00+08:00"}, "expiresAt 2020-01-01T00:00:00+08:00 is not in the future"),
        ({"purpose": "FISHING_EXPEDITION"}, "neither COLLECTION nor in the query application catalog"),
        ({"granteeCode": "91350100M000100Y43"}, "is not a provider on the platform"),
        ({"categories": []}, "at least one category"),
    ],
)
async def test_bad_consent_is_refused_and_changes_nothing(
    fresh_sample_store: Store, client: httpx.AsyncClient, overrides: dict[str, Any], message: str
):
    body = await ask(client, GRANT, headers("SUBJECT", PERSON), input=grant_input(**overrides))
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert message in body["errors"][0]["message"]
    assert [
        consent["id"] for consent in (await ask(client, MINE, headers("SUBJECT", PERSON)))["data"]["myConsents"]
    ] == ["CON-0001"]


@pytest.mark.parametrize(
    "viewer",
    [headers(), headers("AGENCY", CREDIT_AGENCY, PURPOSE), headers("ADMIN", "ADMIN-1")],
    ids=["anonymous", "agency", "admin"],
)
async def test_only_the_subject_grants_revokes_and_lists_its_consents(
    fresh_sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    assert error_codes(await ask(client, GRANT, viewer, input=grant_input())) == ["FORBIDDEN"]
    assert error_codes(await ask(client, REVOKE, viewer, input={"consentId": "CON-0001"})) == ["FORBIDDEN"]
    assert error_codes(await ask(client, MINE, viewer)) == ["FORBIDDEN"]


async def test_another_subjects_consent_is_absent_not_forbidden(fresh_sample_store: Store, client: httpx.AsyncClient):
    body = await ask(client, REVOKE, headers("SUBJECT", COMPANY), input={"consentId": "CON-0001"})
    assert error_codes(body) == ["NOT_FOUND"]
    rows = await fresh_sample_store.read("MATCH (c:Consent {id: 'CON-0001'}) RETURN c.status AS status")
    assert rows == [{"status": "ACTIVE"}]


async def test_revoking_twice_is_a_conflict(fresh_sample_store: Store, client: httpx.AsyncClient):
    person = headers("SUBJECT", PERSON)
    await ask(client, REVOKE, person, input={"consentId": "CON-0001"})
    body = await ask(client, REVOKE, person, input={"consentId": "CON-0001"})
    assert error_codes(body) == ["CONFLICT"]
    assert "already REVOKED" in body["errors"][0]["message"]
