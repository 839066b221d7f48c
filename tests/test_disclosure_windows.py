"""One disclosure window (Art. 35), decided by the policy and obeyed by every query: records and listings on either
side of their boundary days, and who reads a record past its window."""

import asyncio
import datetime
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from neo4j import Driver, GraphDatabase

from authz.policy import load_policy
from authz.principal import Principal
from authz.read_filter import compile_read_filter, disclosed_on, standing_on
from authz.resources import Listing, Record, Viewer
from credit.model import Category
from graph_store import embedded, listings, reads
from graph_store.connection import Store
from graph_store.listings import RECORDS_GONE
from graph_store.migrations import migrate
from resolvers.repairs import repairable
from server import settings as settings_module

from .conftest import (
    COMPANY,
    COURT,
    CREDIT_AGENCY,
    MARKET_REGULATOR,
    NO_RUNS_SHOWN,
    PURPOSE,
    RESTAURANT,
    SAMPLE_DAY,
    ask,
    error_codes,
    headers,
    load,
    ten_o_clock,
)
from .test_measures_and_listings import (
    AGENCY,
    APPLY,
    LIST,
    LISTING,
    MEASURE,
    REMOVE,
    SERVE,
    TAX_RECORD,
    listed,
    served,
    waived,
)
from .test_repairs import APPLY as REPAIR
from .test_repairs import DECIDE
from .test_revoked_documents import REVOKE

pytestmark = pytest.mark.sample_day

