"""Import under the law's rules (issue 14): an item says which subjects it covers and banned data is a person's
(Arts. 11, 15); records follow their item's disclosure (Art. 16); re-import keeps what the subject and the agencies
did, and what it changes is versioned with the import as its actor."""

import json
from typing import Any

import httpx
import pytest

from authz.principal import Principal
from authz.read_filter import compile_read_filter
from graph_store import documents, measures, reads, versions
from graph_store.connection import Store
from graph_store.reads import MeasureRow

from .conftest import COMPANY, PERSON, SAMPLE_DAY, ask, headers, load, sample_objects, suite_clock
from .test_import import graph_state, line_of, problems_of, with_line

pytestmark = pytest.mark.sample_day  # the sample's consents are valid on its day (tests/conftest.py SAMPLE_DAY)

MARKET_REGULATOR = "11430000006147849R"
RELIGIOUS_VENUES: dict[str, Any] = {
    "kind": "catalogItem", "id": "CAT-RELIGIOUS-VENUE", "name": "宗教活动场所登记信息", "providerCode": MARKET_REGULATOR,
    "category": "REGISTRATION", "publicity": "PUBLIC", "disclosureMode": "PUBLIC_NOTICE",
    "subjectKinds": ["LEGAL_PERSON", "UNINCORPORATED_ORG"],
    "dataFormat": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                   "properties": {"宗教类别": {"type": "string", "enum": ["佛教", "道教"]},
                                  "registeredOn": {"type": "string", "format": "date"}},
                   "required": ["宗教类别"], "additionalProperties": False},
}  # fmt: skip
"""Art. 11(1): the registration of religious venues, information about organizations only."""


def venue_record(subject_code: str) -> dict[str, Any]:
    return {"kind": "record", "id": f"REC-VENUE-{subject_code[-4:]}", "subjectCode": subject_code,
            "providerCode": MARKET_REGULATOR, "catalogItemId": "CAT-RELIGIOUS-VENUE", "title": "宗教活动场所登记",
            "nature": "NEUTRAL", "confirmedAt": "2024-03-01", "content": {"宗教类别": "佛教", "registeredOn": "2024-03-01"}}  # fmt: skip


CATALOG = "{ catalog { id subjectKinds } }"


async def test_an_item_for_organizations_only_may_name_religion_and_its_records_about_organizations_import(
    empty_store: Store, client: httpx.AsyncClient
):
    result = await load(empty_store, [*sample_objects(), RELIGIOUS_VENUES, venue_record(COMPANY)])
    assert result.counts["record"] == 6
    body = await ask(client, CATALOG)
    kinds = {item["id"]: item["subjectKinds"] for item in body["data"]["catalog"]}
    assert kinds["CAT-RELIGIOUS-VENUE"] == ["LEGAL_PERSON", "UNINCORPORATED_ORG"]
    assert kinds["CAT-AMR-REG"] == ["NATURAL_PERSON", "LEGAL_PERSON", "UNINCORPORATED_ORG"]  # the default: all


async def test_a_record_about_a_person_under_an_item_for_organizations_is_a_line_error(empty_store: Store):
    objects = [*sample_objects(), RELIGIOUS_VENUES, venue_record(PERSON)]
    problems = await problems_of(empty_store, objects)
    assert problems == [
        f"line {len(objects)}: catalog item 'CAT-RELIGIOUS-VENUE' covers LEGAL_PERSON, UNINCORPORATED_ORG; "
        f"subject {PERSON} is a NATURAL_PERSON (Art. 11)"
    ]
    assert (await graph_state(empty_store))["nodes"] == 0


async def test_an_item_that_covers_people_still_may_not_name_banned_data(empty_store: Store):
    covering = {**RELIGIOUS_VENUES, "subjectKinds": ["NATURAL_PERSON", "LEGAL_PERSON"]}
    problems = await problems_of(empty_store, [*sample_objects(), covering])
    assert len(problems) == 1 and "concerns '宗教', which may never be collected about a natural person" in problems[0]


