"""A clientMutationId replays only its own first result: bound to the principal, the mutation and the input."""

import asyncio
import time

import httpx

from authz.principal import development_secret, issue_token
from graph_store.connection import Store
from server import settings as settings_module

from ..conftest import CREDIT_AGENCY, PERSON, PURPOSE, ask, error_codes, headers
from ..test_objections import DECIDE, FILE, HANDLER, SUBJECT

GRANT = "mutation($input: GrantConsentInput!) { grantConsent(input: $input) { consent { id status } } }"
RECORDS = ("REC-REG-0001", "REC-PEN-0001")


async def two_objections(client: httpx.AsyncClient) -> list[str]:
    ids = []
    for record_id in RECORDS:
        body = await ask(client, FILE, SUBJECT, input={"recordId": record_id, "reason": "有误"})
        ids.append(body["data"]["fileObjection"]["objection"]["id"])
    return ids


async def test_a_replay_with_another_objects_id_is_a_conflict_and_touches_nothing(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    first, second = await two_objections(client)
    decision = {"objectionId": first, "outcome": "REJECTED", "reply": "信息无误", "clientMutationId": "decide-1"}
    decided = await ask(client, DECIDE, HANDLER, input=decision)
    assert decided["data"]["decideObjection"]["objection"]["id"] == first

    replay = await ask(client, DECIDE, HANDLER, input={**decision, "objectionId": second})
    assert error_codes(replay) == ["CONFLICT"] and "another input" in replay["errors"][0]["message"]
    untouched = await fresh_sample_store.read("MATCH (o:Objection {id: $id}) RETURN o.status AS status", id=second)
    assert untouched == [{"status": "OPEN"}]


async def test_a_replay_returns_its_own_first_result_and_changes_nothing_more(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    first, _ = await two_objections(client)
    decision = {"objectionId": first, "outcome": "REJECTED", "reply": "信息无误", "clientMutationId": "decide-2"}
    answers = await asyncio.gather(*(ask(client, DECIDE, HANDLER, input=decision) for _ in range(3)))
    assert {answer["data"]["decideObjection"]["objection"]["id"] for answer in answers} == {
        first
    }  # at once: one decides
    notices = await fresh_sample_store.read("MATCH (n:Notice {kind: 'OBJECTION_RESULT'}) RETURN count(n) AS notices")
    assert notices == [{"notices": 1}]


async def test_another_principal_with_the_same_id_makes_its_own_change(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    grant = {"granteeCode": CREDIT_AGENCY, "purpose": PURPOSE, "categories": ["OTHER"],
             "expiresAt": "2031-01-01T00:00:00+08:00", "clientMutationId": "same-id"}  # fmt: skip
    mine = await ask(client, GRANT, headers("SUBJECT", PERSON), input=grant)
    theirs = await ask(client, GRANT, headers("SUBJECT", "91430103876543210P"), input=grant)
    assert mine["data"]["grantConsent"]["consent"]["id"] != theirs["data"]["grantConsent"]["consent"]["id"]


async def test_a_failed_change_leaves_no_receipt_behind(fresh_sample_store: Store, client: httpx.AsyncClient):
    bad = {"objectionId": "OBJ-NONE", "outcome": "REJECTED", "reply": "x", "clientMutationId": "retry-me"}
    assert error_codes(await ask(client, DECIDE, HANDLER, input=bad)) == ["NOT_FOUND"]
    assert await fresh_sample_store.read("MATCH (m:MutationReceipt) RETURN m.key") == []


async def test_the_same_user_for_another_unit_does_not_replay_its_changes(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    """One person, two tokens (the same `sub`, two units): a clientMutationId of one is not a receipt for the other."""
    secret = development_secret(settings_module.load().data_dir)
    grant = {"granteeCode": CREDIT_AGENCY, "purpose": PURPOSE, "categories": ["OTHER"],
             "expiresAt": "2031-01-01T00:00:00+08:00", "clientMutationId": "one-id"}  # fmt: skip
    granted = []
    for unit in (PERSON, "91430103876543210P"):
        now = int(time.time())
        claims = {"sub": "one-person", "name": "李建国", "role": "SUBJECT", "unit": unit, "iat": now, "exp": now + 60}
        bearer = {"Authorization": f"Bearer {issue_token(claims, secret)}"}
        body = await ask(client, GRANT, bearer, input=grant)
        granted.append(body["data"]["grantConsent"]["consent"]["id"])
    assert granted[0] != granted[1]
    owners = await fresh_sample_store.read(
        "MATCH (c:Consent) WHERE c.id IN $ids RETURN c.subjectCode AS owner", ids=granted
    )
    assert sorted(row["owner"] for row in owners) == sorted([PERSON, "91430103876543210P"])


async def test_a_repeat_is_logged_as_a_repeat_not_as_another_change(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    first, _ = await two_objections(client)
    decision = {"objectionId": first, "outcome": "REJECTED", "reply": "信息无误", "clientMutationId": "decide-3"}
    for _ in range(2):
        assert "errors" not in await ask(client, DECIDE, HANDLER, input=decision)
    entries = await fresh_sample_store.read(
        "MATCH (e:AccessLogEntry) WHERE e.operation CONTAINS 'decideObjection' RETURN e.operation AS operation"
    )
    operations = [entry["operation"] for entry in entries]
    assert operations.count("mutation - (decideObjection)") == 1  # the change, in its own transaction
    assert operations.count("mutation - (decideObjection): a repeat, nothing changed") == 1
