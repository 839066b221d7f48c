"""`viewer`: who is asking, and what the policy lets them do, each capability exactly what its operation allows."""

import datetime
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from graph_store import notices
from graph_store.connection import Store
from graph_store.declarations import ensure_platform
from schema import schema

from .adversarial.test_masking import VIEWERS as MASKING_VIEWERS
from .conftest import (
    COMPANY,
    COURT,
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
from .test_corrections import CONTENT as REGISTRATION_CONTENT
from .test_measures_and_listings import APPLY, LIST, LISTING, MEASURE, REMOVE, SERVE, WAIVE, listed, waived
from .test_objections import ASSIST, DECIDE, FILE
from .test_repairs import APPLY as APPLY_REPAIR
from .test_repairs import DECIDE as DECIDE_REPAIR

VIEWER = "{ viewer { anonymous role unit name purpose { id code name } } }"
CAN = " ".join(schema._schema.type_map["Capabilities"].fields)  # type: ignore[attr-defined]
CAPABILITIES = f"{{ viewer {{ can {{ {CAN} }} }} }}"
OPEN_TO_EVERYONE = {
    "subject", "subjects", "record", "creditReport", "catalog", "queryPurposes", "provider", "providers",
    "seriousDishonestyList", "viewer",
}  # fmt: skip
"""The root fields no viewer is refused (what each returns is what the viewer may see)."""
REFUSED = {"FORBIDDEN", "NOT_FOUND", "PURPOSE_REQUIRED"}
"""How an operation refuses who may not use it: FORBIDDEN for a whole kind, NOT_FOUND for an object (as if none),
PURPOSE_REQUIRED for an AGENCY that reads credit data without a declared purpose."""


def days_ago(days: int) -> str:
    return (SAMPLE_DAY - datetime.timedelta(days=days)).isoformat()


EXTRA: list[dict[str, Any]] = [
    # Something of its own for every viewer whose role a rule names: a record about the other person (a general
    # penalty past its three months, so repairable), a dishonesty record the credit agency supplied, a document it
    # issued, a consent and a measure on every subject.
    {"kind": "document", "id": "DOC-OTHER", "type": "PENALTY_DECISION", "number": "湘市监处罚〔2026〕8号",
     "issuerCode": MARKET_REGULATOR, "issuedAt": days_ago(120), "subjectCode": OTHER_PERSON},
    {"kind": "record", "id": "REC-PEN-OTHER", "subjectCode": OTHER_PERSON, "providerCode": MARKET_REGULATOR,
     "catalogItemId": "CAT-AMR-PEN", "title": "无照经营行政处罚", "nature": "DISHONEST", "severity": "GENERAL",
     "confirmedAt": days_ago(120), "documentIds": ["DOC-OTHER"],
     "content": {"decisionNumber": "湘市监处罚〔2026〕8号", "violation": "无照经营"}},
    {"kind": "document", "id": "DOC-CSA", "type": "OTHER", "number": "湘信评〔2026〕1号", "issuerCode": CREDIT_AGENCY,
     "issuedAt": days_ago(30), "subjectCode": PERSON},
    {"kind": "record", "id": "REC-CSA-DIS", "subjectCode": PERSON, "providerCode": CREDIT_AGENCY,
     "catalogItemId": "CAT-CSA-EVAL", "title": "个人信用评价（失信）", "nature": "DISHONEST", "severity": "GENERAL",
     "confirmedAt": days_ago(30), "documentIds": ["DOC-CSA"], "content": {"rating": "C", "ratedOn": days_ago(30)}},
    *[{"kind": "consent", "id": f"CON-{code}", "subjectCode": code, "granteeCode": CREDIT_AGENCY, "purpose": PURPOSE,
       "categories": ["OTHER"], "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2030-01-01T00:00:00+08:00"}
      for code in (COMPANY, OTHER_PERSON)],
    *[{"kind": "measure", "id": f"MEA-{code}", "type": "INCENTIVE", "subjectCode": code,
       "implementedByCode": MARKET_REGULATOR, "item": "优先办理", "means": "绿色通道", "basis": "第十九条",
       "startsAt": "2026-01-01", "endsAt": "2030-12-31"} for code in (PERSON, OTHER_PERSON)],
]  # fmt: skip

VIEWERS = MASKING_VIEWERS | {
    "agency-without-purpose": ("AGENCY", COURT, None),
    "credit-service-with-consent": ("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE),
}
"""The masking walk's viewers, and two whose capabilities differ from a neighbour's only by purpose or consent."""


class Graph:
    """What the probes act on: the sample, EXTRA, and what only mutations make (objections, repair applications,
    listings by two agencies), made by the parties entitled to make them."""

    def __init__(self) -> None:
        self.objections: list[str] = []
        self.applications: list[str] = []
        self.listings: list[str] = []
        self.notices: list[str] = []

    async def make(self, client: httpx.AsyncClient, store: Store) -> "Graph":
        for subject, record in ((COMPANY, "REC-REG-0001"), (PERSON, "REC-CSA-0001")):
            body = await ask(client, FILE, headers("SUBJECT", subject), input={"recordId": record, "reason": "有误"})
            self.objections.append(body["data"]["fileObjection"]["objection"]["id"])
        on_measure = {"measureId": "MEA-0001", "reason": "措施有误"}  # implemented by the court
        body = await ask(client, FILE, headers("SUBJECT", COMPANY), input=on_measure)
        assert "errors" not in body, body
        self.objections.append(body["data"]["fileObjection"]["objection"]["id"])
        for subject, record in ((OTHER_PERSON, "REC-PEN-OTHER"), (PERSON, "REC-CSA-DIS")):
            body = await ask(client, APPLY_REPAIR, headers("SUBJECT", subject),
                             input={"recordId": record, "statement": "已整改", "evidence": ["整改报告"]})  # fmt: skip
            assert "errors" not in body, body
            self.applications.append(body["data"]["applyForRepair"]["repairApplication"]["id"])
        self.listings.append((await listed(client))["id"])  # by the market regulator
        court = headers("AGENCY", COURT, PURPOSE)
        notice = await ask(client, SERVE, court, input={"subjectCode": COMPANY, "kind": "PRE_LISTING",
                                                        "recordIds": ["REC-JD-0001"], "text": "拟列入", **LISTING})  # fmt: skip
        await waived(client, notice["data"]["serveNotice"]["notice"], COMPANY)
        listing = await ask(client, LIST, court, input={"subjectCode": COMPANY, "recordIds": ["REC-JD-0001"],
                                                        "noticeId": notice["data"]["serveNotice"]["notice"]["id"], **LISTING})  # fmt: skip
        assert "errors" not in listing, listing
        self.listings.append(listing["data"]["listSeriousDishonesty"]["listing"]["id"])
        for code in (COMPANY, PERSON, OTHER_PERSON):  # a notice each subject may still defend itself on
            [found] = await store.read("MATCH (s:Subject {code: $code}) RETURN s.id AS id", code=code)
            served = await notices.serve_before_acting(
                store,
                {"id": f"NOT-{code}", "kind": "PRE_MEASURE", "text": "拟采取措施", "subjectId": found["id"],
                 "servedByCode": MARKET_REGULATOR, "recordIds": [], "rights": "权利", "ground": None, "basis": None,
                 "removalConditions": None, "defenceUntil": SAMPLE_DAY + datetime.timedelta(days=7),
                 "defenceUntilProvisional": False},
                suite_clock(),
            )  # fmt: skip
            self.notices.append(served["id"])
        return self


Attempts = Callable[[Graph], list[tuple[str, dict[str, Any]]]]
"""The documents (with variables) that try an operation, one per object it could act on."""


def once(document: str, variables: dict[str, Any]) -> Attempts:
    """An operation on a whole kind, or on the viewer's own subject: one attempt."""
    return lambda graph: [(document, variables)]


RECORDS = [
    "REC-REG-0001",
    "REC-PEN-0001",
    "REC-JD-0001",
    "REC-TAX-0001",
    "REC-CSA-0001",
    "REC-PEN-OTHER",
    "REC-CSA-DIS",
]
CORRECTIONS = {"REC-REG-0001": REGISTRATION_CONTENT, "REC-CSA-0001": {"rating": "A", "ratedOn": "2025-10-01"},
               "REC-CSA-DIS": {"rating": "B", "ratedOn": days_ago(30)},
               "REC-PEN-OTHER": {"decisionNumber": "湘市监处罚〔2026〕8号", "violation": "无照经营（更正）"}}  # fmt: skip
DOCUMENTS = ["DOC-2025-AMR-0001", "DOC-2024-COURT-0001", "DOC-2025-TAX-0001", "DOC-CSA", "DOC-OTHER"]
MEASURES = ["MEA-0001", "MEA-0002", f"MEA-{PERSON}", f"MEA-{OTHER_PERSON}"]
CONSENTS = ["CON-0001", f"CON-{COMPANY}", f"CON-{OTHER_PERSON}"]
STATEMENT = "mutation($input: SubmitStatementInput!) { submitStatement(input: $input) { statement { id } } }"
CORRECT = "mutation($input: CorrectRecordInput!) { correctRecord(input: $input) { record { id } } }"
REVOKE_DOCUMENT = "mutation($input: RevokeDocumentInput!) { revokeDocument(input: $input) { document { id } } }"
AMEND_DOCUMENT = "mutation($input: AmendDocumentInput!) { amendDocument(input: $input) { document { id } } }"
GRANT = "mutation($input: GrantConsentInput!) { grantConsent(input: $input) { consent { id } } }"
REVOKE_CONSENT = "mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { consent { id } } }"
DECLARE = "mutation($input: DeclareInput!) { declare(input: $input) { record { id } } }"
PUBLISH = "mutation($input: PublishRecordInput!) { publishRecord(input: $input) { record { id } } }"
WITHDRAW = "mutation($input: WithdrawPublicationInput!) { withdrawPublication(input: $input) { record { id } } }"

PROBES: dict[str, Attempts] = {  # in an order where no probe spoils what a later one acts on
    "myAccessLog": once("{ myAccessLog { totalCount } }", {}),
    "accessLog": once("{ accessLog { totalCount } }", {}),
    "myConsents": once("{ myConsents { id } }", {}),
    "myNotices": once("{ myNotices { id } }", {}),
    "objections": once("{ objections { totalCount } }", {}),
    "repairApplications": once("{ repairApplications { totalCount } }", {}),
    "myObjections": once("{ myObjections { totalCount } }", {}),
    "myRepairApplications": once("{ myRepairApplications { totalCount } }", {}),
    "relatedSubjects": once(f'{{ relatedSubjects(code: "{COMPANY}") {{ totalCount }} }}', {}),
    "connection": once(f'{{ connection(fromCode: "{COMPANY}", toCode: "{RESTAURANT}") {{ hops }} }}', {}),
    "riskNetwork": once(f'{{ riskNetwork(code: "{COMPANY}") {{ totalCount }} }}', {}),
    "grantConsent": once(
        GRANT,
        {
            "input": {
                "granteeCode": CREDIT_AGENCY,
                "purpose": PURPOSE,
                "categories": ["OTHER"],
                "expiresAt": "2031-01-01T00:00:00+08:00",
            }
        },
    ),
    "declare": once(DECLARE, {"input": {"kind": "COMMITMENT", "title": "信用承诺", "content": "诚信经营"}}),
    "fileObjection": lambda graph: [
        *[(FILE, {"input": {"recordId": record, "reason": "有误"}}) for record in RECORDS],
        (FILE, {"input": {"providerCode": CREDIT_AGENCY, "kind": "OMISSION", "reason": "漏报"}}),
    ],
    "publishRecord": lambda graph: [(PUBLISH, {"input": {"recordId": record}}) for record in RECORDS],
    "withdrawPublication": lambda graph: [(WITHDRAW, {"input": {"recordId": record}}) for record in RECORDS],
    "applyForRepair": lambda graph: [
        (APPLY_REPAIR, {"input": {"recordId": record, "statement": "已整改", "evidence": ["整改报告"]}})
        for record in RECORDS
    ],
    "submitStatement": lambda graph: [
        (STATEMENT, {"input": {"targetId": target, "text": "申辩"}})
        for target in [*MEASURES, *graph.listings, *graph.notices]
    ],
    "waiveDefence": lambda graph: [(WAIVE, {"input": {"noticeId": notice}}) for notice in graph.notices],
    "correctRecord": lambda graph: [
        (CORRECT, {"input": {"recordId": record, "title": "更正", "content": content, "reason": "录入错误"}})
        for record, content in CORRECTIONS.items()
    ],
    "requestAssistance": lambda graph: [
        (ASSIST, {"input": {"objectionId": objection}}) for objection in graph.objections
    ],
    "decideObjection": lambda graph: [
        (DECIDE, {"input": {"objectionId": objection, "outcome": "REJECTED", "reply": "经核实无误"}})
        for objection in graph.objections
    ],
    "decideRepair": lambda graph: [
        (DECIDE_REPAIR, {"input": {"applicationId": application, "approve": False, "reason": "证据不足"}})
        for application in graph.applications
    ],
    "serveNotice": once(
        SERVE,
        {"input": {"subjectCode": COMPANY, "kind": "PRE_MEASURE", "recordIds": ["REC-JD-0001"], "text": "拟采取措施"}},
    ),
    "applyMeasure": once(APPLY, {"input": {"subjectCode": COMPANY, "type": "INCENTIVE", "recordIds": [], **MEASURE}}),
    "listSeriousDishonesty": once(
        LIST, {"input": {"subjectCode": COMPANY, "recordIds": ["REC-JD-0001"], "noticeId": "NOT-NONE", **LISTING}}
    ),
    "revokeConsent": lambda graph: [(REVOKE_CONSENT, {"input": {"consentId": consent}}) for consent in CONSENTS],
    "removeListing": lambda graph: [
        (REMOVE, {"input": {"listingId": listing, "reason": "已履行"}}) for listing in graph.listings
    ],
    "amendDocument": lambda graph: [
        (
            AMEND_DOCUMENT,
            {"input": {"documentId": document, "number": "更正文号", "issuedOn": "2025-01-02", "reason": "文号更正"}},
        )
        for document in DOCUMENTS
    ],
    "revokeDocument": lambda graph: [
        (REVOKE_DOCUMENT, {"input": {"documentId": document, "reason": "已撤销"}}) for document in DOCUMENTS
    ],
}


async def test_the_viewer_is_the_principal_with_the_purpose_it_declared(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    anonymous = await ask(client, VIEWER, headers())
    assert anonymous == {"data": {"viewer": {"anonymous": True, "role": None, "unit": None, "name": None,
                                             "purpose": None}}}  # fmt: skip
    agency = await ask(client, VIEWER, headers("AGENCY", COURT, PURPOSE))
    assert agency["data"]["viewer"] == {
        "anonymous": False, "role": "AGENCY", "unit": COURT, "name": "测试用户",
        "purpose": {"id": PURPOSE, "code": PURPOSE, "name": "行政许可审查"},
    }  # fmt: skip


async def test_reading_the_viewer_writes_no_access_log_entry(fresh_sample_store: Store, client: httpx.AsyncClient):
    """It is the principal's own token, the public catalog and the policy: no credit data about anyone."""
    count = "MATCH (entry:AccessLogEntry) RETURN count(entry) AS entries"
    everything = f"{{ viewer {{ anonymous role unit name purpose {{ id code name }} can {{ {CAN} }} }} }}"
    for role, unit, purpose in VIEWERS.values():
        body = await ask(client, everything, headers(role, unit, purpose))
        assert "errors" not in body, body
    assert await fresh_sample_store.read(count) == [{"entries": 0}]


def test_every_operation_is_open_to_everyone_or_has_a_capability():
    capabilities = set(schema._schema.type_map["Capabilities"].fields)  # type: ignore[attr-defined]
    queries, mutations = schema._schema.query_type, schema._schema.mutation_type
    assert queries is not None and mutations is not None
    operations = set(queries.fields) | set(mutations.fields)
    assert capabilities == operations - OPEN_TO_EVERYONE and capabilities == set(PROBES)
    description = schema._schema.type_map["Capabilities"].description or ""
    assert all(name in description for name in OPEN_TO_EVERYONE)


@pytest.mark.sample_day
@pytest.mark.parametrize("viewer", list(VIEWERS))
async def test_each_capability_is_what_its_operation_allows(store: Store, client: httpx.AsyncClient, viewer: str):
    """True exactly when the operation succeeds for this viewer on some object the graph has (or answers CONFLICT:
    allowed, but the law's conditions are not met, e.g. an objection already open); false when every attempt is
    refused as the operation refuses who may not use it."""
    await wipe(store)
    await ensure_platform(store)  # where declarations go
    await load(store, [*sample_objects(), *EXTRA])
    graph = await Graph().make(client, store)
    role, unit, purpose = VIEWERS[viewer]
    asking = headers(role, unit, purpose)
    can = (await ask(client, CAPABILITIES, asking))["data"]["viewer"]["can"]
    allowed = {}
    for operation, attempts in PROBES.items():
        allowed[operation] = False
        for document, variables in attempts(graph):
            codes = set(error_codes(await ask(client, document, asking, **variables)))
            assert codes <= REFUSED | {"CONFLICT"}, (operation, variables, codes)
            if not codes & REFUSED:
                allowed[operation] = True
                break
    assert can == allowed
