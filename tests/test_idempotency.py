"""clientMutationId (Relay): repeating a mutation with the same id returns the first result and does nothing more."""

import httpx

from graph_store.connection import Store

from .conftest import CREDIT_AGENCY, PERSON, PURPOSE, ask, error_codes, headers
from .test_consents import REVOKE
from .test_objections import ASSIST, FILE, HANDLER, SUBJECT, file_objection

GRANT = "mutation($input: GrantConsentInput!) { grantConsent(input: $input) { clientMutationId consent { id } } }"


async def test_a_repeated_grant_returns_the_first_consent_and_grants_nothing_more(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    grant = {"granteeCode": CREDIT_AGENCY, "purpose": PURPOSE, "categories": ["OTHER"],
             "expiresAt": "2031-01-01T00:00:00+08:00", "clientMutationId": "grant-1"}  # fmt: skip
    first = await ask(client, GRANT, headers("SUBJECT", PERSON), input=grant)
    again = await ask(client, GRANT, headers("SUBJECT", PERSON), input=grant)
    assert first["data"] == again["data"] and first["data"]["grantConsent"]["clientMutationId"] == "grant-1"
    rows = await fresh_sample_store.read("MATCH (c:Consent) RETURN count(c) AS consents")
    assert rows == [{"consents": 2}]  # the imported one and this one
    other = await ask(client, GRANT, headers("SUBJECT", PERSON), input={**grant, "clientMutationId": "grant-2"})
    assert other["data"]["grantConsent"]["consent"]["id"] != first["data"]["grantConsent"]["consent"]["id"]


async def test_a_repeated_objection_is_not_a_second_objection_nor_a_conflict(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    objection = {"recordId": "REC-REG-0001", "reason": "登记有误", "clientMutationId": "obj-1"}
    first = await ask(client, FILE, SUBJECT, input=objection)
    again = await ask(client, FILE, SUBJECT, input=objection)
    assert "errors" not in again and again["data"] == first["data"]


async def test_a_failed_mutation_can_be_retried_with_the_same_id(fresh_sample_store: Store, client: httpx.AsyncClient):
    bad = {"granteeCode": CREDIT_AGENCY, "purpose": "FISHING", "categories": ["OTHER"],
           "expiresAt": "2031-01-01T00:00:00+08:00", "clientMutationId": "retry-1"}  # fmt: skip
    assert error_codes(await ask(client, GRANT, headers("SUBJECT", PERSON), input=bad)) == ["BAD_USER_INPUT"]
    fixed = await ask(client, GRANT, headers("SUBJECT", PERSON), input={**bad, "purpose": PURPOSE})
    assert "errors" not in fixed


async def test_a_repeated_revocation_returns_the_revoked_consent_not_a_conflict(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    subject = headers("SUBJECT", PERSON)  # CON-0001 is their consent
    revocation = {"consentId": "CON-0001", "clientMutationId": "revoke-1"}
    first = await ask(client, REVOKE, subject, input=revocation)
    again = await ask(client, REVOKE, subject, input=revocation)
    assert "errors" not in again and again["data"] == first["data"]
    assert first["data"]["revokeConsent"]["clientMutationId"] == "revoke-1"
    assert first["data"]["revokeConsent"]["consent"]["status"] == "REVOKED"
    without_id = await ask(client, REVOKE, subject, input={"consentId": "CON-0001"})
    assert error_codes(without_id) == ["CONFLICT"]  # a second revocation, not a repeat


async def test_a_repeated_request_for_assistance_returns_the_first_answer(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    objection = (await file_objection(client))["id"]
    request = {"objectionId": objection, "clientMutationId": "assist-1"}
    first = await ask(client, ASSIST, HANDLER, input=request)
    again = await ask(client, ASSIST, HANDLER, input=request)
    assert "errors" not in again and again["data"] == first["data"]
    assert first["data"]["requestAssistance"]["clientMutationId"] == "assist-1"
    other = await ask(client, ASSIST, HANDLER, input={**request, "objectionId": "OBJ-NONE"})
    assert error_codes(other) == ["CONFLICT"] and "another input" in other["errors"][0]["message"]
