"""Uniform answers: what a viewer may not see or touch is answered exactly like what does not exist.

For every mutation and lookup that names an object, a real one the caller may not touch and a made-up one get the
same code and the same message (with the key swapped), so a caller cannot use them to learn what exists.
"""

from typing import Any

import httpx
import pytest

from graph_store.connection import Store

from ..conftest import COMPANY, COURT, MARKET_REGULATOR, PERSON, PURPOSE, RESTAURANT, ask, headers
from ..test_measures_and_listings import APPLY as APPLY_MEASURE
from ..test_measures_and_listings import MEASURE, REMOVE, SERVE, TAX_RECORD, listed, served
from ..test_objections import ASSIST, DECIDE, FILE, SUBJECT
from ..test_repairs import APPLY as APPLY_REPAIR
from ..test_repairs import DECIDE as DECIDE_REPAIR

UNKNOWN_PERSON = "11010519491231002X"  # a valid resident ID (GB 11643's example) of nobody on the platform
REVOKE_DOCUMENT = "mutation($input: RevokeDocumentInput!) { revokeDocument(input: $input) { document { id } } }"
CORRECT = "mutation($input: CorrectRecordInput!) { correctRecord(input: $input) { record { id } } }"
STATEMENT = "mutation($input: SubmitStatementInput!) { submitStatement(input: $input) { statement { id } } }"
REVOKE_CONSENT = "mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { consent { id } } }"


def answer(body: dict[str, Any], key: str) -> tuple[list[str], list[str]]:
    """The codes and the messages of an answer, with the key the caller named taken out."""
    errors = body.get("errors", [])
    return [error["extensions"]["code"] for error in errors], [
        error["message"].replace(key, "<key>") for error in errors
    ]


async def same_answer(
    client: httpx.AsyncClient, query: str, viewer: dict[str, str], real: str, made_up: str, build: Any
) -> tuple[list[str], list[str]]:
    for_real = answer(await ask(client, query, viewer, **build(real)), real)
    for_nothing = answer(await ask(client, query, viewer, **build(made_up)), made_up)
    assert for_real == for_nothing, (for_real, for_nothing)
    return for_real


