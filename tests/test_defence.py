"""Defence before the decision (Arts. 24, 37): an agency's notice opens the subject's defence period; the subject states
its defence on the notice or waives the rest; a listing or a punitive measure waits for the period, and a listing is
what its PRE_LISTING notice said."""

import asyncio
import datetime
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from credit.model import DEFENCE_WORKING_DAYS
from credit.working_days import add_working_days
from graph_store.connection import Store

from .conftest import COMPANY, COURT, PERSON, RESTAURANT, SAMPLE_DAY, actor_of, ask, error_codes, headers
from .test_access_log import audit
from .test_measures_and_listings import (
    AGENCY,
    APPLY,
    LIST,
    LISTING,
    MEASURE,
    SUBMIT,
    TAX_RECORD,
    WAIVE,
    served,
    waived,
)

SUBJECT = headers("SUBJECT", RESTAURANT)
NOTICE = "query { myNotices { id defenceEndsOn defenceEndsOnProvisional defenceWaivedAt statements { text } } }"
DEFENCE = "本单位已补缴税款，请求不予列入严重失信主体名单。"
LISTING_STATEMENTS = """mutation($input: ListSeriousDishonestyInput!) { listSeriousDishonesty(input: $input) {
    listing { id statements { text } } } }"""
COUNT = "MATCH (n) WHERE n:Listing OR n:Measure RETURN count(n) AS decided"


def listing_on(notice: dict[str, Any], **changed: Any) -> dict[str, Any]:
    return {"subjectCode": RESTAURANT, "recordIds": [TAX_RECORD], "noticeId": notice["id"], **LISTING, **changed}


def punitive_on(notice: dict[str, Any]) -> dict[str, Any]:
    return {"subjectCode": RESTAURANT, "type": "PUNITIVE", "recordIds": [TAX_RECORD], "noticeId": notice["id"],
            **MEASURE}  # fmt: skip


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour))


@pytest.mark.parametrize("kind", ["PRE_MEASURE", "PRE_LISTING"])
async def test_an_agency_notice_gives_the_subject_five_working_days_to_defend_itself(
    fresh_sample_store: Store, client: httpx.AsyncClient, kind: str
):
    notice = await served(client, kind, **(LISTING if kind == "PRE_LISTING" else {}))
    [mine] = (await ask(client, NOTICE, SUBJECT))["data"]["myNotices"]
    due = add_working_days(SAMPLE_DAY, DEFENCE_WORKING_DAYS)
    assert mine == {"id": notice["id"], "defenceEndsOn": due.due.isoformat(), "defenceEndsOnProvisional": False,
                    "defenceWaivedAt": None, "statements": []}  # fmt: skip
    assert due.due == datetime.date(2026, 12, 8)  # served on a Tuesday: the next five working days


async def test_a_listing_before_the_defence_period_ends_is_a_conflict_saying_when_it_may_be_decided(
    fresh_sample_store: Store, client: httpx.AsyncClient, clock: Callable[[datetime.datetime], None]
):
    notice = await served(client, "PRE_LISTING", **LISTING)
    last_day = add_working_days(SAMPLE_DAY, DEFENCE_WORKING_DAYS).due
    clock(at(last_day, 23))
    body = await ask(client, LIST, AGENCY, input=listing_on(notice))
    assert error_codes(body) == ["CONFLICT"]
    message = body["errors"][0]["message"]
    assert f"until {last_day}" in message and f"from {last_day + datetime.timedelta(days=1)}" in message
    assert "waiveDefence" in message
    assert await fresh_sample_store.read(COUNT) == [{"decided": 2}]  # the sample's two measures
    clock(at(last_day + datetime.timedelta(days=1), 9))
    body = await ask(client, LIST, AGENCY, input=listing_on(notice))
    assert "errors" not in body, body


async def test_a_punitive_measure_needs_a_pre_measure_notice_and_waits_for_the_defence(
    fresh_sample_store: Store, client: httpx.AsyncClient, clock: Callable[[datetime.datetime], None]
):
    without = {key: value for key, value in punitive_on({"id": None}).items() if key != "noticeId"}
    body = await ask(client, APPLY, AGENCY, input=without)
    assert error_codes(body) == ["CONFLICT"] and "PRE_MEASURE notice" in body["errors"][0]["message"]
    notice = await served(client, "PRE_MEASURE")
    body = await ask(client, APPLY, AGENCY, input=punitive_on(notice))
    assert error_codes(body) == ["CONFLICT"] and "defence" in body["errors"][0]["message"]
    clock(at(add_working_days(SAMPLE_DAY, DEFENCE_WORKING_DAYS).due + datetime.timedelta(days=1), 9))
    body = await ask(client, APPLY, AGENCY, input=punitive_on(notice))
    assert "errors" not in body, body


