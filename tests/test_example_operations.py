"""The example operations of examples/operations/ (one file per screen; `make test` also type-checks them with
graphql-codegen and tsc) answer on the demo data as the role each screen is for, without an error."""

import datetime
from typing import Any

import httpx
from graphql import OperationDefinitionNode, parse

from graph_store.connection import Store
from server.graphiql import DEMO_PERSON

from .conftest import ROOT, headers

OPERATIONS = ROOT / "examples" / "operations"
DEMO_COMPANY = "91430482MA445YHKED"
"""常宁市辰安环保科技有限公司, among the demo data's first subjects (the README's tour shows it too)."""
DEMO_AGENCY = "11430000001242486D"
"""The provincial market regulator of the demo data's reference providers, the same on every seed."""
DEMO_CREDIT_SERVICE = "91430000001321676B"


def operations(screen: str) -> dict[str, str]:
    """Each operation of a screen's file by name, sent as a client sends it: the whole file and its name."""
    document = (OPERATIONS / f"{screen}.graphql").read_text(encoding="utf-8")
    return {
        definition.name.value: document
        for definition in parse(document).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    }


async def run(client: httpx.AsyncClient, screen: str, name: str, asking: dict[str, str], **variables: Any) -> Any:
    response = await client.post(
        "/graphql",
        json={"query": operations(screen)[name], "operationName": name, "variables": variables},
        headers=asking,
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, (name, body)
    assert all(answer is not None for answer in body["data"].values()), (name, body)
    return body["data"]


def test_there_is_a_file_for_each_screen_and_each_operation_is_named():
    assert sorted(path.stem for path in OPERATIONS.glob("*.graphql")) == [
        "company-search",
        "my-credit",
        "subject-check",
    ]
    for path in OPERATIONS.glob("*.graphql"):
        document = parse(path.read_text(encoding="utf-8"))
        definitions = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        assert definitions and all(d.name is not None for d in definitions)


async def test_the_public_company_search_and_detail_page(demo_store: Store, client: httpx.AsyncClient):
    anonymous = headers()
    found = await run(client, "company-search", "CompanySearch", anonymous, nameContains="科技")
    ids = {edge["node"]["code"]: edge["node"]["id"] for edge in found["subjects"]["edges"]}
    assert DEMO_COMPANY in ids
    detail = await run(client, "company-search", "CompanyDetail", anonymous, id=ids[DEMO_COMPANY])
    assert detail["subject"]["code"] == DEMO_COMPANY and detail["subject"]["records"]["totalCount"] > 0


async def test_a_persons_my_credit_page(demo_store: Store, client: httpx.AsyncClient, now: datetime.datetime):
    person = headers("SUBJECT", DEMO_PERSON)
    mine = await run(client, "my-credit", "MyCredit", person, code=DEMO_PERSON)
    assert mine["viewer"]["can"]["grantConsent"] and mine["creditReport"]["subject"]["code"] == DEMO_PERSON
    await run(client, "my-credit", "WhoReadMyData", person)
    picked = await run(client, "my-credit", "GranteePicker", person)
    assert DEMO_CREDIT_SERVICE in [edge["node"]["code"] for edge in picked["providers"]["edges"]]
    grant = {"granteeCode": DEMO_CREDIT_SERVICE, "purpose": "CREDIT_EVALUATION", "categories": ["OTHER"],
             "expiresAt": (now + datetime.timedelta(days=365)).isoformat(), "clientMutationId": "grant-1"}  # fmt: skip
    granted = await run(client, "my-credit", "GrantConsent", person, input=grant)
    assert granted["grantConsent"]["clientMutationId"] == "grant-1"
    consent = granted["grantConsent"]["consent"]["id"]
    revoked = await run(client, "my-credit", "RevokeConsent", person, consentId=consent, clientMutationId="revoke-1")
    assert revoked["revokeConsent"]["consent"]["status"] == "REVOKED"


async def test_an_agency_officers_subject_check(demo_store: Store, client: httpx.AsyncClient):
    officer = headers("AGENCY", DEMO_AGENCY, "MARKET_SUPERVISION")
    checked = await run(client, "subject-check", "SubjectCheck", officer, code=DEMO_COMPANY)
    assert checked["viewer"]["purpose"]["code"] == "MARKET_SUPERVISION" and not checked["subject"]["masked"]
    behind = await run(client, "subject-check", "WhoStandsBehind", officer, code=DEMO_COMPANY)
    assert behind["relatedSubjects"]["totalCount"] > 0
