"""Corrections (Art. 33): the provider makes a new version; the old one stays, with who, when and why."""

from typing import Any

import httpx
import pytest

from graph_store.connection import Store

from .conftest import (
    COMPANY,
    COURT,
    CREDIT_AGENCY,
    MARKET_REGULATOR,
    PURPOSE,
    actor_of,
    ask,
    error_codes,
    headers,
)

CORRECT = """mutation($input: CorrectRecordInput!) { correctRecord(input: $input) { record {
    id title content versions { version actorId reason title content } } } }"""
CONTENT = {"registeredCapital": 8000000, "establishedOn": "2019-04-01"}


def correction(**overrides: Any) -> dict[str, Any]:
    return {"recordId": "REC-REG-0001", "title": "企业设立登记（注册资本更正）", "content": CONTENT,
            "reason": "注册资本录入错误，依据变更登记通知书更正", **overrides}  # fmt: skip


async def test_provider_correction_is_a_new_version_and_keeps_the_old(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    body = await ask(client, CORRECT, headers("PROVIDER", MARKET_REGULATOR), input=correction())
    record = body["data"]["correctRecord"]["record"]
    assert record["title"] == "企业设立登记（注册资本更正）" and record["content"] == CONTENT
    old, new = record["versions"]
    assert (old["version"], old["reason"], old["title"]) == (1, "imported", "企业设立登记")
    assert old["content"]["registeredCapital"] == 5000000
    assert (new["version"], new["actorId"]) == (2, actor_of("PROVIDER", MARKET_REGULATOR))
    assert new["reason"] == "注册资本录入错误，依据变更登记通知书更正"
    seen_by_subject = await ask(
        client, '{ record(id: "REC-REG-0001") { versions { version reason } } }', headers("SUBJECT", COMPANY)
    )
    assert [version["version"] for version in seen_by_subject["data"]["record"]["versions"]] == [1, 2]


VERSIONS = '{ record(id: "REC-REG-0001") { title versions { version at reason title content } } }'
EARLIER_CONTENT_READERS = {
    "the-subject": headers("SUBJECT", COMPANY),
    "the-provider": headers("PROVIDER", MARKET_REGULATOR),
    "admin": headers("ADMIN", "ADMIN-1"),
    "auditor": headers("AUDITOR"),
}
NUMBER_TIME_AND_REASON_ONLY = {
    "anonymous": headers(),
    "another-agency": headers("AGENCY", COURT, PURPOSE),
    "credit-service-with-consent": headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE),
}
GRANT = """mutation($input: GrantConsentInput!) { grantConsent(input: $input) { consent { id status } } }"""


async def test_what_a_record_said_before_its_correction_is_not_published(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    """Arts. 32-33: the earlier title and content are for the subject, the provider, the department and auditors;
    everyone else who reads the record sees each version's number, time and reason, and the record as it is now."""
    await ask(client, CORRECT, headers("PROVIDER", MARKET_REGULATOR), input=correction())
    grant = {"granteeCode": CREDIT_AGENCY, "purpose": PURPOSE, "categories": ["REGISTRATION"],
             "expiresAt": "2031-01-01T00:00:00+08:00"}  # fmt: skip
    granted = await ask(client, GRANT, headers("SUBJECT", COMPANY), input=grant)
    assert granted["data"]["grantConsent"]["consent"]["status"] == "ACTIVE"

    for who, viewer in EARLIER_CONTENT_READERS.items():
        old, new = (await ask(client, VERSIONS, viewer))["data"]["record"]["versions"]
        assert (old["version"], old["reason"], old["title"]) == (1, "imported", "企业设立登记"), who
        assert old["content"]["registeredCapital"] == 5000000, who
        assert (new["title"], new["content"]) == ("企业设立登记（注册资本更正）", CONTENT), who

    for who, viewer in NUMBER_TIME_AND_REASON_ONLY.items():
        record = (await ask(client, VERSIONS, viewer))["data"]["record"]
        assert record["title"] == "企业设立登记（注册资本更正）", who  # the record itself, as it is now
        old, new = record["versions"]
        assert (old["version"], old["reason"], old["title"], old["content"]) == (1, "imported", None, None), who
        assert old["at"], who
        assert (new["version"], new["reason"]) == (2, "注册资本录入错误，依据变更登记通知书更正"), who
        assert (new["title"], new["content"]) == ("企业设立登记（注册资本更正）", CONTENT), who  # the record's


@pytest.mark.parametrize(
    "viewer",
    [headers(), headers("PROVIDER", COURT), headers("AGENCY", MARKET_REGULATOR, PURPOSE), headers("SUBJECT", COMPANY)],
    ids=["anonymous", "another-provider", "agency-of-the-same-unit", "the-subject"],
)
async def test_only_the_provider_corrects(fresh_sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]):
    body = await ask(client, CORRECT, viewer, input=correction())
    assert error_codes(body) == ["NOT_FOUND"]  # the same answer as for a record that does not exist


async def test_a_record_the_viewer_cannot_see_is_not_found(fresh_sample_store: Store, client: httpx.AsyncClient):
    body = await ask(client, CORRECT, headers("PROVIDER", COURT), input=correction(recordId="REC-TAX-0001"))
    assert error_codes(body) == ["NOT_FOUND"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"establishedOn": "2019-04-01", "registeredCapital": -1}, "-1 is less than the minimum of 0"),
        ({"establishedOn": "2019-04-01", "bloodType": "A"}, "concerns 'blood'"),
        ({"registeredCapital": 1}, "'establishedOn' is a required property"),
    ],
)
async def test_bad_correction_is_refused_and_changes_nothing(
    fresh_sample_store: Store, client: httpx.AsyncClient, content: dict[str, Any], message: str
):
    body = await ask(client, CORRECT, headers("PROVIDER", MARKET_REGULATOR), input=correction(content=content))
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert message in body["errors"][0]["message"]
    rows = await fresh_sample_store.read("MATCH (r:Record {id: 'REC-REG-0001'}) RETURN r.version AS version")
    assert rows == [{"version": 1}]