async def test_a_regulatory_measure_does_not_wait_for_the_defence_period(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = await served(client, "PRE_MEASURE")
    regulatory = punitive_on(notice) | {"type": "REGULATORY"}
    assert "errors" not in await ask(client, APPLY, AGENCY, input=regulatory)


async def test_the_subjects_defence_on_the_notice_is_shown_with_the_listing_that_follows(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = await served(client, "PRE_LISTING", **LISTING)
    body = await ask(client, SUBMIT, SUBJECT, input={"targetId": notice["id"], "text": DEFENCE})
    assert body["data"]["submitStatement"]["statement"]["text"] == DEFENCE
    [mine] = (await ask(client, NOTICE, SUBJECT))["data"]["myNotices"]
    assert mine["statements"] == [{"text": DEFENCE}]
    await waived(client, notice)
    listing = (await ask(client, LISTING_STATEMENTS, AGENCY, input=listing_on(notice)))["data"]
    listing = listing["listSeriousDishonesty"]["listing"]
    assert listing["statements"] == [{"text": DEFENCE}]
    public = await ask(client, "{ seriousDishonestyList { edges { node { statements { text } } } } }", headers())
    assert public["data"]["seriousDishonestyList"]["edges"] == [{"node": {"statements": [{"text": DEFENCE}]}}]


async def test_after_the_decision_statements_go_to_the_listing_not_the_notice(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = await waived(client, await served(client, "PRE_LISTING", **LISTING))
    listing = (await ask(client, LIST, AGENCY, input=listing_on(notice)))["data"]["listSeriousDishonesty"]["listing"]
    body = await ask(client, SUBMIT, SUBJECT, input={"targetId": notice["id"], "text": DEFENCE})
    assert error_codes(body) == ["CONFLICT"] and listing["id"] in body["errors"][0]["message"]
    assert "errors" not in await ask(client, SUBMIT, SUBJECT, input={"targetId": listing["id"], "text": DEFENCE})


async def test_a_notice_announces_one_decision(fresh_sample_store: Store, client: httpx.AsyncClient):
    notice = await served(client, "PRE_MEASURE")
    regulatory = punitive_on(notice) | {"type": "REGULATORY"}
    assert "errors" not in await ask(client, APPLY, AGENCY, input=regulatory)
    body = await ask(client, APPLY, AGENCY, input=regulatory | {"item": "另一措施"})
    assert error_codes(body) == ["CONFLICT"] and "already decided" in body["errors"][0]["message"]
    body = await ask(client, WAIVE, SUBJECT, input={"noticeId": notice["id"]})
    assert error_codes(body) == ["CONFLICT"] and "decided" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("changed", "named"),
    [
        ({"basis": "《湖南省社会信用信息管理办法》第二十四条第一项"}, "basis"),
        ({"removalConditions": "满三年"}, "removalConditions"),
        ({"recordIds": []}, "recordIds"),
        ({"ground": "MARKET_ORDER"}, "ground"),
    ],
    ids=["basis", "removal-conditions", "fewer-records", "ground"],
)
async def test_a_listing_must_be_what_its_notice_said(
    fresh_sample_store: Store, client: httpx.AsyncClient, changed: dict[str, Any], named: str
):
    if changed.get("recordIds") == []:  # the notice names two of the company's records; the listing rests on one
        records = ["REC-JD-0001", "REC-REG-0001"]
        notice = await waived(
            client, await served(client, "PRE_LISTING", COMPANY, recordIds=records, **LISTING), COMPANY
        )
        changed = {"subjectCode": COMPANY, "recordIds": records[:1]}
    else:
        notice = await waived(client, await served(client, "PRE_LISTING", **LISTING))
    body = await ask(client, LIST, AGENCY, input=listing_on(notice, **changed))
    assert error_codes(body) == ["CONFLICT"], body
    assert "differs in" in body["errors"][0]["message"] and named in body["errors"][0]["message"]
    assert await fresh_sample_store.read(COUNT) == [{"decided": 2}]


async def test_waiving_the_defence_lets_the_listing_be_decided_at_once_and_twice_is_a_conflict(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = await served(client, "PRE_LISTING", **LISTING)
    body = await ask(client, WAIVE, SUBJECT, input={"noticeId": notice["id"]})
    assert body["data"]["waiveDefence"]["notice"]["defenceWaivedAt"] is not None
    again = await ask(client, WAIVE, SUBJECT, input={"noticeId": notice["id"]})
    assert error_codes(again) == ["CONFLICT"] and "already waived" in again["errors"][0]["message"]
    assert "errors" not in await ask(client, LIST, AGENCY, input=listing_on(notice))


async def test_waiving_after_the_defence_period_is_a_conflict(
    fresh_sample_store: Store, client: httpx.AsyncClient, clock: Callable[[datetime.datetime], None]
):
    notice = await served(client, "PRE_MEASURE")
    clock(at(add_working_days(SAMPLE_DAY, DEFENCE_WORKING_DAYS).due + datetime.timedelta(days=1), 9))
    body = await ask(client, WAIVE, SUBJECT, input={"noticeId": notice["id"]})
    assert error_codes(body) == ["CONFLICT"] and "ended on" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    "viewer",
    [headers(), headers("SUBJECT", COMPANY), headers("SUBJECT", PERSON), AGENCY, headers("PROVIDER", COURT)],
    ids=["anonymous", "other-company", "person", "agency", "provider"],
)
async def test_the_wrong_party_waives_and_states_on_a_notice_as_on_one_that_does_not_exist(
    fresh_sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    notice = await served(client, "PRE_LISTING", **LISTING)
    for query, input in ((WAIVE, {"noticeId": notice["id"]}), (SUBMIT, {"targetId": notice["id"], "text": DEFENCE})):
        unknown = {key: "NOT-NONE" if key != "text" else value for key, value in input.items()}
        wrong, missing = await ask(client, query, viewer, input=input), await ask(client, query, viewer, input=unknown)
        assert error_codes(wrong) == error_codes(missing) == ["NOT_FOUND"]
        assert wrong["errors"][0]["message"] == missing["errors"][0]["message"].replace("NOT-NONE", notice["id"])
    [mine] = (await ask(client, NOTICE, SUBJECT))["data"]["myNotices"]
    assert mine["defenceWaivedAt"] is None and mine["statements"] == []


async def test_bad_input_to_the_defence_mutations_is_refused(fresh_sample_store: Store, client: httpx.AsyncClient):
    assert error_codes(await ask(client, WAIVE, SUBJECT, input={})) == ["BAD_USER_INPUT"]
    assert error_codes(await ask(client, SUBMIT, SUBJECT, input={"text": DEFENCE})) == ["BAD_USER_INPUT"]
    serve = {"subjectCode": RESTAURANT, "kind": "OBJECTION_RESULT", "recordIds": [TAX_RECORD], "text": "告知"}
    body = await ask(client, "mutation($input: ServeNoticeInput!) { serveNotice(input: $input) { notice { id } } }",
                     AGENCY, input=serve)  # fmt: skip
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_concurrent_waivers_give_exactly_one_winner(fresh_sample_store: Store, client: httpx.AsyncClient):
    notice = await served(client, "PRE_LISTING", **LISTING)
    attempts = [ask(client, WAIVE, SUBJECT, input={"noticeId": notice["id"]}) for _ in range(3)]
    results = await asyncio.gather(*attempts)
    assert sorted(tuple(error_codes(body)) for body in results) == [(), ("CONFLICT",), ("CONFLICT",)]


async def test_concurrent_punitive_measures_on_one_notice_give_exactly_one_winner(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = await waived(client, await served(client, "PRE_MEASURE"))
    attempts = [ask(client, APPLY, AGENCY, input=punitive_on(notice) | {"item": f"措施{n}"}) for n in range(3)]
    results = await asyncio.gather(*attempts)
    assert sorted(tuple(error_codes(body)) for body in results) == [(), ("CONFLICT",), ("CONFLICT",)]
    assert await fresh_sample_store.read(COUNT) == [{"decided": 3}]


async def test_a_waiver_and_a_statement_on_a_notice_are_logged_with_the_subject(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = await served(client, "PRE_LISTING", **LISTING)
    assert "errors" not in await ask(client, SUBMIT, SUBJECT, input={"targetId": notice["id"], "text": DEFENCE})
    await waived(client, notice)
    entries = await audit(client, actor=actor_of("SUBJECT", RESTAURANT))
    assert sorted(entry["operation"].split(" ")[-1] for entry in entries) == ["(submitStatement)", "(waiveDefence)"]
    assert all(entry["subjectCodes"] == [RESTAURANT] and entry["decision"] == "ALLOWED" for entry in entries)