@pytest.mark.parametrize("viewer", [headers(), headers("AGENCY", MARKET_REGULATOR)], ids=["anonymous", "not-issuer"])
async def test_revoking_a_document_one_may_not_answers_like_one_that_does_not_exist(
    fresh_sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    codes, _ = await same_answer(
        client, REVOKE_DOCUMENT, viewer, "DOC-2024-COURT-0001", "DOC-2024-COURT-9999",
        lambda key: {"input": {"documentId": key, "reason": "撤销"}},
    )  # fmt: skip
    assert codes == ["NOT_FOUND"]
    status = await fresh_sample_store.read("MATCH (d:Document {id: 'DOC-2024-COURT-0001'}) RETURN d.status AS status")
    assert status == [{"status": "EFFECTIVE"}]


@pytest.mark.parametrize(
    ("query", "viewer", "real", "build"),
    [
        (CORRECT, headers("PROVIDER", COURT), "REC-REG-0001",
         lambda key: {"input": {"recordId": key, "title": "t", "content": {}, "reason": "r"}}),
        (CORRECT, headers("PROVIDER", COURT), "REC-TAX-0001",
         lambda key: {"input": {"recordId": key, "title": "t", "content": {}, "reason": "r"}}),
        (FILE, headers("PROVIDER", MARKET_REGULATOR), "REC-REG-0001",
         lambda key: {"input": {"recordId": key, "reason": "有误"}}),
        (FILE, headers("SUBJECT", PERSON), "MEA-0001", lambda key: {"input": {"measureId": key, "reason": "有误"}}),
        (FILE, headers("PROVIDER", MARKET_REGULATOR), COURT,
         lambda key: {"input": {"providerCode": key, "kind": "OMISSION", "reason": "漏报"}}),
        (APPLY_REPAIR, headers("PROVIDER", COURT), "REC-JD-0001",
         lambda key: {"input": {"recordId": key, "statement": "已履行", "evidence": ["收据"]}}),
        (STATEMENT, headers("SUBJECT", PERSON), "MEA-0001", lambda key: {"input": {"targetId": key, "text": "申辩"}}),
        (REVOKE_CONSENT, headers("SUBJECT", COMPANY), "CON-0001", lambda key: {"input": {"consentId": key}}),
    ],
    ids=["correct-visible-record", "correct-invisible-record", "object", "object-to-a-measure", "object-to-a-provider",
         "apply-for-repair", "statement", "consent"],
)  # fmt: skip
async def test_a_mutation_on_an_object_one_may_not_touch_answers_like_one_on_nothing(
    fresh_sample_store: Store, client: httpx.AsyncClient, query: str, viewer: dict[str, str], real: str, build: Any
):
    codes, _ = await same_answer(client, query, viewer, real, real[:-4] + "9999", build)
    assert codes == ["NOT_FOUND"]


async def test_handling_objections_and_repairs_one_may_not_answers_like_nothing(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    filed = await ask(client, FILE, SUBJECT, input={"recordId": "REC-REG-0001", "reason": "有误"})
    objection = filed["data"]["fileObjection"]["objection"]["id"]
    court = headers("PROVIDER", COURT)
    decide = {"outcome": "REJECTED", "reply": "无误"}
    await same_answer(client, ASSIST, court, objection, "OBJ-NONE", lambda key: {"input": {"objectionId": key}})
    await same_answer(
        client, DECIDE, court, objection, "OBJ-NONE", lambda key: {"input": {"objectionId": key, **decide}}
    )
    applied = await ask(client, APPLY_REPAIR, SUBJECT, input={"recordId": "REC-JD-0001", "statement": "已履行",
                                                                "evidence": ["收据"]})  # fmt: skip
    application = applied["data"]["applyForRepair"]["repairApplication"]["id"]
    codes, _ = await same_answer(
        client, DECIDE_REPAIR, headers("PROVIDER", MARKET_REGULATOR), application, "REP-NONE",
        lambda key: {"input": {"applicationId": key, "approve": True, "reason": "x"}},
    )  # fmt: skip
    assert codes == ["NOT_FOUND"]


async def test_removing_another_agencys_listing_answers_like_removing_none(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    listing = (await listed(client))["id"]
    codes, _ = await same_answer(
        client, REMOVE, headers("AGENCY", COURT, PURPOSE), listing, "LST-NONE",
        lambda key: {"input": {"listingId": key, "reason": "移出"}},
    )  # fmt: skip
    assert codes == ["NOT_FOUND"]


async def test_an_agency_without_a_purpose_cannot_tell_a_person_from_nobody(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    without_purpose = headers("AGENCY", MARKET_REGULATOR)
    notice = lambda code: {"input": {"subjectCode": code, "kind": "PRE_MEASURE", "recordIds": ["REC-CSA-0001"],  # noqa: E731
                                     "text": "告知"}}  # fmt: skip
    codes, _ = await same_answer(client, SERVE, without_purpose, PERSON, UNKNOWN_PERSON, notice)
    assert codes == ["PURPOSE_REQUIRED"]  # refused for who asks, before the subject is looked up
    incentive = lambda code: {"input": {"subjectCode": code, "type": "INCENTIVE", **MEASURE}}  # noqa: E731
    await same_answer(client, APPLY_MEASURE, without_purpose, PERSON, UNKNOWN_PERSON, incentive)


@pytest.mark.parametrize(
    ("query", "key", "made_up"),
    [
        ("query($key: String!) { subject(code: $key) { name } }", PERSON, UNKNOWN_PERSON),
        ("query($key: String!) { creditReport(code: $key) { madeAt } }", PERSON, UNKNOWN_PERSON),
        ("query($key: ID!) { record(id: $key) { id } }", "REC-TAX-0001", "REC-TAX-9999"),
    ],
    ids=["subject", "credit-report", "record"],
)
async def test_a_lookup_of_what_one_may_not_see_is_null_like_a_lookup_of_nothing(
    fresh_sample_store: Store, client: httpx.AsyncClient, query: str, key: str, made_up: str
):
    real = await ask(client, query, headers(), key=key)
    nothing = await ask(client, query, headers(), key=made_up)
    assert real == nothing and "errors" not in real and list(real["data"].values()) == [None]


async def test_a_conflict_never_describes_another_agencys_notice(fresh_sample_store: Store, client: httpx.AsyncClient):
    notice = await served(client, "PRE_MEASURE")  # the market regulator's notice on the restaurant
    court = headers("AGENCY", COURT, PURPOSE)
    measure = lambda notice_id: {"input": {"subjectCode": RESTAURANT, "type": "REGULATORY",  # noqa: E731
                                           "recordIds": [TAX_RECORD], "noticeId": notice_id, **MEASURE}}  # fmt: skip
    codes, messages = await same_answer(client, APPLY_MEASURE, court, notice["id"], "NOT-NONE", measure)
    assert codes == ["CONFLICT"] and MARKET_REGULATOR not in messages[0]
