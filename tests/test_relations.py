"""Relationship lookups (Arts. 24-26) on the real Neo4j: paths through each relation, both ways, for agencies only."""

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser

from authz.principal import Principal
from authz.read_filter import compile_read_filter
from credit.model import Relation
from graph_store import relations
from graph_store.connection import Store
from resolvers.context import LookupLimits

from .conftest import (
    COMPANY,
    CREDIT_AGENCY,
    MARKET_REGULATOR,
    OTHER_PERSON,
    PERSON,
    PURPOSE,
    RESTAURANT,
    SAMPLE_DAY,
    ask,
    error_codes,
    headers,
    load,
    sample_objects,
    suite_clock,
    wipe,
)

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

BRANCH = "91430102MA4RB0K2X6"  # 星辰科技五一路分公司, a branch of COMPANY
AGENCY = headers("AGENCY", MARKET_REGULATOR, PURPOSE)
RELATED = """query($code: String!, $hops: Int!, $relations: [Relation!], $first: Int, $after: String) {
    relatedSubjects(code: $code, maxHops: $hops, relations: $relations, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { hops subject { code name masked } path { relation share from { code } to { code } } } } } }"""
CONNECTION = """query($from: String!, $to: String!, $hops: Int!) { connection(fromCode: $from, toCode: $to, maxHops: $hops) {
    hops steps { relation from { code } to { code } } } }"""
RISK = """query($code: String!, $first: Int, $after: String) { riskNetwork(code: $code, maxHops: 2, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { hops subject { code } records { id } listings { id } path { relation } } } } }"""


@pytest.fixture(scope="module")
async def related_store(store: Store) -> AsyncIterator[Store]:
    with suite_clock.on(SAMPLE_DAY):
        await wipe(store)
        await load(store, sample_objects())
        yield store


async def related(client: httpx.AsyncClient, code: str, hops: int, **variables: Any) -> dict[str, Any]:
    body = await ask(client, RELATED, AGENCY, code=code, hops=hops, **variables)
    assert "errors" not in body, body
    return body["data"]["relatedSubjects"]