TODAY = SAMPLE_DAY
NOW = ten_o_clock(TODAY)
DAY = datetime.timedelta(days=1)
TAX_BUREAU = "114300006987654320"
BASES = {"REC-JD-0001": COURT, "REC-TAX-0001": TAX_BUREAU}
"""A PUBLIC_NOTICE record and a GOVERNMENT_SHARING one of the sample, copied onto the boundary days, with their
providers."""
CASES = [
    (base, confirmed, until)
    for base in BASES
    for confirmed in (TODAY, TODAY + DAY)
    for until in (TODAY - DAY, TODAY, TODAY + DAY, None)
]
LISTING_ENDS = [TODAY - DAY, TODAY, TODAY + DAY]
VIEWERS = [
    (None, None, None),
    ("AGENCY", COURT, PURPOSE),
    ("AGENCY", MARKET_REGULATOR, PURPOSE),
    ("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE),
    ("PROVIDER", COURT, None),
    ("PROVIDER", TAX_BUREAU, None),
    ("ADMIN", "ADMIN-1", None),
    ("AUDITOR", "AUDIT-1", None),
]

COPIES = """
    UNWIND range(0, size($cases) - 1) AS i
    WITH $cases[i] AS case, i
    MATCH (base:Record {id: case.base})-[:ABOUT]->(origin:Subject)
    MATCH (base)-[:PROVIDED_BY]->(p:Provider)
    MATCH (base)-[:UNDER]->(c:CatalogItem)
    CREATE (s:Subject {id: 'SUB-W' + i, code: 'W' + i, name: '边界' + i, kind: 'LEGAL_PERSON', region: origin.region})
    CREATE (r:Record)
    SET r = base {.*, id: 'REC-W' + i, subjectCode: s.code, confirmedAt: case.confirmedAt,
                  disclosureBaseUntil: case.until, disclosureUntil: case.until}
    CREATE (r)-[:ABOUT]->(s), (r)-[:PROVIDED_BY]->(p), (r)-[:UNDER]->(c)
"""
LISTINGS = """
    UNWIND range(0, size($ends) - 1) AS i
    MATCH (p:Provider {code: $decidedBy})
    CREATE (s:Subject {id: 'SUB-WL' + i, code: 'WL' + i, name: '名单' + i, kind: 'LEGAL_PERSON', region: '430100'})
    CREATE (l:Listing {id: 'LST-W' + i, ground: 'OTHER', basis: '第二十四条', removalConditions: '履行', status: 'ACTIVE',
                       listedAt: $listedAt, disclosureBaseUntil: $ends[i], disclosureUntil: $ends[i],
                       subjectCode: s.code, decidedByCode: p.code})
    CREATE (l)-[:OF]->(s), (l)-[:DECIDED_BY]->(p)
"""


@pytest.fixture
async def boundary_store(fresh_sample_store: Store) -> Store:
    cases = [{"base": base, "confirmedAt": confirmed, "until": until} for base, confirmed, until in CASES]
    await fresh_sample_store.write(COPIES, cases=cases)
    await fresh_sample_store.write(
        LISTINGS, ends=LISTING_ENDS, decidedBy=MARKET_REGULATOR, listedAt=NOW - datetime.timedelta(days=3 * 365)
    )
    return fresh_sample_store


@pytest.fixture
def driver(neo4j_server: embedded.EmbeddedStatus) -> Iterator[Driver]:
    """For the policy's single decisions, which look a record's relations up themselves."""
    config = settings_module.load().neo4j()
    with GraphDatabase.driver(config.uri, auth=(config.user, config.password)) as opened:
        yield opened


def nodes(driver: Driver, label: str, prefix: str) -> list[dict[str, Any]]:
    found, _, _ = driver.execute_query(
        f"MATCH (n:{label}) WHERE n.id STARTS WITH $prefix RETURN properties(n) AS node ORDER BY n.id", prefix=prefix
    )
    return [row["node"] for row in found]


async def test_the_policy_and_the_queries_agree_on_the_window_boundaries(
    boundary_store: Store, client: httpx.AsyncClient, driver: Driver
):
    """For records disclosed until yesterday, today, tomorrow or without end, confirmed today or tomorrow, and
    listings standing until yesterday, today or tomorrow: what the policy decides for each one, item by item, is
    what every query returns, for every kind of viewer, and what the repair code and the listing checks ask."""

    def fetch(cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return [dict(row) for row in driver.execute_query(cypher, {**params, **NO_RUNS_SHOWN})[0]]

    policy = load_policy(fetch=fetch)
    store, store_records, store_listings = (
        boundary_store,
        nodes(driver, "Record", "REC-W"),
        nodes(driver, "Listing", "LST-W"),
    )
    assert len(store_records) == len(CASES) and len(store_listings) == len(LISTING_ENDS)
    anyone = Viewer(role=None, unit=None, purpose=None, today=TODAY, now=NOW)
    disclosed = {record["id"] for record in store_records if policy.is_allowed(anyone, "disclose", Record(**record))}
    standing = {
        listing["id"] for listing in store_listings if policy.is_allowed(anyone, "disclose", Listing(**listing))
    }
    # The boundaries themselves: from the day of confirmation to the last day, both included.
    assert disclosed == {
        f"REC-W{i}"
        for i, (_, confirmed, until) in enumerate(CASES)
        if confirmed <= TODAY and until in (TODAY, TODAY + DAY, None)
    }
    assert standing == {"LST-W1", "LST-W2"}

    admin_rows = await reads.records_by_id(
        store,
        [record["id"] for record in store_records],
        compile_read_filter(Principal(id="a", name=None, role="ADMIN", unit="ADMIN-1"), NOW),
    )
    for record_id, row in admin_rows.items():
        assert disclosed_on(TODAY, row) == (record_id in disclosed)
        why_not = repairable(row, TODAY)
        assert (why_not is None or "disclos" not in why_not) == (record_id in disclosed), (record_id, why_not)
    for listing in store_listings:
        assert standing_on(TODAY, listing) == (listing["id"] in standing)

    record_subjects = {f"REC-W{i}": f"SUB-W{i}" for i in range(len(CASES))}
    listing_subjects = {f"LST-W{i}": f"SUB-WL{i}" for i in range(len(LISTING_ENDS))}
    for role, unit, purpose in VIEWERS:
        # The sample's purposes serve every category (the query application catalog names none for them).
        categories = tuple(category.value for category in Category) if purpose else ()
        viewer = Viewer(role=role, unit=unit, purpose=purpose, today=TODAY, now=NOW, categories=categories)
        principal = Principal(
            id=None if role is None else "v", name=None, role=role, unit=unit, purpose=purpose, categories=categories
        )
        filters = compile_read_filter(principal, NOW)
        readable = {record["id"] for record in store_records if policy.is_allowed(viewer, "read", Record(**record))}
        readable_listings = {
            listing["id"] for listing in store_listings if policy.is_allowed(viewer, "read", Listing(**listing))
        }
        shown = role, unit

        # record(id:), through GraphQL
        found = set()
        for half in (range(0, len(CASES) // 2), range(len(CASES) // 2, len(CASES))):  # at most 15 aliases a query
            fields = " ".join(f'r{i}: record(id: "REC-W{i}") {{ id }}' for i in half)
            body = await ask(client, f"{{ {fields} }}", headers(role, unit, purpose))
            assert "errors" not in body, body
            found |= {record["id"] for record in body["data"].values() if record}
        assert found == readable, shown
        # a subject's records (the credit report and subject.records)
        pages = await reads.records_of_subjects(
            store, list(record_subjects.values()), category=None, first=10, after=None, filters=filters
        )
        assert {record["id"] for page in pages.values() for record in page.records} == readable, shown
        # what is disclosed today, as far as the viewer may see: the risk network's red
        marks = await reads.dishonest_subjects(
            store, [*record_subjects.values(), *listing_subjects.values()], filters=filters
        )
        assert {record for record, subject in record_subjects.items() if marks[subject]} == readable & disclosed, shown
        marked = {listing for listing, subject in listing_subjects.items() if marks[subject]}
        assert marked == readable_listings & standing, shown
        # listings: by id, and the public list
        by_id = await listings.by_ids(store, list(listing_subjects), filters)
        assert set(by_id) == readable_listings, shown
        listed = {row["id"] for row in await listings.page(store, filters, first=100, after=None)}
        assert listed & set(listing_subjects) == readable_listings & standing, shown


PAST_WINDOW = "REC-PEN-0001"
"""The sample's GENERAL penalty on the company, confirmed 2025-06-10 and disclosed until 2026-06-10 (Art. 35)."""


@pytest.mark.parametrize(
    ("viewer", "reads_it"),
    [
        pytest.param(headers(), False, id="anonymous"),
        pytest.param(headers("AGENCY", COURT, PURPOSE), False, id="agency-with-purpose"),
        pytest.param(headers("AGENCY", MARKET_REGULATOR, PURPOSE), False, id="the-providing-agency-querying"),
        pytest.param(headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE), False, id="credit-service"),
        pytest.param(headers("PROVIDER", MARKET_REGULATOR), True, id="its-provider"),
        pytest.param(headers("ADMIN", "ADMIN-1"), True, id="admin"),
        pytest.param(headers("AUDITOR", "AUDIT-1"), True, id="auditor"),
        pytest.param(headers("SUBJECT", COMPANY), True, id="its-subject-own-history"),
    ],
)
async def test_a_record_past_its_window_gets_no_query_service(
    sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str], reads_it: bool
):
    body = await ask(client, f'{{ record(id: "{PAST_WINDOW}") {{ id disclosureEndsOn }} }}', viewer)
    assert "errors" not in body, body
    expected = {"id": PAST_WINDOW, "disclosureEndsOn": "2026-06-10"} if reads_it else None
    assert body["data"]["record"] == expected


LISTED = """query($code: String!) { subject(code: $code) {
    listings { id status disclosureEndsOn removalReason } measures { id endsOn endReason } } }"""


async def listings_of_restaurant(client: httpx.AsyncClient, viewer: dict[str, str]) -> list[dict[str, Any]]:
    body = await ask(client, LISTED, viewer, code=RESTAURANT)
    assert "errors" not in body, body
    found: list[dict[str, Any]] = body["data"]["subject"]["listings"]
    return found


async def punished_under(client: httpx.AsyncClient, listing_id: str, ends_on: str) -> dict[str, Any]:
    notice = await waived(client, await served(client, "PRE_MEASURE"))  # the restaurant's defence given up
    measure = {"subjectCode": RESTAURANT, "type": "PUNITIVE", "recordIds": [TAX_RECORD], "listingId": listing_id,
               **MEASURE, "endsOn": ends_on, "noticeId": notice["id"]}  # fmt: skip
    body = await ask(client, APPLY, AGENCY, input=measure)
    assert "errors" not in body, body
    applied: dict[str, Any] = body["data"]["applyMeasure"]["measure"]
    return applied


async def test_a_listing_is_public_for_three_years_longer_while_a_punishment_under_it_runs(
    fresh_sample_store: Store, client: httpx.AsyncClient, clock: Callable[[datetime.datetime], None]
):
    listing = await listed(client)
    admin = headers("ADMIN", "ADMIN-1")
    assert [found["disclosureEndsOn"] for found in await listings_of_restaurant(client, admin)] == ["2029-12-01"]
    # Under a listing a punishment may run past the records' own disclosure (the tax penalty's ends on 2028-08-20);
    # it keeps the listing public until it ends, and the record disclosed.
    await punished_under(client, listing["id"], "2030-06-30")
    assert [found["disclosureEndsOn"] for found in await listings_of_restaurant(client, admin)] == ["2030-06-30"]
    record = await ask(client, f'{{ record(id: "{TAX_RECORD}") {{ disclosureEndsOn }} }}', admin)
    assert record["data"]["record"] == {"disclosureEndsOn": "2030-06-30"}

    clock(ten_o_clock(datetime.date(2030, 6, 30)))
    public = await ask(client, "{ seriousDishonestyList { totalCount edges { node { id } } } }", headers())
    assert public["data"]["seriousDishonestyList"]["edges"] == [{"node": {"id": listing["id"]}}]

    clock(ten_o_clock(datetime.date(2030, 7, 1)))
    public = await ask(client, "{ seriousDishonestyList { totalCount edges { node { id } } } }", headers())
    assert public["data"]["seriousDishonestyList"] == {"totalCount": 0, "edges": []}
    assert await listings_of_restaurant(client, headers()) == []
    for concerned in (headers("SUBJECT", RESTAURANT), AGENCY, admin, headers("AUDITOR", "AUDIT-1")):
        assert [found["id"] for found in await listings_of_restaurant(client, concerned)] == [listing["id"]]
    # Past its period nothing more is taken under it: it would put it back on the list.
    measure = {"subjectCode": RESTAURANT, "type": "PUNITIVE", "recordIds": [], "listingId": listing["id"],
               **MEASURE, "startsOn": "2030-07-01", "endsOn": "2031-06-30"}  # fmt: skip
    body = await ask(client, APPLY, AGENCY, input=measure)
    assert error_codes(body) == ["CONFLICT"] and "2030-06-30" in body["errors"][0]["message"]


async def repaired(client: httpx.AsyncClient) -> None:
    subject = headers("SUBJECT", RESTAURANT)
    application = {"recordId": TAX_RECORD, "statement": "已补缴税款及滞纳金", "evidence": ["完税证明"]}
    applied = await ask(client, REPAIR, subject, input=application)
    assert "errors" not in applied, applied
    decision = {"applicationId": applied["data"]["applyForRepair"]["repairApplication"]["id"], "approve": True,
                "reason": "已履行"}  # fmt: skip
    assert "errors" not in await ask(client, DECIDE, headers("ADMIN", "ADMIN-1"), input=decision)


async def revoked(client: httpx.AsyncClient) -> None:
    revocation = {"documentId": "DOC-2025-TAX-0001", "reason": "行政复议撤销原处罚决定"}
    assert "errors" not in await ask(client, REVOKE, headers("ADMIN", "ADMIN-1"), input=revocation)


@pytest.mark.parametrize("gone", [repaired, revoked], ids=["repaired", "revoked"])
async def test_a_listing_ends_with_the_last_record_it_rests_on_saying_why(
    fresh_sample_store: Store,
    client: httpx.AsyncClient,
    gone: Callable[[httpx.AsyncClient], Awaitable[None]],
):
    listing = await listed(client)
    measure = await punished_under(client, listing["id"], "2027-11-30")
    await gone(client)
    admin = headers("ADMIN", "ADMIN-1")
    assert await listings_of_restaurant(client, admin) == [
        {"id": listing["id"], "status": "REMOVED", "disclosureEndsOn": "2029-12-01", "removalReason": RECORDS_GONE}
    ]
    ended = await ask(client, LISTED, admin, code=RESTAURANT)
    assert [(found["id"], found["endsOn"]) for found in ended["data"]["subject"]["measures"]] == [
        (measure["id"], SAMPLE_DAY.isoformat())
    ]
    public = await ask(client, "{ seriousDishonestyList { totalCount } }", headers())
    assert public["data"]["seriousDishonestyList"]["totalCount"] == 0
    again = await ask(client, REMOVE, AGENCY, input={"listingId": listing["id"], "reason": "已履行"})
    assert error_codes(again) == ["CONFLICT"]


async def test_listings_from_before_their_query_period_get_it_from_the_day_they_were_listed(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    listing = await listed(client)
    await punished_under(client, listing["id"], "2030-06-30")
    await fresh_sample_store.write("MATCH (l:Listing) REMOVE l.disclosureBaseUntil, l.disclosureUntil")
    await migrate(fresh_sample_store)
    rows = await fresh_sample_store.read(
        "MATCH (l:Listing) RETURN l.disclosureBaseUntil AS base, l.disclosureUntil AS until"
    )
    assert rows == [{"base": datetime.date(2029, 12, 1), "until": datetime.date(2030, 6, 30)}]


SECOND_PENALTY: list[dict[str, Any]] = [
    {"kind": "document", "id": "DOC-TAX-W2", "type": "PENALTY_DECISION", "number": "湘税稽罚〔2026〕7号",
     "issuerCode": TAX_BUREAU, "issuedAt": "2026-03-02", "subjectCode": RESTAURANT},
    {"kind": "record", "id": "REC-TAX-W2", "subjectCode": RESTAURANT, "providerCode": TAX_BUREAU,
     "catalogItemId": "CAT-TAX-PEN", "title": "虚开发票行政处罚", "nature": "DISHONEST", "severity": "SERIOUS",
     "confirmedAt": "2026-03-02", "documentIds": ["DOC-TAX-W2"],
     "content": {"decisionNumber": "湘税稽罚〔2026〕7号", "violation": "虚开发票", "fineAmount": 120000}},
]  # fmt: skip


async def test_revoking_the_last_two_records_of_a_listing_at_once_ends_it(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    await load(fresh_sample_store, SECOND_PENALTY)
    both = [TAX_RECORD, "REC-TAX-W2"]
    notice = await ask(client, SERVE, AGENCY, input={"subjectCode": RESTAURANT, "kind": "PRE_LISTING",
                                                     "recordIds": both, "text": "拟列入名单", **LISTING})  # fmt: skip
    await waived(client, notice["data"]["serveNotice"]["notice"])
    listing = {"subjectCode": RESTAURANT, "recordIds": both, "noticeId": notice["data"]["serveNotice"]["notice"]["id"],
               **LISTING}  # fmt: skip
    assert "errors" not in await ask(client, LIST, AGENCY, input=listing)
    revocations = [
        ask(client, REVOKE, headers("ADMIN", "ADMIN-1"), input={"documentId": document, "reason": "行政复议撤销"})
        for document in ("DOC-2025-TAX-0001", "DOC-TAX-W2")
    ]
    assert [error_codes(body) for body in await asyncio.gather(*revocations)] == [[], []]
    rows = await fresh_sample_store.read("MATCH (l:Listing) RETURN l.status AS status, l.removalReason AS reason")
    assert rows == [{"status": "REMOVED", "reason": RECORDS_GONE}]