async def test_banned_data_is_looked_for_in_content_about_people_only(empty_store: Store):
    """An item for everyone whose format lets any field in: a company's record may say "religious", a person's not."""
    open_item = {key: value for key, value in RELIGIOUS_VENUES.items() if key != "subjectKinds"}
    open_item |= {"id": "CAT-OPEN", "name": "其他登记信息", "dataFormat": {"type": "object"}}
    company = {**venue_record(COMPANY), "catalogItemId": "CAT-OPEN", "content": {"religiousVenue": True}}
    person = {**venue_record(PERSON), "catalogItemId": "CAT-OPEN", "content": {"religiousVenue": True}}
    objects = [*sample_objects(), open_item, company, person]
    problems = await problems_of(empty_store, objects)
    assert problems == [
        f"line {len(objects)}: content field 'religiousVenue' concerns 'religious', which may never be collected "
        "(Art. 15)"
    ]
    assert (await load(empty_store, objects[:-1])).counts["record"] == 6


PUBLIC_READ = "query($id: ID!) { record(id: $id) { id disclosureMode publicity } }"


async def test_a_records_disclosure_follows_its_item_when_the_item_changes(
    empty_store: Store, client: httpx.AsyncClient
):
    await load(empty_store, sample_objects())
    before = await ask(client, PUBLIC_READ, id="REC-REG-0001")
    assert before["data"]["record"] == {"id": "REC-REG-0001", "disclosureMode": "PUBLIC_NOTICE", "publicity": "PUBLIC"}

    await load(
        empty_store, with_line(sample_objects(), "catalogItem", "CAT-AMR-REG", disclosureMode="GOVERNMENT_SHARING")
    )
    assert (await ask(client, PUBLIC_READ, id="REC-REG-0001"))["data"]["record"] is None  # no longer public (Art. 16)
    agency = headers("AGENCY", MARKET_REGULATOR, "ADMINISTRATIVE_LICENSING_REVIEW")
    shared = await ask(client, PUBLIC_READ, agency, id="REC-REG-0001")
    assert shared["data"]["record"]["disclosureMode"] == "GOVERNMENT_SHARING"


async def test_a_record_out_of_step_with_its_item_is_put_right_when_the_item_is_written(empty_store: Store):
    await load(empty_store, sample_objects())
    await empty_store.write("MATCH (r:Record {id: 'REC-REG-0001'}) SET r.disclosureMode = 'AUTHORIZED_QUERY'")
    await load(empty_store, sample_objects())
    rows = await empty_store.read("MATCH (r:Record {id: 'REC-REG-0001'}) RETURN r.disclosureMode AS mode")
    assert rows == [{"mode": "PUBLIC_NOTICE"}]


ADMIN = Principal("admin", "管理员", "ADMIN", "ADMIN-1")


async def measure_row(store: Store, measure_id: str) -> MeasureRow:
    found = (await reads.measures_by_id(store, [measure_id], compile_read_filter(ADMIN, suite_clock()))).get(measure_id)
    assert found is not None
    return found


async def test_imported_regulatory_and_punitive_measures_are_historical_and_applied_ones_are_not(
    empty_store: Store, client: httpx.AsyncClient
):
    await load(empty_store, sample_objects())
    assert (await measure_row(empty_store, "MEA-0001"))["historical"]  # PUNITIVE, imported
    assert (await measure_row(empty_store, "MEA-0002"))["historical"]  # REGULATORY, imported
    body = await ask(client, "{ subject(code: $code) { measures { id historical } } }".replace("$code", f'"{COMPANY}"'),
                     headers("ADMIN", "ADMIN-1"))  # fmt: skip
    assert {m["id"]: m["historical"] for m in body["data"]["subject"]["measures"]} == {
        "MEA-0001": True,
        "MEA-0002": True,
    }
    subject_id = (await empty_store.read("MATCH (s:Subject {code: $code}) RETURN s.id AS id", code=COMPANY))[0]["id"]
    applied = await measures.apply(
        empty_store,
        {"id": "MEA-API", "type": "REGULATORY", "item": "列为重点监管对象", "means": "提高抽查比例", "basis": "第二十三条",
         "startsAt": SAMPLE_DAY, "endsAt": SAMPLE_DAY, "subjectId": subject_id, "implementedByCode": MARKET_REGULATOR,
         "recordIds": ["REC-PEN-0001"], "noticeId": None, "listingId": None, "actorId": "agency"},
        suite_clock(),
    )  # fmt: skip
    assert not (await measure_row(empty_store, applied))["historical"]
    incentive = with_line(sample_objects(), "measure", "MEA-0002", type="INCENTIVE", recordIds=[])
    await load(empty_store, incentive)
    assert not (await measure_row(empty_store, "MEA-0002"))["historical"]