def nodes(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {edge["node"]["subject"]["code"]: edge["node"] for edge in found["edges"]}


async def test_related_subjects_follow_each_relation_nearest_first(related_store: Store, client: httpx.AsyncClient):
    found = await related(client, COMPANY, 1)
    assert set(nodes(found)) == {PERSON, RESTAURANT, BRANCH} and found["totalCount"] == 3
    reached = nodes(found)
    assert reached[BRANCH]["path"] == [{"relation": "BRANCH_OF", "share": None, "from": {"code": BRANCH},
                                        "to": {"code": COMPANY}}]  # fmt: skip
    assert reached[RESTAURANT]["path"] == [{"relation": "INVESTS_IN", "share": 0.35, "from": {"code": COMPANY},
                                            "to": {"code": RESTAURANT}}]  # fmt: skip
    assert reached[PERSON]["path"][0]["relation"] in ("REPRESENTS", "INVESTS_IN")
    two = await related(client, COMPANY, 2)
    assert [edge["node"]["hops"] for edge in two["edges"]] == [1, 1, 1, 2]
    assert nodes(two)[OTHER_PERSON]["path"][0] == {"relation": "INVESTS_IN", "share": 0.35, "from": {"code": COMPANY},
                                                   "to": {"code": RESTAURANT}}  # fmt: skip


async def test_relationships_are_followed_in_both_directions(related_store: Store, client: httpx.AsyncClient):
    assert set(nodes(await related(client, BRANCH, 1))) == {COMPANY}  # branch to parent
    assert set(nodes(await related(client, RESTAURANT, 1))) == {COMPANY, PERSON, OTHER_PERSON}  # to investors
    representative = await related(client, PERSON, 1, relations=["REPRESENTS"])
    assert set(nodes(representative)) == {COMPANY, RESTAURANT}


async def test_only_the_relations_asked_for_are_followed(related_store: Store, client: httpx.AsyncClient):
    assert set(nodes(await related(client, COMPANY, 3, relations=["BRANCH_OF"]))) == {BRANCH}
    assert set(nodes(await related(client, OTHER_PERSON, 3, relations=["REPRESENTS"]))) == set()


async def test_related_subjects_page_with_cursors(related_store: Store, client: httpx.AsyncClient):
    first = await related(client, COMPANY, 2, first=2)
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"] is True
    rest = await related(client, COMPANY, 2, first=2, after=first["pageInfo"]["endCursor"])
    assert rest["pageInfo"]["hasNextPage"] is False
    assert set(nodes(first)) | set(nodes(rest)) == {PERSON, RESTAURANT, BRANCH, OTHER_PERSON}


async def test_connection_gives_the_shortest_paths_or_none(related_store: Store, client: httpx.AsyncClient):
    body = await ask(client, CONNECTION, AGENCY, **{"from": OTHER_PERSON, "to": BRANCH, "hops": 3})
    assert body["data"]["connection"] == [{"hops": 3, "steps": [
        {"relation": "INVESTS_IN", "from": {"code": OTHER_PERSON}, "to": {"code": RESTAURANT}},
        {"relation": "INVESTS_IN", "from": {"code": COMPANY}, "to": {"code": RESTAURANT}},
        {"relation": "BRANCH_OF", "from": {"code": BRANCH}, "to": {"code": COMPANY}},
    ]}]  # fmt: skip
    none = await ask(client, CONNECTION, AGENCY, **{"from": OTHER_PERSON, "to": BRANCH, "hops": 2})
    assert none["data"]["connection"] == []


async def test_the_relationships_of_a_page_show_every_tie_among_its_subjects_rings_included(
    related_store: Store, client: httpx.AsyncClient
):
    query = """query($code: String!, $relations: [Relation!]) {
        relatedSubjects(code: $code, maxHops: 1, relations: $relations) {
            edges { node { path { relation } } } relationships { from { code } relation to { code } share } } }"""
    body = await ask(client, query, AGENCY, code=COMPANY)
    related = body["data"]["relatedSubjects"]
    assert sum(len(edge["node"]["path"]) for edge in related["edges"]) == 3  # one shortest path to each of three
    ties = {(tie["from"]["code"], tie["relation"], tie["to"]["code"]) for tie in related["relationships"]}
    assert ties == {
        (PERSON, "REPRESENTS", COMPANY), (PERSON, "INVESTS_IN", COMPANY),  # two ties between the same two
        (COMPANY, "INVESTS_IN", RESTAURANT), (BRANCH, "BRANCH_OF", COMPANY),
        (PERSON, "REPRESENTS", RESTAURANT),  # the triangle's third side: on no shortest path from COMPANY
    }  # fmt: skip
    only_shares = await ask(client, query, AGENCY, code=COMPANY, relations=["INVESTS_IN"])
    ties = {
        (tie["from"]["code"], tie["to"]["code"], tie["share"])
        for tie in only_shares["data"]["relatedSubjects"]["relationships"]
    }
    assert ties == {(PERSON, COMPANY, 0.6), (COMPANY, RESTAURANT, 0.35)}


async def test_the_risk_network_shows_dishonest_neighbours_with_the_records_the_viewer_may_see(
    related_store: Store, client: httpx.AsyncClient
):
    body = await ask(client, RISK, AGENCY, code=PERSON)
    risky = nodes(body["data"]["riskNetwork"])
    assert set(risky) == {COMPANY, RESTAURANT}
    assert risky[COMPANY]["records"] == [{"id": "REC-JD-0001"}]  # the penalty's window has ended
    assert risky[RESTAURANT]["records"] == [{"id": "REC-TAX-0001"}]  # government sharing: this agency has a purpose
    assert risky[COMPANY]["hops"] == 1


async def test_a_subject_is_marked_dishonest_as_far_as_the_viewer_may_see(
    related_store: Store, client: httpx.AsyncClient
):
    query = "query($code: String!) { subject(code: $code) { dishonest } }"

    async def marked(viewer: dict[str, str]) -> set[str]:
        found = [(code, await ask(client, query, viewer, code=code)) for code in (PERSON, COMPANY, RESTAURANT, BRANCH)]
        return {code for code, body in found if body["data"]["subject"] and body["data"]["subject"]["dishonest"]}

    assert await marked(AGENCY) == {COMPANY, RESTAURANT}  # the same two the risk network shows
    assert await marked(headers()) == {COMPANY}  # RESTAURANT's tax record is shared with agencies only


async def test_the_risk_network_comes_a_page_at_a_time_nearest_first(related_store: Store, client: httpx.AsyncClient):
    first = (await ask(client, RISK, AGENCY, code=PERSON, first=1))["data"]["riskNetwork"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    rest = (await ask(client, RISK, AGENCY, code=PERSON, first=1, after=first["pageInfo"]["endCursor"]))["data"]
    assert rest["riskNetwork"]["pageInfo"]["hasNextPage"] is False
    pages = [[edge["node"]["subject"]["code"] for edge in page["edges"]] for page in (first, rest["riskNetwork"])]
    assert sorted(code for page in pages for code in page) == sorted([COMPANY, RESTAURANT])  # both 1 hop away


async def test_persons_on_paths_are_shown_as_the_policy_shows_them_to_this_viewer(
    related_store: Store, client: httpx.AsyncClient
):
    found = nodes(await related(client, COMPANY, 2))
    direct = await ask(client, "query($c: String!) { subject(code: $c) { name masked } }", AGENCY, c=OTHER_PERSON)
    assert found[OTHER_PERSON]["subject"]["name"] == direct["data"]["subject"]["name"] == "欧阳娜娜"
    assert found[OTHER_PERSON]["subject"]["masked"] is direct["data"]["subject"]["masked"] is False


@pytest.mark.parametrize(
    "viewer",
    [headers(), headers("SUBJECT", COMPANY), headers("PROVIDER", MARKET_REGULATOR, PURPOSE),
     headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE)],
    ids=["anonymous", "subject", "provider", "credit-service"],  # an AGENCY without a purpose: test_query_purpose
)  # fmt: skip
async def test_only_agencies_with_a_purpose_and_admin_trace_relations(
    related_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    assert error_codes(await ask(client, RELATED, viewer, code=COMPANY, hops=1)) == ["FORBIDDEN"]
    assert error_codes(await ask(client, RISK, viewer, code=COMPANY)) == ["FORBIDDEN"]
    assert error_codes(await ask(client, CONNECTION, viewer, **{"from": PERSON, "to": BRANCH, "hops": 3})) == [
        "FORBIDDEN"
    ]
    admin = await ask(client, RELATED, headers("ADMIN", "ADMIN-1"), code=COMPANY, hops=1)
    assert admin["data"]["relatedSubjects"]["totalCount"] == 3


async def test_a_lookup_reaching_more_than_the_limit_is_refused_saying_how_to_narrow_it(
    related_store: Store, client: httpx.AsyncClient, lookup_limits: Callable[[LookupLimits], None]
):
    lookup_limits(LookupLimits(max_subjects=3, timeout=60))
    assert (await related(client, COMPANY, 1))["totalCount"] == 3
    body = await ask(client, RELATED, AGENCY, code=COMPANY, hops=2)
    assert error_codes(body) == ["LIMIT_EXCEEDED"] and "lower maxHops" in body["errors"][0]["message"]
    assert error_codes(await ask(client, RISK, AGENCY, code=COMPANY)) == ["LIMIT_EXCEEDED"]


async def test_bad_hops_relations_and_codes_are_refused(related_store: Store, client: httpx.AsyncClient):
    assert error_codes(await ask(client, RELATED, AGENCY, code=COMPANY, hops=4)) == ["BAD_USER_INPUT"]
    assert error_codes(await ask(client, RELATED, AGENCY, code=COMPANY, hops=0)) == ["BAD_USER_INPUT"]
    assert error_codes(await ask(client, RELATED, AGENCY, code=COMPANY, hops=1, relations=[])) == ["BAD_USER_INPUT"]
    assert error_codes(await ask(client, RELATED, AGENCY, code="nonsense", hops=1)) == ["BAD_USER_INPUT"]
    assert error_codes(await ask(client, RELATED, AGENCY, code=COMPANY, hops=1, after="forged")) == ["BAD_USER_INPUT"]


async def test_every_subject_a_lookup_returns_is_in_its_access_log_entry(
    related_store: Store, client: httpx.AsyncClient
):
    await ask(
        client, "query Related($c: String!) { relatedSubjects(code: $c, maxHops: 2) { totalCount } }", AGENCY, c=COMPANY
    )
    log = await ask(client, "{ accessLog(first: 1) { edges { node { operation subjectCodes } } } }",
                    headers("AUDITOR", "AUDIT-1"))  # fmt: skip
    entry = log["data"]["accessLog"]["edges"][0]["node"]
    assert "relatedSubjects" in entry["operation"]
    assert set(entry["subjectCodes"]) == {COMPANY, PERSON, RESTAURANT, BRANCH, OTHER_PERSON}


async def test_the_records_a_risk_network_shows_are_in_its_access_log_entry(
    related_store: Store, client: httpx.AsyncClient
):
    body = await ask(client, "query Risk($c: String!) { riskNetwork(code: $c) { edges { node { records { title "
                             "provider { name } } } } } }", AGENCY, c=PERSON)  # fmt: skip
    risky = [edge["node"] for edge in body["data"]["riskNetwork"]["edges"]]
    assert {record["provider"]["name"] for node in risky for record in node["records"]} == {
        "长沙市芙蓉区人民法院", "国家税务总局湖南省税务局",
    }  # fmt: skip
    log = await ask(client, "{ accessLog(first: 1) { edges { node { operation recordIds } } } }",
                    headers("AUDITOR", "AUDIT-1"))  # fmt: skip
    entry = log["data"]["accessLog"]["edges"][0]["node"]
    assert "riskNetwork" in entry["operation"]
    assert set(entry["recordIds"]) == {"REC-JD-0001", "REC-TAX-0001"}


async def test_the_graph_page_draws_the_network_in_a_real_browser(
    related_store: Store, live_server: str, browser: Browser, tmp_path: Path
):
    context = await browser.new_context(extra_http_headers=AGENCY, viewport={"width": 1200, "height": 800})
    page = await context.new_page()
    response = await page.goto(f"{live_server}/graph/{PERSON}?hops=2")
    assert response is not None and response.status == 200
    await page.wait_for_function("window.creditGraph !== undefined")
    drawn = await page.evaluate("""() => ({
        nodes: creditGraph.nodes().map(n => n.data('code')).sort(),
        dishonest: creditGraph.nodes('.dishonest').map(n => n.data('code')).sort(),
        people: creditGraph.nodes('.NATURAL_PERSON').map(n => n.data('code')).sort(),
        relations: [...new Set(creditGraph.edges().map(e => e.data('relation')))].sort(),
        ties: creditGraph.edges().length,
        placed: creditGraph.nodes().every(n => Number.isFinite(n.position('x')) && n.renderedBoundingBox().w > 0),
    })""")
    assert drawn["nodes"] == sorted([PERSON, COMPANY, RESTAURANT, BRANCH, OTHER_PERSON])
    assert drawn["dishonest"] == sorted([COMPANY, RESTAURANT])
    assert drawn["people"] == sorted([PERSON, OTHER_PERSON])
    assert drawn["relations"] == ["BRANCH_OF", "INVESTS_IN", "REPRESENTS"]
    assert drawn["ties"] == 6  # every tie among the five, not only the four shortest-path steps
    assert drawn["placed"] is True
    screenshot = await page.screenshot(path=str(tmp_path / "graph.png"))
    assert screenshot.startswith(b"\x89PNG") and len(screenshot) > 10_000
    await context.close()


async def test_the_graph_page_applies_the_same_policy(related_store: Store, live_server: str, browser: Browser):
    context = await browser.new_context()
    page = await context.new_page()
    refused = await page.goto(f"{live_server}/graph/{COMPANY}")
    assert refused is not None and refused.status == 403
    assert "AGENCY" in await page.inner_text("#error")
    await context.close()


async def test_the_graph_page_of_nobody_is_not_found(related_store: Store, client: httpx.AsyncClient):
    response = await client.get("/graph/91430100MA4L16JQ9D", headers=AGENCY)
    assert response.status_code == 404 and "There is no such subject" in response.text


def operators(plan: dict[str, Any]) -> set[str]:
    return {plan["operatorType"].split("@")[0], *(op for child in plan.get("children", []) for op in operators(child))}


async def test_a_lookup_seeks_its_subject_by_index_and_searches_breadth_first(related_store: Store):
    viewer = compile_read_filter(Principal("a", "a", "AGENCY", MARKET_REGULATOR, PURPOSE), suite_clock())
    traversal = relations.Traversal(COMPANY, 3, tuple(Relation), 10_001)
    query, filter_params = viewer.applied("EXPLAIN " + relations.related_query(traversal))
    params = {"originCode": COMPANY, "limit": 10_001, "first": 21, "afterHops": None, "afterId": None}
    async with related_store.driver.session(database=related_store.database) as session:
        plan = (await (await session.run(query, params | filter_params)).consume()).plan
    assert plan is not None
    found = operators(plan)
    assert "NodeUniqueIndexSeek" in found and "StatefulShortestPath(All)" in found, found
    assert not found & {"AllNodesScan", "NodeByLabelScan", "VarLengthExpand(All)"}, found


async def test_a_lookup_from_or_to_nobody_is_null_like_a_subject_that_is_not_there(
    related_store: Store, client: httpx.AsyncClient
):
    nobody = "91430100MA4L16JQ9D"  # a valid USCC of no subject on the platform
    for query, variables in (
        (RELATED, {"code": nobody, "hops": 1}),
        (RISK, {"code": nobody}),
        (CONNECTION, {"from": COMPANY, "to": nobody, "hops": 3}),
        (CONNECTION, {"from": nobody, "to": COMPANY, "hops": 3}),
    ):
        body = await ask(client, query, AGENCY, **variables)
        assert "errors" not in body and list(body["data"].values()) == [None], body
