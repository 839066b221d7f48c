"""Every root field and mutation, fuzzed from the published schema as four viewers: nothing answers 5xx or INTERNAL,
and every error carries a code.

Each example is one document (tests/adversarial/operations.py) sent as an anonymous
visitor, a SUBJECT, an AGENCY with a purpose and an ADMIN, against the sample graph
plus what the mutations need to act on (an objection, notices, a listing, a repair
application, a consent). Refusals with a code (BAD_USER_INPUT, NOT_FOUND, FORBIDDEN,
CONFLICT, LIMIT_EXCEEDED, ...) are fine answers to odd input; a 5xx, an INTERNAL, or
an error without `extensions.code` is a bug. Examples are derandomized, so CI runs
the same ones each time; CREDIT_GRAPH_FUZZ_EXAMPLES runs more of them locally.
"""

import os
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_store.connection import Store
from graph_store.declarations import ensure_platform

from ..conftest import COMPANY, MARKET_REGULATOR, PURPOSE, headers, sample_objects
from .operations import ROOT_FIELDS, Known, known_in, operations

FUZZ = settings(
    max_examples=int(os.environ.get("CREDIT_GRAPH_FUZZ_EXAMPLES", "15")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def viewers() -> dict[str, dict[str, str]]:
    """The headers of each viewer, their tokens issued once (a new token each request would be verified each time)."""
    return {
        "anonymous": headers(),
        "SUBJECT": headers("SUBJECT", COMPANY),
        "AGENCY": headers("AGENCY", MARKET_REGULATOR, PURPOSE),
        "ADMIN": headers("ADMIN", "ADMIN-1"),
    }


async def made(client: httpx.AsyncClient, viewer: dict[str, str], mutation: str, **variables: Any) -> str:
    response = await client.post("/graphql", json={"query": mutation, "variables": variables}, headers=viewer)
    body = response.json()
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    (changed,) = payload.values()  # the one object the mutation made
    return str(changed["id"])


@pytest.fixture(scope="module")
async def known(sample_store: Store, client: httpx.AsyncClient) -> Known:
    """The sample's codes and ids, and those of things only mutations make, for the fuzz to aim at."""
    await ensure_platform(
        sample_store
    )  # what `migrate` puts in place and the sample's wipe took away: declare needs it
    subject, agency = headers("SUBJECT", COMPANY), headers("AGENCY", MARKET_REGULATOR, PURPOSE)
    serve = "mutation($input: ServeNoticeInput!) { serveNotice(input: $input) { notice { id } } }"
    notice = {"subjectCode": COMPANY, "recordIds": ["REC-JD-0001"], "text": "本机关拟对你单位采取以下措施。"}
    listing = {"ground": "DEFYING_OBLIGATIONS", "basis": "第二十四条", "removalConditions": "履行判决义务"}
    pre_listing = await made(client, agency, serve, input={**notice, "kind": "PRE_LISTING", **listing})
    await made(
        client,
        subject,
        "mutation($input: WaiveDefenceInput!) { waiveDefence(input: $input) { notice { id } } }",
        input={"noticeId": pre_listing},
    )  # the company gives up its defence period: the listing is decided at once
    made_ids = [
        await made(client, agency, serve, input={**notice, "kind": "PRE_MEASURE"}),
        pre_listing,
        await made(
            client, agency,
            "mutation($input: ListSeriousDishonestyInput!) { listSeriousDishonesty(input: $input) { listing { id } } }",
            input={"subjectCode": COMPANY, "recordIds": ["REC-JD-0001"], "noticeId": pre_listing, **listing},
        ),
        await made(
            client, subject,
            "mutation($input: FileObjectionInput!) { fileObjection(input: $input) { objection { id } } }",
            input={"recordId": "REC-REG-0001", "reason": "注册资本登记有误"},
        ),
        await made(
            client, subject,
            "mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { repairApplication { id } } }",
            input={"recordId": "REC-JD-0001", "statement": "已履行", "evidence": ["结案通知书"]},
        ),
        await made(
            client, subject,
            "mutation($input: GrantConsentInput!) { grantConsent(input: $input) { consent { id } } }",
            input={"granteeCode": MARKET_REGULATOR, "purpose": PURPOSE, "categories": ["OTHER"],
                   "expiresAt": "2030-01-01T00:00:00+08:00"},
        ),
    ]  # fmt: skip
    return known_in(sample_objects(), made_ids)


def faults(response: httpx.Response) -> list[str]:
    """What in an answer is a bug rather than a refusal: a 5xx, a body that is not GraphQL, an INTERNAL error or one
    without a code."""
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}"]
    try:
        body = response.json()
    except ValueError:
        return [f"HTTP {response.status_code} answered without a JSON body: {response.text[:200]!r}"]
    found = []
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None or code == "INTERNAL":
            found.append(f"{code or 'no code'}: {error.get('message')}")
    return found


@pytest.mark.parametrize(("kind", "field"), ROOT_FIELDS, ids=[field for _, field in ROOT_FIELDS])
@FUZZ
@given(data=st.data())
async def test_no_document_from_the_schema_answers_5xx_internal_or_an_error_without_a_code(
    client: httpx.AsyncClient,
    viewers: dict[str, dict[str, str]],
    known: Known,
    kind: str,
    field: str,
    data: st.DataObject,
):
    document, variables = data.draw(operations(kind, field, known), label="operation")
    found = {}
    for viewer, viewer_headers in viewers.items():
        response = await client.post(
            "/graphql", json={"query": document, "variables": variables}, headers=viewer_headers
        )
        if problems := faults(response):
            found[viewer] = problems
    assert found == {}, f"{document}\nvariables: {variables}"
