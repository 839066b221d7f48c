"""An AGENCY declares why it reads credit data (X-Query-Purpose, Art. 20): without a purpose every read of subjects,
records, listings, reports and lookups is refused with PURPOSE_REQUIRED, its mutations' own reads included, never
answered with the public view in silence; what reads no credit data (the catalog, the query application catalog,
providers, revoking one's own document) needs no purpose."""

import os
from collections.abc import AsyncIterator

import httpx
import pytest

from credit.model import Category
from graph_store.connection import Store
from intake.importer import ImportFailed
from server import settings as settings_module

from .adversarial.test_masking import IdOf, walks
from .conftest import (
    COMPANY,
    COURT,
    CREDIT_AGENCY,
    MARKET_REGULATOR,
    PERSON,
    PURPOSE,
    RESTAURANT,
    actor_of,
    ask,
    error_codes,
    headers,
    load,
    make_app,
)
from .test_access_log import audit
from .test_measures_and_listings import SERVE
from .test_relations import CONNECTION, RELATED, RISK
from .test_revoked_documents import REASON, REVOKE
from .test_server import app_client

WITHOUT_PURPOSE = headers("AGENCY", MARKET_REGULATOR)
PUBLIC_REFERENCE = {"catalog", "queryPurposes", "provider", "providers", "viewer"}
"""Root fields that read no credit data: the published catalog and its providers (Art. 10), the query application
catalog (Art. 20), and the viewer itself."""


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        ("query($c: String!) { subject(code: $c) { name } }", {"c": COMPANY}),
        ('{ subjects(nameContains: "星辰") { totalCount } }', {}),
        ('{ record(id: "REC-REG-0001") { title } }', {}),
        ("query($c: String!) { creditReport(code: $c) { madeAt } }", {"c": COMPANY}),
        ("{ seriousDishonestyList { totalCount } }", {}),
        (RELATED, {"code": COMPANY, "hops": 1}),
        (RISK, {"code": PERSON}),
        (CONNECTION, {"from": PERSON, "to": COMPANY, "hops": 2}),
    ],
    ids=["subject", "subjects", "record", "credit-report", "serious-dishonesty-list", "related", "risk", "connection"],
)
async def test_an_agency_without_a_purpose_is_refused_every_read_of_credit_data(
    sample_store: Store, client: httpx.AsyncClient, document: str, variables: dict[str, object]
):
    body = await ask(client, document, WITHOUT_PURPOSE, **variables)
    assert error_codes(body) == ["PURPOSE_REQUIRED"]
    message = body["errors"][0]["message"]
    assert "X-Query-Purpose" in message and "query application catalog" in message
    assert not any((body.get("data") or {}).values())  # nothing of the public view either
    with_purpose = await ask(client, document, headers("AGENCY", MARKET_REGULATOR, PURPOSE), **variables)
    assert not {"PURPOSE_REQUIRED", "BAD_USER_INPUT"} & set(error_codes(with_purpose))  # the document is sound