@pytest.mark.parametrize(
    "changes",
    [
        {"validUntil": "2031-12-31T23:59:59+08:00"},
        {"validFrom": "2024-01-01T00:00:00+08:00"},
        {"categories": ["OTHER", "REGISTRATION"]},
    ],
    ids=["validity-extended", "validity-backdated", "scope-widened"],
)
async def test_reimport_cannot_change_a_consents_scope_or_validity(empty_store: Store, changes: dict[str, Any]):
    await load(empty_store, sample_objects())
    before = await graph_state(empty_store)
    objects = with_line(sample_objects(), "consent", "CON-0001", **changes)
    problems = await problems_of(empty_store, objects)
    assert problems == [
        f"line {line_of(objects, 'consent', 'CON-0001')}: consent 'CON-0001' was given by its subject for COLLECTION "
        "of OTHER from 2025-01-01T00:00:00+08:00 until 2030-12-31T23:59:59+08:00; re-import cannot change its scope "
        f"or validity to {problems[0].split('validity to ')[1].split(', as only')[0]}, as only the subject gives or "
        "revokes consent (Art. 15): a new consent needs a new id"
    ]
    assert await graph_state(empty_store) == before


async def test_the_same_consent_written_with_another_offset_is_the_same_consent(empty_store: Store):
    await load(empty_store, sample_objects())
    before = await graph_state(empty_store)
    same_instant = with_line(sample_objects(), "consent", "CON-0001", validFrom="2024-12-31T16:00:00Z")
    await load(empty_store, same_instant)
    assert await graph_state(empty_store) == before


async def end_early(store: Store, measure_id: str) -> None:
    async with store.transaction() as tx:
        await measures.end_early(tx, [measure_id], why="信用修复（第三十六条）", at=suite_clock())


async def test_reimport_cannot_undo_the_early_end_of_a_measure(empty_store: Store):
    await load(empty_store, sample_objects())
    await end_early(empty_store, "MEA-0001")
    before = await graph_state(empty_store)
    await load(empty_store, sample_objects())  # the file still says 2028-06-01: the early end stays
    assert await graph_state(empty_store) == before
    assert (await measure_row(empty_store, "MEA-0001"))["endsAt"] == SAMPLE_DAY

    moved = with_line(sample_objects(), "measure", "MEA-0001", endsAt="2029-06-01")
    problems = await problems_of(empty_store, moved)
    assert problems == [
        f"line {line_of(moved, 'measure', 'MEA-0001')}: measure 'MEA-0001' ended early on {SAMPLE_DAY} "
        "(信用修复（第三十六条）); re-import cannot undo or move that end (Art. 36): the file's endsAt stays 2028-06-01"
    ]


async def test_reimport_does_not_revive_a_revoked_document_and_versions_its_changes(empty_store: Store):
    await load(empty_store, sample_objects())
    revoked = await documents.by_id(empty_store, "DOC-2025-AMR-0001")
    assert revoked is not None
    await documents.revoke(empty_store, revoked, reason="复议撤销", actor_id="court", at=suite_clock())
    changed = with_line(sample_objects(), "document", "DOC-2025-AMR-0001", number="湘市监处罚〔2025〕12-1号")
    at = suite_clock()
    result = await load(empty_store, changed, now=at)
    found = await documents.by_id(empty_store, "DOC-2025-AMR-0001")
    assert found is not None and found["status"] == "REVOKED" and found["number"] == "湘市监处罚〔2025〕12-1号"
    kept = (await versions.versions_of(empty_store, "Document", ["DOC-2025-AMR-0001"]))["DOC-2025-AMR-0001"]
    assert [version for version in kept if version["actorId"] == result.actor_id] == [
        {"at": at, "actorId": result.actor_id, "reason": "re-imported", "changed": ["number"],
         "before": '{"number": "湘市监处罚〔2025〕12号"}'}
    ]  # fmt: skip


