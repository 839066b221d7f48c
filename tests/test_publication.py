"""The subject's own publication (Art. 16): a SUBJECT_PUBLISHED record is public only while its subject publishes it;
unpublished, it reads as an authorized query. The subject publishes and withdraws (publishRecord,
withdrawPublication); a declaration is published by declaring it."""

import asyncio
from typing import Any

import httpx
import pytest

from graph_store.connection import Store
from graph_store.declarations import ensure_platform
from graph_store.migrations import publish_declarations

from .conftest import (
    COMPANY,
    CREDIT_AGENCY,
    MARKET_REGULATOR,
    PERSON,
    PURPOSE,
    ask,
    error_codes,
    headers,
    load,
    sample_objects,
    wipe,
)
from .test_consents import grant_input
from .test_declarations import COMMITMENT, DECLARE

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

RECORD = "REC-CSA-SELF"
SELF_REPORTED: list[dict[str, Any]] = [
    {"kind": "catalogItem", "id": "CAT-CSA-SELF", "name": "个人自主提供的信用信息", "providerCode": CREDIT_AGENCY,
     "category": "OTHER", "publicity": "NON_PUBLIC", "disclosureMode": "SUBJECT_PUBLISHED",
     "dataFormat": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                    "properties": {"income": {"type": "string"}}, "required": ["income"],
                    "additionalProperties": False}},
    {"kind": "record", "id": RECORD, "subjectCode": PERSON, "providerCode": CREDIT_AGENCY,
     "catalogItemId": "CAT-CSA-SELF", "title": "个人收入证明", "nature": "NEUTRAL", "severity": None,
     "confirmedAt": "2025-10-01", "documentIds": [], "content": {"income": "稳定"}},
]  # fmt: skip
"""A SUBJECT_PUBLISHED record a provider supplied (with the person's COLLECTION consent CON-0001): not published."""

PUBLISH = """mutation($input: PublishRecordInput!) { publishRecord(input: $input) {
    clientMutationId record { id disclosureMode publishedBySubjectAt } } }"""
WITHDRAW = """mutation($input: WithdrawPublicationInput!) { withdrawPublication(input: $input) {
    clientMutationId record { id disclosureMode publishedBySubjectAt } } }"""
READ = "query($id: ID!) { record(id: $id) { id publishedBySubjectAt } }"
OWNER, OTHER_SUBJECT = headers("SUBJECT", PERSON), headers("SUBJECT", COMPANY)
CONSENT_HOLDER = headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE)


@pytest.fixture
async def publishing_store(store: Store) -> Store:
    await wipe(store)
    await ensure_platform(store)
    await load(store, [*sample_objects(), *SELF_REPORTED])
    return store


async def seen_by(client: httpx.AsyncClient, viewer: dict[str, str], record_id: str = RECORD) -> bool:
    body = await ask(client, READ, viewer, id=record_id)
    assert "errors" not in body, body
    return body["data"]["record"] is not None


async def test_a_subject_published_record_is_public_only_while_its_subject_publishes_it(
    publishing_store: Store, client: httpx.AsyncClient
):
    assert not await seen_by(client, headers())  # imported: not published, so not public
    assert await seen_by(client, OWNER)  # the subject reads its own records (Art. 31)

    published = (await ask(client, PUBLISH, OWNER, input={"recordId": RECORD}))["data"]["publishRecord"]["record"]
    assert published["disclosureMode"] == "SUBJECT_PUBLISHED" and published["publishedBySubjectAt"] is not None
    assert await seen_by(client, headers()) and await seen_by(client, headers("AUDITOR", "AUD-1"))

    withdrawn = await ask(client, WITHDRAW, OWNER, input={"recordId": RECORD})
    assert withdrawn["data"]["withdrawPublication"]["record"]["publishedBySubjectAt"] is None
    assert not await seen_by(client, headers())
    rows = await publishing_store.read(
        "MATCH (r:Record {id: $id}) RETURN r.publishedBy IS NOT NULL AS published, "
        "r.publicationWithdrawnAt IS NOT NULL AS withdrawn, r.version AS version",
        id=RECORD,
    )
    assert rows == [{"published": True, "withdrawn": True, "version": 1}]  # who and when; not a new version


async def test_unpublished_it_reads_as_an_authorized_query(publishing_store: Store, client: httpx.AsyncClient):
    assert not await seen_by(client, CONSENT_HOLDER)
    granted = await ask(client, "mutation($input: GrantConsentInput!) { grantConsent(input: $input) { consent { id } } }",
                        OWNER, input=grant_input())  # fmt: skip
    assert "errors" not in granted, granted
    assert await seen_by(client, CONSENT_HOLDER)  # the consent for this purpose and category (Arts. 16, 28)
    assert not await seen_by(client, headers())