@pytest.fixture(scope="module")
async def walker(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with its document limits opened, to ask every field of the schema at once (test_masking)."""
    opened = {"GRAPHQL_MAX_COST": "10000000", "GRAPHQL_MAX_TOKENS": "100000"}
    app = make_app(settings_module.load(dict(os.environ) | opened))
    async with app.router.lifespan_context(app), app_client(app) as http:
        yield http


async def subject_id(store: Store, code: str) -> str:
    [row] = await store.read("MATCH (s:Subject {code: $code}) RETURN s.id AS id", code=code)
    return str(row["id"])


async def test_no_root_field_gives_an_agency_without_a_purpose_credit_data(
    sample_store: Store, walker: httpx.AsyncClient
):
    """Every root query, with every field below it: refused for want of a purpose, refused to an AGENCY anyway
    (FORBIDDEN: the logs, consents, notices, objections), or public reference data."""
    answered = set()
    for root, document, arguments in walks():
        variables = {
            name: (await subject_id(sample_store, value.code)) if isinstance(value, IdOf) else value
            for name, value in arguments.items()
        }
        body = await ask(walker, document, WITHOUT_PURPOSE, **variables)
        codes = set(error_codes(body))
        assert codes <= {"PURPOSE_REQUIRED", "FORBIDDEN"}, (root, body)
        if not codes:
            answered.add(root)
    assert answered == PUBLIC_REFERENCE


async def test_the_refusal_is_logged_as_a_denial_without_a_purpose(sample_store: Store, client: httpx.AsyncClient):
    body = await ask(client, "query Look($c: String!) { subject(code: $c) { name } }", WITHOUT_PURPOSE, c=COMPANY)
    assert error_codes(body) == ["PURPOSE_REQUIRED"]
    entries = await sample_store.read(
        "MATCH (e:AccessLogEntry {actorId: $actor}) RETURN e.decision AS decision, e.purpose AS purpose, "
        "e.operation AS operation ORDER BY e.seq DESC LIMIT 1",
        actor=actor_of("AGENCY", MARKET_REGULATOR),
    )
    assert entries == [{"decision": "DENIED", "purpose": None, "operation": "query Look (subject)"}]


async def test_the_report_page_tells_an_agency_without_a_purpose_what_to_send(
    sample_store: Store, client: httpx.AsyncClient
):
    page = await client.get(f"/reports/{COMPANY}", headers=WITHOUT_PURPOSE)
    assert page.status_code == 403 and "X-Query-Purpose" in page.text
    assert page.headers["X-Request-Id"] in page.text


async def test_an_agency_mutation_that_reads_credit_data_needs_a_purpose_and_changes_nothing_without_one(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    notice = {"subjectCode": RESTAURANT, "kind": "PRE_MEASURE", "recordIds": ["REC-TAX-0001"], "text": "拟采取监管措施"}
    body = await ask(client, SERVE, WITHOUT_PURPOSE, input=notice)
    assert error_codes(body) == ["PURPOSE_REQUIRED"]
    assert await fresh_sample_store.read("MATCH (n:Notice) RETURN n.id") == []
    served = await ask(client, SERVE, headers("AGENCY", MARKET_REGULATOR, PURPOSE), input=notice)
    assert "errors" not in served


async def test_what_reads_no_credit_data_needs_no_purpose(fresh_sample_store: Store, client: httpx.AsyncClient):
    reference = await ask(
        client, f'{{ catalog {{ id }} provider(code: "{COURT}") {{ name }} }}', headers("AGENCY", COURT)
    )
    assert "errors" not in reference and reference["data"]["catalog"]
    revoked = await ask(
        client, REVOKE, headers("AGENCY", COURT), input={"documentId": "DOC-2024-COURT-0001", "reason": REASON}
    )
    assert "errors" not in revoked and revoked["data"]["revokeDocument"]["document"]["status"] == "REVOKED"


QUERY_PURPOSES = "{ queryPurposes { code name } }"


@pytest.mark.parametrize(
    "viewer",
    [headers(), WITHOUT_PURPOSE, headers("SUBJECT", PERSON), headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE)],
    ids=["anonymous", "agency-without-a-purpose", "subject", "credit-service"],
)
async def test_the_query_application_catalog_is_published(
    fresh_sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    """Art. 20: every purpose an agency may declare, by code, for everyone; reference data, so no access-log entry."""
    body = await ask(client, QUERY_PURPOSES, viewer)
    assert "errors" not in body, body
    assert body["data"]["queryPurposes"] == [
        {"code": "ADMINISTRATIVE_LICENSING_REVIEW", "name": "行政许可审查"},
        {"code": "PUBLIC_PROCUREMENT_REVIEW", "name": "政府采购供应商审查"},
    ]
    assert await audit(client) == []


async def test_a_get_reading_only_the_query_application_catalog_may_be_cached(
    sample_store: Store, client: httpx.AsyncClient
):
    response = await client.get("/graphql", params={"query": QUERY_PURPOSES}, headers=WITHOUT_PURPOSE)
    assert response.status_code == 200 and [purpose["code"] for purpose in response.json()["data"]["queryPurposes"]]
    assert response.headers["Cache-Control"] == "public, max-age=60"


NARROW_PURPOSE = "COMMENDATION_REVIEW"
NARROW = {
    "kind": "queryPurpose",
    "code": NARROW_PURPOSE,
    "name": "评先评优审查",
    "categories": ["COMMENDATION", "OTHER"],
}
"""A purpose that serves two categories; the sample's purposes name none, so they serve every category."""


@pytest.fixture
async def narrow_client(fresh_sample_store: Store) -> AsyncIterator[httpx.AsyncClient]:
    """The sample with NARROW in the catalog, and an app of its own: the catalog an app read is kept a minute."""
    await load(fresh_sample_store, [NARROW])
    app = make_app(settings_module.load())
    async with app.router.lifespan_context(app), app_client(app) as http:
        yield http


async def test_an_agency_reads_government_sharing_records_only_in_the_categories_its_purpose_serves(
    narrow_client: httpx.AsyncClient,
):
    """Arts. 20-21: REC-TAX-0001 is a GOVERNMENT_SHARING administrative penalty."""
    query = 'query($c: String!) { record(id: "REC-TAX-0001") { id } subject(code: $c) { records { edges { node { id } } } } }'
    broad = await ask(narrow_client, query, headers("AGENCY", COURT, PURPOSE), c=RESTAURANT)
    assert broad["data"]["record"] == {"id": "REC-TAX-0001"}
    narrow = await ask(narrow_client, query, headers("AGENCY", COURT, NARROW_PURPOSE), c=RESTAURANT)
    assert "errors" not in narrow and narrow["data"]["record"] is None
    assert "REC-TAX-0001" not in str(narrow["data"]["subject"])


async def test_the_query_application_catalog_names_the_categories_each_purpose_serves(
    narrow_client: httpx.AsyncClient,
):
    body = await ask(narrow_client, "{ queryPurposes { code categories } }", headers())
    categories = {purpose["code"]: purpose["categories"] for purpose in body["data"]["queryPurposes"]}
    assert categories[NARROW_PURPOSE] == ["COMMENDATION", "OTHER"]
    assert categories[PURPOSE] == [category.value for category in Category]  # none named: every category


async def test_a_purpose_line_naming_an_unknown_category_is_refused(fresh_sample_store: Store):
    with pytest.raises(ImportFailed) as failure:
        await load(fresh_sample_store, [NARROW | {"categories": ["GOSSIP"]}])
    assert "GOSSIP" in str(failure.value)
    assert await fresh_sample_store.read("MATCH (q:QueryPurpose {code: $code}) RETURN q", code=NARROW_PURPOSE) == []