async def test_what_reimport_changes_in_items_documents_and_measures_is_versioned_with_the_import_as_actor(
    empty_store: Store, client: httpx.AsyncClient
):
    await load(empty_store, sample_objects())
    objects = with_line(
        sample_objects(), "catalogItem", "CAT-AMR-REG", name="企业登记信息", disclosureMode="GOVERNMENT_SHARING"
    )
    objects = with_line(objects, "measure", "MEA-0002", item="列为重点监管对象（加强）", endsAt="2026-09-30")
    objects = with_line(objects, "document", "DOC-2024-COURT-0001", issuedAt="2024-03-03")
    result = await load(empty_store, objects)
    assert result.actor_id.startswith("import:")
    item = (await versions.versions_of(empty_store, "CatalogItem", ["CAT-AMR-REG"]))["CAT-AMR-REG"]
    measure = (await versions.versions_of(empty_store, "Measure", ["MEA-0002"]))["MEA-0002"]
    document = (await versions.versions_of(empty_store, "Document", ["DOC-2024-COURT-0001"]))["DOC-2024-COURT-0001"]
    assert [(v["actorId"], v["changed"], json.loads(v["before"])) for v in item + measure + document] == [
        (result.actor_id, ["name", "disclosureMode"], {"name": "企业登记注册信息", "disclosureMode": "PUBLIC_NOTICE"}),
        (result.actor_id, ["item", "endsAt"], {"item": "列为重点监管对象", "endsAt": "2026-06-30"}),
        (result.actor_id, ["issuedAt"], {"issuedAt": "2024-03-02"}),
    ]
    before = await graph_state(empty_store)
    await load(empty_store, objects)  # the same file again: no new version, nothing changes
    assert await graph_state(empty_store) == before

    catalog = (await ask(client, "{ catalog { id versions { reason changed before } } }"))["data"]["catalog"]
    assert {item["id"]: item["versions"] for item in catalog}["CAT-AMR-REG"] == [
        {"reason": "re-imported", "changed": ["name", "disclosureMode"],
         "before": {"name": "企业登记注册信息", "disclosureMode": "PUBLIC_NOTICE"}}
    ]  # fmt: skip
    shown = await ask(
        client,
        "query($code: String!) { subject(code: $code) { measures { id versions { changed } } "
        "records { edges { node { id documents { id versions { changed } } } } } } }",
        headers("ADMIN", "ADMIN-1"),
        code=COMPANY,
    )
    subject = shown["data"]["subject"]
    assert {m["id"]: m["versions"] for m in subject["measures"]} == {
        "MEA-0001": [], "MEA-0002": [{"changed": ["item", "endsAt"]}]
    }  # fmt: skip
    documents_shown = {d["id"]: d["versions"] for e in subject["records"]["edges"] for d in e["node"]["documents"]}
    assert documents_shown["DOC-2024-COURT-0001"] == [{"changed": ["issuedAt"]}]


async def test_a_documents_change_made_through_the_api_is_versioned_as_reimport_versions_it(empty_store: Store):
    """`record_document_version` is what amending or revoking a document calls: the same `Version` as re-import's,
    and a change made from a stale read (another came first) changes nothing."""
    await load(empty_store, sample_objects())
    found = await documents.by_id(empty_store, "DOC-2025-AMR-0001")
    assert found is not None
    at = suite_clock()
    async with empty_store.transaction() as tx:
        kept = await documents.record_document_version(
            tx, found, changes={"number": "湘市监处罚〔2025〕13号"}, actor_id="officer", reason="更正文号", at=at
        )
        stale = await documents.record_document_version(
            tx, found, changes={"number": "湘市监处罚〔2025〕14号"}, actor_id="officer", reason="更正文号", at=at
        )
    assert (kept, stale) == (True, False)
    stored = await versions.versions_of(empty_store, "Document", ["DOC-2025-AMR-0001"])
    assert stored == {"DOC-2025-AMR-0001": [{"at": at, "actorId": "officer", "reason": "更正文号", "changed": ["number"],
                                             "before": '{"number": "湘市监处罚〔2025〕12号"}'}]}  # fmt: skip
