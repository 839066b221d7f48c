"""Natural persons are found only through what is disclosed: nobody walks a region's residents or confirms an ID."""

import datetime

import httpx
import pytest

from graph_store.connection import Store

from ..conftest import (
    COMPANY,
    COURT,
    MARKET_REGULATOR,
    OTHER_PERSON,
    PERSON,
    PURPOSE,
    SAMPLE_DAY,
    ask,
    error_codes,
    headers,
    load,
)
from ..test_access_log import audit

FIND = "query($code: String!) { subject(code: $code) { name code masked } }"
FIND_BY_ID = "query($id: ID!) { subject(id: $id) { name code masked } }"
MADE_UP_ID = "0b6f3c2e-5f1a-4d7e-9c3b-2a8e1f4d6c90"  # a random id of nobody
PERSONS = (
    "query($region: String) { subjects(kind: NATURAL_PERSON, region: $region) { totalCount edges { node { code } } } }"
)
EVERYONE = "{ subjects(first: 100) { totalCount edges { node { kind masked } } } }"
RECENTLY = (SAMPLE_DAY - datetime.timedelta(days=30)).isoformat()  # inside any penalty's window
PUBLIC_PENALTY = {
    "kind": "record", "id": "REC-PEN-PERSON", "subjectCode": OTHER_PERSON, "providerCode": MARKET_REGULATOR,
    "catalogItemId": "CAT-AMR-PEN", "title": "无照经营行政处罚", "nature": "DISHONEST", "severity": "GENERAL",
    "confirmedAt": RECENTLY, "documentIds": ["DOC-PERSON"],
    "content": {"decisionNumber": "湘市监处罚〔2026〕7号", "violation": "无照经营"},
}  # fmt: skip
DOCUMENT = {"kind": "document", "id": "DOC-PERSON", "type": "PENALTY_DECISION", "number": "湘市监处罚〔2026〕7号",
            "issuerCode": MARKET_REGULATOR, "issuedAt": RECENTLY, "subjectCode": OTHER_PERSON}  # fmt: skip


async def id_of(store: Store, code: str) -> str:
    [row] = await store.read("MATCH (s:Subject {code: $code}) RETURN s.id AS id", code=code)
    return str(row["id"])


@pytest.mark.parametrize(
    "viewer",
    [headers(), headers("SUBJECT", OTHER_PERSON)],
    ids=["anonymous", "another-person"],  # an AGENCY without a purpose finds nobody: PURPOSE_REQUIRED
)  # AUDITOR reads every record (Arts. 35, 38-40), so it finds the persons they are about, masked
async def test_a_viewer_who_may_not_know_a_person_cannot_find_them(
    fresh_sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    assert (await ask(client, FIND, viewer, code=PERSON))["data"]["subject"] is None  # as for an unknown ID
    by_id = await ask(client, FIND_BY_ID, viewer, id=await id_of(fresh_sample_store, PERSON))
    assert by_id == await ask(client, FIND_BY_ID, viewer, id=MADE_UP_ID) == {"data": {"subject": None}}
    for region in (None, "430100", "430103"):
        listed = (await ask(client, PERSONS, viewer, region=region))["data"]["subjects"]
        assert PERSON not in [edge["node"]["code"] for edge in listed["edges"]]
    everyone = (await ask(client, EVERYONE, viewer))["data"]["subjects"]
    assert all(node["node"]["kind"] != "NATURAL_PERSON" or not node["node"]["masked"] for node in everyone["edges"])


async def test_being_a_companys_masked_representative_does_not_make_a_person_findable(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    company = await ask(client, "query($code: String!) { subject(code: $code) { legalRepresentative { id } } }",
                        headers(), code=COMPANY)  # fmt: skip
    representative = company["data"]["subject"]["legalRepresentative"]["id"]
    assert (await ask(client, FIND, headers(), code=PERSON))["data"]["subject"] is None
    assert (await ask(client, FIND_BY_ID, headers(), id=representative))["data"]["subject"] is None


async def test_a_person_is_found_through_what_is_disclosed_about_them(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    await load(fresh_sample_store, [DOCUMENT, PUBLIC_PENALTY])
    found = (await ask(client, FIND, headers(), code=OTHER_PERSON))["data"]["subject"]
    assert found == {"name": "欧**娜", "code": "4301**********2461", "masked": True}
    listed = (await ask(client, PERSONS, headers(), region="430104"))["data"]["subjects"]
    assert listed["totalCount"] == 1 and [edge["node"]["code"] for edge in listed["edges"]] == ["4301**********2461"]


async def test_a_masked_person_in_a_list_opens_by_id(fresh_sample_store: Store, client: httpx.AsyncClient):
    await load(fresh_sample_store, [DOCUMENT, PUBLIC_PENALTY])
    listed = await ask(client, "{ subjects(kind: NATURAL_PERSON) { edges { node { id name code masked } } } }",
                       headers())  # fmt: skip
    [person] = [edge["node"] for edge in listed["data"]["subjects"]["edges"]]
    assert person["masked"] and person["id"] == await id_of(fresh_sample_store, OTHER_PERSON)
    opened = await ask(client, "query($id: ID!) { subject(id: $id) { id name code masked } }", headers(),
                       id=person["id"])  # fmt: skip
    assert opened == {"data": {"subject": person}}


async def test_a_lookup_by_id_is_logged_like_a_lookup_by_code(fresh_sample_store: Store, client: httpx.AsyncClient):
    await load(fresh_sample_store, [DOCUMENT, PUBLIC_PENALTY])
    await ask(client, FIND, headers(), code=OTHER_PERSON)
    await ask(client, FIND_BY_ID, headers(), id=await id_of(fresh_sample_store, OTHER_PERSON))
    by_id, by_code = await audit(client, subject=OTHER_PERSON)  # newest first
    kept = ("actorId", "unit", "role", "purpose", "operation", "decision", "subjectCodes", "recordIds")
    assert {key: by_id[key] for key in kept} == {key: by_code[key] for key in kept}
    assert by_id["subjectCodes"] == [OTHER_PERSON] and by_id["decision"] == "ALLOWED"


async def test_a_subject_is_asked_for_by_its_code_or_by_its_id_not_both_nor_neither(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    admin = headers("ADMIN", "ADMIN-1")
    both = await ask(client, "query($code: String, $id: ID) { subject(code: $code, id: $id) { name } }", admin,
                     code=COMPANY, id=await id_of(fresh_sample_store, COMPANY))  # fmt: skip
    assert error_codes(both) == ["BAD_USER_INPUT"] and "not both" in both["errors"][0]["message"]
    neither = await ask(client, "{ subject { name } }", admin)
    assert error_codes(neither) == ["BAD_USER_INPUT"] and "code or its id" in neither["errors"][0]["message"]


@pytest.mark.parametrize(
    "viewer",
    [headers("AGENCY", COURT, PURPOSE), headers("SUBJECT", PERSON), headers("ADMIN", "ADMIN-1")],
    ids=["agency-with-purpose", "the-person", "admin"],
)
async def test_who_may_know_the_person_finds_them(
    fresh_sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    found = (await ask(client, FIND, viewer, code=PERSON))["data"]["subject"]
    assert found == {"name": "李建国", "code": PERSON, "masked": False}
    by_id = (await ask(client, FIND_BY_ID, viewer, id=await id_of(fresh_sample_store, PERSON)))["data"]["subject"]
    assert by_id == found