@pytest.mark.parametrize(
    "viewer",
    [OTHER_SUBJECT, headers("PROVIDER", CREDIT_AGENCY), headers("AGENCY", MARKET_REGULATOR, PURPOSE),
     headers("ADMIN", "ADMIN-1"), headers()],
    ids=["another-subject", "its-provider", "agency", "admin", "anonymous"],
)  # fmt: skip
async def test_only_its_subject_publishes_or_withdraws_and_others_are_told_as_for_no_record(
    publishing_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    for mutation in (PUBLISH, WITHDRAW):
        refused = await ask(client, mutation, viewer, input={"recordId": RECORD})
        unknown = await ask(client, mutation, viewer, input={"recordId": "REC-NONE"})
        assert error_codes(refused) == error_codes(unknown) == ["NOT_FOUND"]
        assert refused["errors"][0]["message"] == unknown["errors"][0]["message"].replace("REC-NONE", RECORD)
    rows = await publishing_store.read("MATCH (r:Record {id: $id}) RETURN r.publishedBySubjectAt AS at", id=RECORD)
    assert rows == [{"at": None}]


async def test_a_record_not_published_by_its_subject_or_no_change_at_all_is_a_conflict(
    publishing_store: Store, client: httpx.AsyncClient
):
    other_mode = await ask(client, PUBLISH, OWNER, input={"recordId": "REC-CSA-0001"})  # AUTHORIZED_QUERY
    assert error_codes(other_mode) == ["CONFLICT"] and "AUTHORIZED_QUERY" in other_mode["errors"][0]["message"]
    not_published = await ask(client, WITHDRAW, OWNER, input={"recordId": RECORD})
    assert error_codes(not_published) == ["CONFLICT"] and "not published" in not_published["errors"][0]["message"]
    assert "errors" not in await ask(client, PUBLISH, OWNER, input={"recordId": RECORD})
    again = await ask(client, PUBLISH, OWNER, input={"recordId": RECORD})
    assert error_codes(again) == ["CONFLICT"] and "published already" in again["errors"][0]["message"]


async def test_a_repeat_is_one_change_and_two_at_once_have_one_winner(
    publishing_store: Store, client: httpx.AsyncClient
):
    first = await ask(client, PUBLISH, OWNER, input={"recordId": RECORD, "clientMutationId": "pub-1"})
    repeat = await ask(client, PUBLISH, OWNER, input={"recordId": RECORD, "clientMutationId": "pub-1"})
    assert "errors" not in first and repeat == first  # the same time of publication: not published again

    attempts = [
        ask(client, WITHDRAW, OWNER, input={"recordId": RECORD, "clientMutationId": f"w-{i}"}) for i in range(2)
    ]
    results: list[dict[str, Any]] = await asyncio.gather(*attempts)
    assert sorted(tuple(error_codes(body)) for body in results) == [(), ("CONFLICT",)]
    assert not await seen_by(client, headers())


async def test_a_declaration_is_published_by_declaring_it_and_its_subject_may_withdraw_it(
    publishing_store: Store, client: httpx.AsyncClient
):
    declared = (await ask(client, DECLARE, headers("SUBJECT", COMPANY), input=COMMITMENT))["data"]["declare"]["record"]
    assert await seen_by(client, headers(), declared["id"])
    assert "errors" not in await ask(client, WITHDRAW, headers("SUBJECT", COMPANY), input={"recordId": declared["id"]})
    assert not await seen_by(client, headers(), declared["id"])
    assert "errors" not in await ask(client, PUBLISH, headers("SUBJECT", COMPANY), input={"recordId": declared["id"]})
    assert await seen_by(client, headers(), declared["id"])


async def test_declarations_made_before_count_as_published_and_a_withdrawal_stays(
    publishing_store: Store, client: httpx.AsyncClient
):
    subject = headers("SUBJECT", COMPANY)
    kept = (await ask(client, DECLARE, subject, input=COMMITMENT))["data"]["declare"]["record"]["id"]
    withdrawn = (await ask(client, DECLARE, subject, input=COMMITMENT))["data"]["declare"]["record"]["id"]
    assert "errors" not in await ask(client, WITHDRAW, subject, input={"recordId": withdrawn})
    await publishing_store.write("MATCH (r:Record {id: $id}) REMOVE r.publishedBySubjectAt", id=kept)  # as before
    await publish_declarations(publishing_store)
    await publish_declarations(publishing_store)  # every start
    rows = await publishing_store.read(
        "MATCH (r:Record) WHERE r.id IN $ids RETURN r.id AS id, r.publishedBySubjectAt = r.versionAt AS declared, "
        "r.publishedBySubjectAt IS NULL AS unpublished",
        ids=[kept, withdrawn, RECORD],
    )
    assert sorted(rows, key=lambda row: str(row["id"])) == sorted(
        [{"id": kept, "declared": True, "unpublished": False}, {"id": withdrawn, "declared": None, "unpublished": True},
         {"id": RECORD, "declared": None, "unpublished": True}],
        key=lambda row: str(row["id"]),
    )  # fmt: skip
