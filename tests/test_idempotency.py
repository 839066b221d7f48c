"""clientMutationId (Relay): repeating a mutation with the same id returns the first result and does nothing more."""

import httpx
import pytest

from graph_store.connection import Store

from .conftest import error_codes, load, sample_objects, wipe
from .test_objections import FILE, SUBJECT
from .test_policy import CREDIT_AGENCY, PERSON, PURPOSE, ask, headers

GRANT = "mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }"


@pytest.fixture
async def mutations_store(store: Store) -> Store:
    await wipe(store)
    await load(store, sample_objects())
    return store


async def test_a_repeated_grant_returns_the_first_consent_and_grants_nothing_more(
    mutations_store: Store, client: httpx.AsyncClient
):
    grant = {"granteeCode": CREDIT_AGENCY, "purpose": PURPOSE, "categories": ["OTHER"],
             "validUntil": "2031-01-01T00:00:00+08:00", "clientMutationId": "grant-1"}  # fmt: skip
    first = await ask(client, GRANT, headers("SUBJECT", PERSON), input=grant)
    again = await ask(client, GRANT, headers("SUBJECT", PERSON), input=grant)
    assert first["data"] == again["data"]
    rows = await mutations_store.read("MATCH (c:Consent) RETURN count(c) AS consents")
    assert rows == [{"consents": 2}]  # the imported one and this one
    other = await ask(client, GRANT, headers("SUBJECT", PERSON), input={**grant, "clientMutationId": "grant-2"})
    assert other["data"]["grantConsent"]["id"] != first["data"]["grantConsent"]["id"]


async def test_a_repeated_objection_is_not_a_second_objection_nor_a_conflict(
    mutations_store: Store, client: httpx.AsyncClient
):
    objection = {"recordId": "REC-REG-0001", "reason": "登记有误", "clientMutationId": "obj-1"}
    first = await ask(client, FILE, SUBJECT, input=objection)
    again = await ask(client, FILE, SUBJECT, input=objection)
    assert "errors" not in again and again["data"]["fileObjection"]["id"] == first["data"]["fileObjection"]["id"]


async def test_a_failed_mutation_can_be_retried_with_the_same_id(mutations_store: Store, client: httpx.AsyncClient):
    bad = {"granteeCode": CREDIT_AGENCY, "purpose": "FISHING", "categories": ["OTHER"],
           "validUntil": "2031-01-01T00:00:00+08:00", "clientMutationId": "retry-1"}  # fmt: skip
    assert error_codes(await ask(client, GRANT, headers("SUBJECT", PERSON), input=bad)) == ["BAD_USER_INPUT"]
    fixed = await ask(client, GRANT, headers("SUBJECT", PERSON), input={**bad, "purpose": PURPOSE})
    assert "errors" not in fixed
