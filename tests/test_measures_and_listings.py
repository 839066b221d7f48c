"""Notices before measures and listings (Arts. 23-27), the subject's defence before the decision (Arts. 24, 37) and the
serious-dishonesty list, end to end through GraphQL."""

import asyncio
import datetime
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
    RESTAURANT,
    ask,
    error_codes,
    headers,
)

SERVE = """mutation($input: ServeNoticeInput!) { serveNotice(input: $input) { notice {
    id kind text ground rights servedBy { code } records { id } } } }"""
APPLY = """mutation($input: ApplyMeasureInput!) { applyMeasure(input: $input) { measure {
    id type item startsOn endsOn endReason records { id } listing { id } implementedBy { code } } } }"""
LIST = """mutation($input: ListSeriousDishonestyInput!) { listSeriousDishonesty(input: $input) { listing {
    id ground status noticeServedAt subject { code } representative { name code masked } decidedBy { code }
    records { id } } } }"""
REMOVE = """mutation($input: RemoveListingInput!) { removeListing(input: $input) { listing {
    id status removalReason removedAt } } }"""
PUBLIC_LIST = """{ seriousDishonestyList { totalCount edges { node {
    id ground subject { code } representative { name code masked } statements { text } } } } }"""
SUBJECT_LISTINGS = "query($code: String!) { subject(code: $code) { listings { id status } measures { id endsOn } } }"
AGENCY = headers("AGENCY", MARKET_REGULATOR, PURPOSE)
TAX_RECORD = "REC-TAX-0001"  # the restaurant's SERIOUS tax-evasion penalty, shared with agencies
MEASURE = {"item": "列为重点监管对象", "means": "提高抽查比例和频次", "basis": "《湖南省社会信用信息管理办法》第二十三条",
           "startsOn": "2026-12-01", "endsOn": "2027-11-30"}  # fmt: skip
LISTING = {"ground": "DEFYING_OBLIGATIONS", "basis": "《湖南省社会信用信息管理办法》第二十四条第三项",
           "removalConditions": "补缴税款及滞纳金并满一年未再发生同类行为"}  # fmt: skip


async def served(client: httpx.AsyncClient, kind: str, subject: str = RESTAURANT, **extra: Any) -> dict[str, Any]:
    notice = {"subjectCode": subject, "kind": kind, "recordIds": [TAX_RECORD], "text": "本机关拟对你单位采取以下措施。"}
    body = await ask(client, SERVE, AGENCY, input=notice | extra)
    assert "errors" not in body, body
    return body["data"]["serveNotice"]["notice"]


WAIVE = "mutation($input: WaiveDefenceInput!) { waiveDefence(input: $input) { notice { id defenceWaivedAt } } }"
SUBMIT = "mutation($input: SubmitStatementInput!) { submitStatement(input: $input) { statement { id text } } }"


async def waived(client: httpx.AsyncClient, notice: dict[str, Any], subject: str = RESTAURANT) -> dict[str, Any]:
    """The subject gives up the rest of its defence period on the notice: the agency may decide at once."""
    body = await ask(client, WAIVE, headers("SUBJECT", subject), input={"noticeId": notice["id"]})
    assert "errors" not in body, body
    return notice


async def listed(client: httpx.AsyncClient, **listing: str) -> dict[str, Any]:
    stated = LISTING | listing
    notice = await waived(client, await served(client, "PRE_LISTING", **stated))
    body = await ask(
        client, LIST, AGENCY,
        input={"subjectCode": RESTAURANT, "recordIds": [TAX_RECORD], "noticeId": notice["id"], **stated},
    )  # fmt: skip
    assert "errors" not in body, body
    return body["data"]["listSeriousDishonesty"]["listing"]


