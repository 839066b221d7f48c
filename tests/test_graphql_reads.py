"""What an anonymous viewer reads through GraphQL, on the example file in a real Neo4j."""

import json

import httpx
import pytest

from graph_store.connection import Store
from server.graphql_http import encoded

from .conftest import ask, error_codes, headers

pytestmark = pytest.mark.usefixtures("sample_store")

COMPANY = "914301023210987656"
RESTAURANT = "91430103876543210P"
PERSON = "430103198503121236"


async def test_anonymous_sees_public_notice_records_with_provider_documents_and_versions(client: httpx.AsyncClient):
    body = await ask(
        client,
        """query($code: String!) { subject(code: $code) { name kind records { totalCount edges { node {
            id disclosureMode disclosureEndsOn provider { name } catalogItem { id }
            documents { number type issuer { name } } versions { version actorId reason } } } } } }""",
        code=COMPANY,
    )
    subject = body["data"]["subject"]
    assert subject["name"] == "长沙市芙蓉区星辰科技有限公司"
    records = {edge["node"]["id"]: edge["node"] for edge in subject["records"]["edges"]}
    assert set(records) == {"REC-JD-0001", "REC-REG-0001"}
    judgment = records["REC-JD-0001"]
    assert judgment["provider"]["name"] == "长沙市芙蓉区人民法院"
    assert judgment["documents"] == [
        {"number": "（2024）湘0102民初1234号", "type": "JUDGMENT", "issuer": {"name": "长沙市芙蓉区人民法院"}}
    ]
    assert judgment["versions"] == [
        {"version": 1, "actorId": None, "reason": "imported"}
    ]  # actors: for ADMIN, AUDITOR, the provider


async def test_anonymous_cannot_see_government_shared_record(client: httpx.AsyncClient):
    body = await ask(
        client, "query($code: String!) { subject(code: $code) { records { totalCount } } }", code=RESTAURANT
    )
    assert body["data"]["subject"]["records"]["totalCount"] == 0
    body = await ask(client, '{ record(id: "REC-TAX-0001") { id } }')
    assert body == {"data": {"record": None}}


async def test_anonymous_cannot_see_authorized_query_record_about_a_person(client: httpx.AsyncClient):
    body = await ask(client, '{ record(id: "REC-CSA-0001") { id } }')
    assert body == {"data": {"record": None}}


async def test_dishonest_record_past_its_disclosure_window_is_absent(client: httpx.AsyncClient):
    # A GENERAL administrative penalty confirmed 2025-06-10 is disclosed for one year.
    body = await ask(client, '{ record(id: "REC-PEN-0001") { id } }')
    assert body == {"data": {"record": None}}


async def test_punitive_measure_keeps_its_record_disclosed_until_it_ends(client: httpx.AsyncClient):
    body = await ask(client, '{ record(id: "REC-JD-0001") { disclosureEndsOn subject { code } } }')
    assert body["data"]["record"] == {"disclosureEndsOn": "2028-06-01", "subject": {"code": COMPANY}}


async def test_natural_person_is_masked_for_anonymous_viewer(client: httpx.AsyncClient):
    body = await ask(
        client,
        """query($code: String!) { subject(code: $code) {
            legalRepresentative { code name masked represents { code } } } }""",
        code=COMPANY,
    )
    assert body["data"]["subject"]["legalRepresentative"] == {
        "code": "4301**********1236",
        "name": "李*国",
        "masked": True,
        "represents": [{"code": COMPANY}, {"code": RESTAURANT}],
    }


async def test_legal_representative_of_an_organization_is_masked_for_anonymous_viewer(client: httpx.AsyncClient):
    body = await ask(
        client, "query($code: String!) { subject(code: $code) { legalRepresentative { name } } }", code=COMPANY
    )
    assert body["data"]["subject"]["legalRepresentative"] == {"name": "李*国"}


async def test_anonymous_name_search_leaves_out_natural_persons(client: httpx.AsyncClient):
    body = await ask(client, '{ subjects(nameContains: "李") { totalCount edges { node { kind } } } }')
    assert body["data"]["subjects"] == {"totalCount": 0, "edges": []}
    body = await ask(client, '{ subjects(nameContains: "长沙") { totalCount edges { node { code } } } }')
    assert body["data"]["subjects"]["totalCount"] == 3


async def test_subjects_filter_by_kind_and_region(client: httpx.AsyncClient):
    admin = headers("ADMIN", "ADMIN-1")
    body = await ask(client, "{ subjects(kind: NATURAL_PERSON) { totalCount } }", admin)
    assert body["data"]["subjects"]["totalCount"] == 2
    body = await ask(client, '{ subjects(region: "430103") { edges { node { region } } } }', admin)
    assert [edge["node"]["region"] for edge in body["data"]["subjects"]["edges"]] == ["430103", "430103"]
    body = await ask(client, '{ subjects(region: "430100") { totalCount } }', admin)
    assert body["data"]["subjects"]["totalCount"] == 5
    # The public finds the organizations only: nothing about the two persons is disclosed to it.
    body = await ask(client, '{ subjects(region: "430100") { totalCount edges { node { kind } } } }')
    assert body["data"]["subjects"]["totalCount"] == 3
    assert {edge["node"]["kind"] for edge in body["data"]["subjects"]["edges"]} == {"LEGAL_PERSON"}


