"""Natural persons are found only through what is disclosed: nobody walks a region's residents or confirms an ID."""

import datetime

import httpx
import pytest

from graph_store.connection import Store

from ..conftest import load
from ..test_policy import COMPANY, COURT, MARKET_REGULATOR, OTHER_PERSON, PERSON, PURPOSE, ask, headers

FIND = "query($code: String!) { subject(code: $code) { name code masked } }"
PERSONS = (
    "query($region: String) { subjects(kind: NATURAL_PERSON, region: $region) { totalCount edges { node { code } } } }"
)
EVERYONE = "{ subjects(first: 100) { totalCount edges { node { kind masked } } } }"
RECENTLY = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()  # inside any penalty's window
PUBLIC_PENALTY = {
    "kind": "record", "id": "REC-PEN-PERSON", "subjectCode": OTHER_PERSON, "providerCode": MARKET_REGULATOR,
    "catalogItemId": "CAT-AMR-PEN", "title": "无照经营行政处罚", "nature": "DISHONEST", "severity": "GENERAL",
    "confirmedAt": RECENTLY, "documentIds": ["DOC-PERSON"],
    "content": {"decisionNumber": "湘市监处罚〔2026〕7号", "violation": "无照经营"},
}  # fmt: skip
DOCUMENT = {"kind": "document", "id": "DOC-PERSON", "type": "PENALTY_DECISION", "number": "湘市监处罚〔2026〕7号",
            "issuerCode": MARKET_REGULATOR, "issuedAt": RECENTLY, "subjectCode": OTHER_PERSON}  # fmt: skip


@pytest.mark.parametrize(
    "viewer",
    [headers(), headers("AUDITOR", "AUDIT-1"), headers("SUBJECT", OTHER_PERSON)],
    ids=["anonymous", "auditor", "another-person"],  # an AGENCY without a purpose finds nobody: PURPOSE_REQUIRED
)
async def test_a_viewer_who_may_not_know_a_person_cannot_find_them(
    sample: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    assert (await ask(client, FIND, viewer, code=PERSON))["data"]["subject"] is None  # as for an unknown ID
    for region in (None, "430100", "430103"):
        listed = (await ask(client, PERSONS, viewer, region=region))["data"]["subjects"]
        assert PERSON not in [edge["node"]["code"] for edge in listed["edges"]]
    everyone = (await ask(client, EVERYONE, viewer))["data"]["subjects"]
    assert all(node["node"]["kind"] != "NATURAL_PERSON" or not node["node"]["masked"] for node in everyone["edges"])


async def test_being_a_companys_masked_representative_does_not_make_a_person_findable(
    sample: Store, client: httpx.AsyncClient
):
    company = await ask(client, "query($code: String!) { subject(code: $code) { legalRepresentative { id } } }",
                        headers(), code=COMPANY)  # fmt: skip
    assert company["data"]["subject"]["legalRepresentative"]["id"]
    assert (await ask(client, FIND, headers(), code=PERSON))["data"]["subject"] is None


async def test_a_person_is_found_through_what_is_disclosed_about_them(sample: Store, client: httpx.AsyncClient):
    await load(sample, [DOCUMENT, PUBLIC_PENALTY])
    found = (await ask(client, FIND, headers(), code=OTHER_PERSON))["data"]["subject"]
    assert found == {"name": "欧**娜", "code": "4301**********2461", "masked": True}
    listed = (await ask(client, PERSONS, headers(), region="430104"))["data"]["subjects"]
    assert listed["totalCount"] == 1 and [edge["node"]["code"] for edge in listed["edges"]] == ["4301**********2461"]


@pytest.mark.parametrize(
    "viewer",
    [headers("AGENCY", COURT, PURPOSE), headers("SUBJECT", PERSON), headers("ADMIN", "ADMIN-1")],
    ids=["agency-with-purpose", "the-person", "admin"],
)
async def test_who_may_know_the_person_finds_them(sample: Store, client: httpx.AsyncClient, viewer: dict[str, str]):
    found = (await ask(client, FIND, viewer, code=PERSON))["data"]["subject"]
    assert found == {"name": "李建国", "code": PERSON, "masked": False}