async def test_a_pre_measure_notice_names_the_records_and_their_providers_and_reaches_the_subject(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = await served(client, "PRE_MEASURE")
    assert notice["kind"] == "PRE_MEASURE" and notice["servedBy"] == {"code": MARKET_REGULATOR}
    assert "偷税行政处罚（REC-TAX-0001），提供单位：国家税务总局湖南省税务局" in notice["text"]
    assert "陈述和申辩" in notice["rights"] and notice["rights"] in notice["text"]
    mine = await ask(client, "{ myNotices { id kind records { id } } }", headers("SUBJECT", RESTAURANT))
    assert mine["data"]["myNotices"] == [{"id": notice["id"], "kind": "PRE_MEASURE", "records": [{"id": TAX_RECORD}]}]


async def test_a_pre_listing_notice_states_ground_basis_rights_and_removal_conditions(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = await served(client, "PRE_LISTING", **LISTING)
    assert notice["ground"] == "DEFYING_OBLIGATIONS"
    for part in ("有履行能力但拒不履行", LISTING["basis"], LISTING["removalConditions"], notice["rights"]):
        assert part in notice["text"]
    body = await ask(client, SERVE, AGENCY, input={"subjectCode": RESTAURANT, "kind": "PRE_LISTING",
                                                   "recordIds": [TAX_RECORD], "text": "拟列入名单"})  # fmt: skip
    assert error_codes(body) == ["BAD_USER_INPUT"] and "removal" in body["errors"][0]["message"]


async def test_a_regulatory_measure_without_a_notice_is_refused_saying_what_is_missing(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    body = await ask(
        client, APPLY, AGENCY, input={"subjectCode": RESTAURANT, "type": "REGULATORY", "recordIds": [TAX_RECORD], **MEASURE}
    )  # fmt: skip
    assert error_codes(body) == ["CONFLICT"]
    assert "PRE_MEASURE notice" in body["errors"][0]["message"] and "serveNotice" in body["errors"][0]["message"]
    assert await fresh_sample_store.read("MATCH (m:Measure) RETURN count(m) AS measures") == [{"measures": 2}]


async def test_a_regulatory_measure_after_its_notice_is_applied_and_published(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = await served(client, "PRE_MEASURE")
    measure = {"subjectCode": RESTAURANT, "type": "REGULATORY", "recordIds": [TAX_RECORD], "noticeId": notice["id"]}
    applied = (await ask(client, APPLY, AGENCY, input=measure | MEASURE))["data"]["applyMeasure"]["measure"]
    assert applied["type"] == "REGULATORY" and applied["implementedBy"] == {"code": MARKET_REGULATOR}
    public = await ask(client, SUBJECT_LISTINGS, headers(), code=RESTAURANT)
    assert [m["id"] for m in public["data"]["subject"]["measures"]] == [applied["id"]]


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"noticeKind": "PRE_LISTING"}, "is a PRE_LISTING notice"),
        ({"noticeSubject": COMPANY}, "no notice"),
        ({"recordIds": []}, "recordIds"),
    ],
    ids=["wrong-kind", "served-on-another-subject", "no-records"],
)
async def test_a_regulatory_measure_needs_a_pre_measure_notice_to_that_subject_naming_its_records(
    fresh_sample_store: Store, client: httpx.AsyncClient, change: dict[str, Any], missing: str
):
    kind = change.get("noticeKind", "PRE_MEASURE")
    notice_subject = change.get("noticeSubject", RESTAURANT)
    record = "REC-JD-0001" if notice_subject == COMPANY else TAX_RECORD
    extra = LISTING if kind == "PRE_LISTING" else {}
    notice = await ask(client, SERVE, AGENCY, input={"subjectCode": notice_subject, "kind": kind, "recordIds": [record],
                                                     "text": "告知", **extra})  # fmt: skip
    measure = {"subjectCode": RESTAURANT, "type": "REGULATORY", "recordIds": change.get("recordIds", [TAX_RECORD]),
               "noticeId": notice["data"]["serveNotice"]["notice"]["id"], **MEASURE}  # fmt: skip
    body = await ask(client, APPLY, AGENCY, input=measure)
    assert error_codes(body) in (["CONFLICT"], ["BAD_USER_INPUT"]) and missing in body["errors"][0]["message"]


