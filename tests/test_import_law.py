"""Import under the law's rules (issue 14): an item says which subjects it covers and banned data is a person's
(Arts. 11, 15); records follow their item's disclosure (Art. 16); re-import keeps what the subject and the agencies
did, and what it changes is versioned with the import as its actor."""

from typing import Any

import httpx
import pytest

from graph_store.connection import Store

from .conftest import COMPANY, PERSON, ask, headers, load, sample_objects
from .test_import import graph_state, problems_of, with_line

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