async def test_subjects_page_through_with_cursors(client: httpx.AsyncClient):
    query = "query($after: String) { subjects(first: 2, after: $after) { totalCount edges { node { code } } pageInfo { hasNextPage endCursor } } }"
    first = (await ask(client, query, after=None))["data"]["subjects"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"] is True
    second = (await ask(client, query, after=first["pageInfo"]["endCursor"]))["data"]["subjects"]
    assert second["pageInfo"]["hasNextPage"] is False
    codes = [edge["node"]["code"] for page in (first, second) for edge in page["edges"]]
    assert len(codes) == 3 and len(set(codes)) == 3


async def test_records_page_through_newest_first(client: httpx.AsyncClient):
    query = """query($code: String!, $after: String) { subject(code: $code) { records(first: 1, after: $after) {
        edges { node { id confirmedOn } } pageInfo { hasNextPage endCursor } } } }"""
    first = (await ask(client, query, code=COMPANY, after=None))["data"]["subject"]["records"]
    assert [edge["node"]["id"] for edge in first["edges"]] == ["REC-JD-0001"]
    second = (await ask(client, query, code=COMPANY, after=first["pageInfo"]["endCursor"]))["data"]
    assert [edge["node"]["id"] for edge in second["subject"]["records"]["edges"]] == ["REC-REG-0001"]
    assert second["subject"]["records"]["pageInfo"]["hasNextPage"] is False


async def test_records_filter_by_category(client: httpx.AsyncClient):
    body = await ask(
        client,
        "query($code: String!) { subject(code: $code) { records(category: REGISTRATION) { edges { node { id content } } } } }",
        code=COMPANY,
    )
    edges = body["data"]["subject"]["records"]["edges"]
    assert edges == [
        {
            "node": {
                "id": "REC-REG-0001",
                "content": {
                    "establishedOn": "2019-04-01",
                    "registeredCapital": 5000000,
                    "legalRepresentative": "李*国",
                },
            }
        }  # masked for the public
    ]


async def test_running_measures_are_public_with_their_implementing_agency(client: httpx.AsyncClient):
    body = await ask(
        client,
        "query($code: String!) { subject(code: $code) { measures { type item startsOn endsOn implementedBy { name } subject { code } } } }",
        code=COMPANY,
    )
    measures = body["data"]["subject"]["measures"]
    assert [measure["type"] for measure in measures] == ["PUNITIVE"]  # the REGULATORY one ended on 2026-06-30
    assert measures[0]["implementedBy"] == {"name": "长沙市芙蓉区人民法院"}
    assert measures[0]["subject"] == {"code": COMPANY}


async def test_provider_and_catalog_are_open_to_everyone(client: httpx.AsyncClient):
    body = await ask(client, '{ provider(code: "11430000006147849R") { name publicity type region } }')
    assert body["data"]["provider"] == {
        "name": "湖南省市场监督管理局",
        "publicity": "PUBLIC",
        "type": "GOVERNMENT_AGENCY",
        "region": "430000",
    }
    body = await ask(client, "{ catalog { id category disclosureMode dataFormat provider { code } } }")
    catalog = {item["id"]: item for item in body["data"]["catalog"]}
    assert len(catalog) == 5
    assert catalog["CAT-CSA-EVAL"]["disclosureMode"] == "AUTHORIZED_QUERY"
    assert catalog["CAT-AMR-PEN"]["dataFormat"]["required"] == ["decisionNumber", "violation"]


PROVIDERS = """query($name: String, $type: ProviderType, $first: Int, $after: String) {
    providers(nameContains: $name, type: $type, first: $first, after: $after) {
        totalCount edges { node { id code name type } } pageInfo { hasNextPage endCursor } } }"""


async def test_providers_are_listed_for_everyone_by_name_and_type(client: httpx.AsyncClient):
    everyone = (await ask(client, PROVIDERS))["data"]["providers"]
    assert everyone["totalCount"] == 4 and len(everyone["edges"]) == 4
    ids = [edge["node"]["id"] for edge in everyone["edges"]]
    assert ids == sorted(ids)  # id order: random, stable
    courts = (await ask(client, PROVIDERS, name="法院"))["data"]["providers"]
    assert courts["totalCount"] == 1 and courts["edges"][0]["node"]["code"] == "11430102760543217L"
    agencies = (await ask(client, PROVIDERS, type="GOVERNMENT_AGENCY"))["data"]["providers"]
    assert {edge["node"]["name"] for edge in agencies["edges"]} == {"湖南省市场监督管理局", "国家税务总局湖南省税务局"}
    both = (await ask(client, PROVIDERS, name="湖南", type="CREDIT_SERVICE_AGENCY"))["data"]["providers"]
    assert [edge["node"]["code"] for edge in both["edges"]] == ["91430100587654321X"]


async def test_providers_page_through_with_cursors_of_their_own(client: httpx.AsyncClient):
    first = (await ask(client, PROVIDERS, first=3))["data"]["providers"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await ask(client, PROVIDERS, first=3, after=first["pageInfo"]["endCursor"]))["data"]["providers"]
    assert second["pageInfo"]["hasNextPage"] is False
    codes = [edge["node"]["code"] for page in (first, second) for edge in page["edges"]]
    assert len(codes) == len(set(codes)) == 4
    subjects = await ask(client, "{ subjects(first: 1) { pageInfo { endCursor } } }")
    cursor = subjects["data"]["subjects"]["pageInfo"]["endCursor"]
    assert error_codes(await ask(client, PROVIDERS, after=cursor)) == ["BAD_USER_INPUT"]
    assert error_codes(await ask(client, PROVIDERS, name="  ")) == ["BAD_USER_INPUT"]


async def test_unknown_subject_and_record_are_null(client: httpx.AsyncClient):
    body = await ask(client, '{ subject(code: "91350100M000100Y43") { id } record(id: "NOPE") { id } }')
    assert body == {"data": {"subject": None, "record": None}}


async def test_malformed_code_is_bad_user_input_naming_the_check_character(client: httpx.AsyncClient):
    body = await ask(client, '{ subject(code: "91350100M000100Y44") { id } }')
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "expected 3" in body["errors"][0]["message"]


async def test_page_size_over_100_is_refused(client: httpx.AsyncClient):
    body = await ask(client, "{ subjects(first: 101) { totalCount } }")
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "between 0 and 100" in body["errors"][0]["message"]


async def test_a_refused_list_is_null_and_leaves_the_other_fields_in_place(client: httpx.AsyncClient):
    body = await ask(client, "{ fine: subjects(first: 1) { totalCount } tooMany: subjects(first: 101) { totalCount } }")
    assert error_codes(body) == ["BAD_USER_INPUT"] and body["errors"][0]["path"] == ["tooMany"]
    assert body["data"]["tooMany"] is None and body["data"]["fine"]["totalCount"] > 0


async def test_forged_cursor_is_refused(client: httpx.AsyncClient):
    body = await ask(client, '{ subjects(after: "not-a-cursor") { totalCount } }')
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_bad_region_is_refused(client: httpx.AsyncClient):
    body = await ask(client, '{ subjects(region: "110100") { totalCount } }')
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_unknown_field_is_bad_user_input_without_suggestions(client: httpx.AsyncClient):
    body = await ask(client, "{ subjectz { id } }")
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "Did you mean" not in body["errors"][0]["message"]


async def test_too_deep_query_is_refused_before_it_runs(client: httpx.AsyncClient):
    nested = "legalRepresentative { " * 12 + "id" + " }" * 12
    body = await ask(client, f'{{ subject(code: "{COMPANY}") {{ {nested} }} }}')
    assert error_codes(body) == ["LIMIT_EXCEEDED"]


async def test_too_many_aliases_are_refused(client: httpx.AsyncClient):
    aliases = " ".join(f"a{i}: catalog {{ id }}" for i in range(16))
    body = await ask(client, f"{{ {aliases} }}")
    assert error_codes(body) == ["LIMIT_EXCEEDED"]


async def test_errors_carry_the_request_id_of_the_response(client: httpx.AsyncClient):
    """The request id is the server's own; the caller's X-Request-Id comes back as its correlation id."""
    response = await client.post("/graphql", json={"query": "{ nope }"}, headers={"X-Request-Id": "trace-42"})
    assert response.headers["X-Correlation-Id"] == "trace-42"
    assert response.json()["errors"][0]["extensions"]["requestId"] == response.headers["X-Request-Id"] != "trace-42"


async def test_oversized_request_body_is_refused(client: httpx.AsyncClient):
    response = await client.post(
        "/graphql", content=b"{" + b" " * 300_000 + b"}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_health_and_readiness(client: httpx.AsyncClient, store: Store):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}


async def test_graphiql_is_served_in_development(client: httpx.AsyncClient):
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


async def test_answers_are_json_in_utf8_and_text_that_is_not_utf8_is_escaped(client: httpx.AsyncClient):
    response = await client.post("/graphql", json={"query": "{ catalog { name } }"})
    names = [item["name"] for item in response.json()["data"]["catalog"]]
    assert any(not name.isascii() for name in names)
    assert all(name.encode() in response.content for name in names)  # as UTF-8, not as \u escapes
    assert json.loads(encoded({"data": {"text": "a\ud800b"}})) == {"data": {"text": "a\ud800b"}}  # half a pair