async def test_a_punitive_measure_needs_a_serious_record_or_a_listing(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    punitive = {"subjectCode": COMPANY, "type": "PUNITIVE", **MEASURE}
    body = await ask(client, APPLY, AGENCY, input=punitive | {"recordIds": ["REC-REG-0001"]})
    assert error_codes(body) == ["CONFLICT"] and "SERIOUS" in body["errors"][0]["message"]
    # On records alone it runs no longer than they are disclosed (Art. 35): REC-JD-0001 to 2028-06-01, while the
    # court's restriction runs.
    notice = await waived(client, await served(client, "PRE_MEASURE", COMPANY, recordIds=["REC-JD-0001"]), COMPANY)
    on_record = punitive | {"recordIds": ["REC-JD-0001"], "noticeId": notice["id"]}
    body = await ask(client, APPLY, AGENCY, input=on_record | {"endsOn": "2029-12-31"})
    assert error_codes(body) == ["CONFLICT"] and "2028-06-01" in body["errors"][0]["message"]
    body = await ask(client, APPLY, AGENCY, input=on_record | {"endsOn": "2028-06-01"})
    assert "errors" not in body, body
    assert body["data"]["applyMeasure"]["measure"]["records"] == [{"id": "REC-JD-0001"}]
    record = await ask(client, '{ record(id: "REC-JD-0001") { disclosureEndsOn } }', headers())
    assert record["data"]["record"] == {"disclosureEndsOn": "2028-06-01"}


async def test_an_incentive_needs_no_notice_and_is_readable_by_everyone(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    incentive = {"subjectCode": RESTAURANT, "type": "INCENTIVE", **MEASURE, "item": "绿色通道", "means": "容缺受理"}
    applied = (await ask(client, APPLY, AGENCY, input=incentive))["data"]["applyMeasure"]["measure"]
    assert applied["type"] == "INCENTIVE"
    public = await ask(client, '{ subject(code: "91430103876543210P") { measures { id type } } }', headers())
    assert {"id": applied["id"], "type": "INCENTIVE"} in public["data"]["subject"]["measures"]


async def test_a_listed_organization_names_its_legal_representative_masked_on_the_public_list(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    listing = await listed(client)
    assert listing["status"] == "ACTIVE" and listing["noticeServedAt"] is not None
    assert listing["representative"] == {"name": "李建国", "code": "430103198503121236", "masked": False}
    public = (await ask(client, PUBLIC_LIST, headers()))["data"]["seriousDishonestyList"]
    assert public["totalCount"] == 1
    node = public["edges"][0]["node"]
    assert node["subject"]["code"] == RESTAURANT and node["ground"] == "DEFYING_OBLIGATIONS"
    assert node["representative"] == {"name": "李*国", "code": "4301**********1236", "masked": True}


async def test_listing_without_a_pre_listing_notice_is_refused(fresh_sample_store: Store, client: httpx.AsyncClient):
    pre_measure = await served(client, "PRE_MEASURE")
    attempt = {"subjectCode": RESTAURANT, "recordIds": [TAX_RECORD], **LISTING}
    body = await ask(client, LIST, AGENCY, input=attempt | {"noticeId": pre_measure["id"]})
    assert error_codes(body) == ["CONFLICT"] and "PRE_LISTING" in body["errors"][0]["message"]
    notice = await served(client, "PRE_LISTING", **LISTING)
    body = await ask(client, LIST, AGENCY, input=attempt | {"noticeId": notice["id"], "ground": "MARKET_ORDER"})
    assert error_codes(body) == ["CONFLICT"] and "DEFYING_OBLIGATIONS" in body["errors"][0]["message"]
    assert await fresh_sample_store.read("MATCH (l:Listing) RETURN count(l) AS listings") == [{"listings": 0}]


async def test_listing_twice_on_the_same_ground_is_a_conflict(fresh_sample_store: Store, client: httpx.AsyncClient):
    await listed(client)
    notice = await waived(client, await served(client, "PRE_LISTING", **LISTING))
    again = {"subjectCode": RESTAURANT, "recordIds": [TAX_RECORD], "noticeId": notice["id"], **LISTING}
    body = await ask(client, LIST, AGENCY, input=again)
    assert error_codes(body) == ["CONFLICT"] and "already listed" in body["errors"][0]["message"]


async def test_removing_a_listing_takes_it_off_the_list_and_ends_the_punitive_measures_under_it(
    fresh_sample_store: Store, client: httpx.AsyncClient, today: datetime.date
):
    listing = await listed(client)
    notice = await waived(client, await served(client, "PRE_MEASURE"))
    punitive = {"subjectCode": RESTAURANT, "type": "PUNITIVE", "listingId": listing["id"], **MEASURE,
                "startsOn": "2026-01-01", "item": "限制参与政府采购", "noticeId": notice["id"]}  # fmt: skip
    measure = (await ask(client, APPLY, AGENCY, input=punitive))["data"]["applyMeasure"]["measure"]
    assert measure["listing"] == {"id": listing["id"]}
    removal = {"listingId": listing["id"], "reason": "已补缴税款，满足移出条件"}
    assert error_codes(await ask(client, REMOVE, headers("AGENCY", COURT, PURPOSE), input=removal)) == ["NOT_FOUND"]
    removed = (await ask(client, REMOVE, AGENCY, input=removal))["data"]["removeListing"]["listing"]
    assert removed["status"] == "REMOVED" and removed["removalReason"] == removal["reason"]
    assert error_codes(await ask(client, REMOVE, headers("ADMIN", "ADMIN-1"), input=removal)) == ["CONFLICT"]
    assert (await ask(client, PUBLIC_LIST, headers()))["data"]["seriousDishonestyList"]["totalCount"] == 0
    anonymous = (await ask(client, SUBJECT_LISTINGS, headers(), code=RESTAURANT))["data"]["subject"]
    assert anonymous["listings"] == []
    assert measure["id"] not in {shown["id"] for shown in anonymous["measures"]}  # ended early: not public (Art. 19)
    own = await ask(client, SUBJECT_LISTINGS, headers("SUBJECT", RESTAURANT), code=RESTAURANT)
    assert own["data"]["subject"]["listings"] == [{"id": listing["id"], "status": "REMOVED"}]
    assert {"id": measure["id"], "endsOn": today.isoformat()} in own["data"]["subject"]["measures"]


async def test_the_listed_subject_states_its_defence_on_the_listing(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    listing = await listed(client)
    submit = "mutation($input: SubmitStatementInput!) { submitStatement(input: $input) { statement { id } } }"
    defence = {"targetId": listing["id"], "text": "本单位对处罚决定已申请行政复议。"}
    assert error_codes(await ask(client, submit, headers("SUBJECT", COMPANY), input=defence)) == ["NOT_FOUND"]
    assert "errors" not in await ask(client, submit, headers("SUBJECT", RESTAURANT), input=defence)
    node = (await ask(client, PUBLIC_LIST, headers()))["data"]["seriousDishonestyList"]["edges"][0]["node"]
    assert node["statements"] == [{"text": defence["text"]}]


@pytest.mark.parametrize(
    "viewer",
    [headers(), headers("SUBJECT", RESTAURANT), headers("PROVIDER", MARKET_REGULATOR), headers("AGENCY", CREDIT_AGENCY, PURPOSE)],
    ids=["anonymous", "subject", "provider-role", "non-state-organ"],
)  # fmt: skip
async def test_only_state_agencies_serve_notices_apply_measures_and_list(
    fresh_sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    notice = {"subjectCode": RESTAURANT, "kind": "PRE_MEASURE", "recordIds": [TAX_RECORD], "text": "告知"}
    incentive = {"subjectCode": RESTAURANT, "type": "INCENTIVE", **MEASURE}
    listing = {"subjectCode": RESTAURANT, "recordIds": [TAX_RECORD], "noticeId": "NOT-NONE", **LISTING}
    assert error_codes(await ask(client, SERVE, viewer, input=notice)) == ["FORBIDDEN"]
    assert error_codes(await ask(client, APPLY, viewer, input=incentive)) == ["FORBIDDEN"]
    assert error_codes(await ask(client, LIST, viewer, input=listing)) == ["FORBIDDEN"]


async def test_repeating_apply_measure_with_the_same_client_mutation_id_applies_it_once(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    incentive = {"subjectCode": RESTAURANT, "type": "INCENTIVE", **MEASURE, "clientMutationId": "incentive-1"}
    answers = [await ask(client, APPLY, AGENCY, input=incentive) for _ in range(2)]
    first, second = [answer["data"]["applyMeasure"]["measure"] for answer in answers]
    assert first == second
    assert await fresh_sample_store.read("MATCH (m:Measure {type: 'INCENTIVE'}) RETURN count(m) AS n") == [{"n": 1}]


async def test_two_listings_on_the_same_ground_at_once_list_the_subject_once(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notices = [await waived(client, await served(client, "PRE_LISTING", **LISTING)) for _ in range(2)]
    attempts = [
        ask(client, LIST, AGENCY, input={"subjectCode": RESTAURANT, "recordIds": [TAX_RECORD], "noticeId": notice["id"],
                                         **LISTING})
        for notice in notices
    ]  # fmt: skip
    results = await asyncio.gather(*attempts)
    assert sorted(tuple(error_codes(body)) for body in results) == [(), ("CONFLICT",)]
    assert await fresh_sample_store.read("MATCH (l:Listing) RETURN count(l) AS listings") == [{"listings": 1}]


async def test_the_public_list_pages_with_cursors_and_refuses_forged_ones(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    await listed(client)
    page = "query($after: String) { seriousDishonestyList(first: 1, after: $after) { pageInfo { endCursor hasNextPage } edges { node { id } } } }"
    first = (await ask(client, page, headers()))["data"]["seriousDishonestyList"]
    assert len(first["edges"]) == 1 and first["pageInfo"]["hasNextPage"] is False
    after = (await ask(client, page, headers(), after=first["pageInfo"]["endCursor"]))["data"]["seriousDishonestyList"]
    assert after["edges"] == []
    assert error_codes(await ask(client, page, headers(), after="forged")) == ["BAD_USER_INPUT"]


async def test_the_printed_report_names_a_listings_ground_in_the_words_of_art_24(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    """OTHER is a ground of its own, not the OTHER category ("其他")."""
    await listed(client, ground="OTHER")
    page = await client.get(f"/reports/{RESTAURANT}", headers=AGENCY)
    assert page.status_code == 200
    assert "列入事由</th><td>法律、法规规定的其他严重失信行为" in page.text
