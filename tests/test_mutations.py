"""The one way a mutation runs (resolvers/changes.py, `Mutation.run`): every mutation is described once and opens its
change only through it; a repeat of any of them (the same clientMutationId and input) answers the first object, read
back again, and changes nothing; whoever may not use a mutation at all is refused as before, in the same words."""

import ast
from pathlib import Path
from typing import Any

import httpx

from graph_store.connection import Store
from graph_store.declarations import ensure_platform
from resolvers.viewer import MUTATIONS
from schema import schema

from .conftest import (
    COMPANY,
    COURT,
    CREDIT_AGENCY,
    MARKET_REGULATOR,
    PERSON,
    PURPOSE,
    RESTAURANT,
    ask,
    error_codes,
    headers,
    load,
    sample_objects,
    wipe,
)
from .test_consents import grant_input
from .test_corrections import correction
from .test_declarations import COMMITMENT
from .test_measures_and_listings import LISTING, MEASURE, TAX_RECORD
from .test_repairs import application

ROOT = Path(__file__).resolve().parent.parent


def test_every_mutation_is_described_once():
    mutations = schema._schema.mutation_type
    assert mutations is not None
    names = [mutation.name for mutation in MUTATIONS]
    assert len(names) == len(set(names)) and set(names) == set(mutations.fields)


def test_only_mutation_run_opens_a_change():
    """No resolver calls change() itself, mints ids by hand or says on its own that a result is gone: that is
    Mutation.run's (and changes.minted's) alone."""
    wrong = []
    for path in sorted((ROOT / "resolvers").glob("*.py")):
        if path.name == "changes.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "change":
                wrong.append(f"{path.name}:{node.lineno} calls change()")
            if isinstance(node, ast.Import | ast.ImportFrom) and "uuid" in ast.unparse(node):
                wrong.append(f"{path.name}:{node.lineno} imports uuid")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "is gone" in node.value:
                wrong.append(f"{path.name}:{node.lineno} says a result is gone")
    assert wrong == []


def document(field: str, input_type: str, selection: str) -> str:
    return f"mutation($input: {input_type}!) {{ {field}(input: $input) {{ clientMutationId {selection} }} }}"


SUBJECT, OTHER_SUBJECT = headers("SUBJECT", COMPANY), headers("SUBJECT", PERSON)
REGULATOR, COURT_AS_PROVIDER = headers("PROVIDER", MARKET_REGULATOR), headers("PROVIDER", COURT)
AGENCY = headers("AGENCY", MARKET_REGULATOR, PURPOSE)

STEPS: list[tuple[str, str, dict[str, str], Any]] = [
    # (mutation, selection, who, input or a function of the answers so far)
    ("grantConsent", "consent { id status }", OTHER_SUBJECT, grant_input()),
    ("revokeConsent", "consent { id status }", OTHER_SUBJECT, {"consentId": "CON-0001"}),
    ("declare", "record { id nature }", SUBJECT, COMMITMENT),
    ("withdrawPublication", "record { id publishedBySubjectAt }", SUBJECT,
     lambda done: {"recordId": done["declare"]["record"]["id"]}),
    ("publishRecord", "record { id publishedBySubjectAt }", SUBJECT,
     lambda done: {"recordId": done["declare"]["record"]["id"]}),
    ("correctRecord", "record { id title versions { version } }", REGULATOR, correction()),
    ("fileObjection", "objection { id status record { id } }", SUBJECT, {"recordId": "REC-REG-0001", "reason": "有误"}),
    ("requestAssistance", "objection { id dueDate }", REGULATOR,
     lambda done: {"objectionId": done["fileObjection"]["objection"]["id"]}),
    ("decideObjection", "objection { id status }", REGULATOR,
     lambda done: {"objectionId": done["fileObjection"]["objection"]["id"], "outcome": "REJECTED", "reply": "无误"}),
    ("applyForRepair", "repairApplication { id status }", SUBJECT, application()),
    ("decideRepair", "repairApplication { id status }", COURT_AS_PROVIDER,
     lambda done: {"applicationId": done["applyForRepair"]["repairApplication"]["id"], "approve": False,
                   "reason": "证据不足"}),
    ("submitStatement", "statement { id text }", SUBJECT, {"targetId": "MEA-0001", "text": "已履行"}),
    ("amendDocument", "document { id number } versionedRecordIds", REGULATOR,
     {"documentId": "DOC-2025-AMR-0001", "number": "湘市监处罚〔2025〕12-1号", "issuedOn": "2025-06-11",
      "reason": "文号更正"}),
    ("revokeDocument", "document { id status } revokedRecordIds", headers("AGENCY", COURT),
     {"documentId": "DOC-2024-COURT-0001", "reason": "再审撤销"}),
    ("serveNotice", "notice { id kind }", AGENCY,
     {"subjectCode": RESTAURANT, "kind": "PRE_LISTING", "recordIds": [TAX_RECORD], "text": "拟列入", **LISTING}),
    ("waiveDefence", "notice { id defenceWaivedAt }", headers("SUBJECT", RESTAURANT),
     lambda done: {"noticeId": done["serveNotice"]["notice"]["id"]}),
    ("listSeriousDishonesty", "listing { id status }", AGENCY,
     lambda done: {"subjectCode": RESTAURANT, "recordIds": [TAX_RECORD],
                   "noticeId": done["serveNotice"]["notice"]["id"], **LISTING}),
    ("applyMeasure", "measure { id type }", AGENCY,
     {"subjectCode": RESTAURANT, "type": "INCENTIVE", "recordIds": [], **MEASURE}),
    ("removeListing", "listing { id status }", AGENCY,
     lambda done: {"listingId": done["listSeriousDishonesty"]["listing"]["id"], "reason": "已履行"}),
]  # fmt: skip

OBJECTS = "MATCH (n) WHERE NOT n:AccessLogEntry AND NOT n:AccessLogHead RETURN count(n) AS nodes"


async def test_a_repeat_of_every_mutation_answers_the_first_object_and_changes_nothing(
    store: Store, client: httpx.AsyncClient
):
    await wipe(store)
    await ensure_platform(store)
    await load(store, sample_objects())
    assert {step[0] for step in STEPS} == {mutation.name for mutation in MUTATIONS}
    done: dict[str, Any] = {}
    for field, selection, who, given in STEPS:
        query = document(field, f"{field[0].upper()}{field[1:]}Input", selection)
        input = {**(given(done) if callable(given) else given), "clientMutationId": f"once-{field}"}
        first = await ask(client, query, who, **{"input": input})
        assert "errors" not in first, (field, first)
        assert first["data"][field]["clientMutationId"] == f"once-{field}"
        before = await store.read(OBJECTS)
        again = await ask(client, query, who, **{"input": input})
        assert again == first, field
        assert await store.read(OBJECTS) == before, field
        done[field] = first["data"][field]


NOT_A_SUBJECT = "only a credit subject grants and revokes its consents: sign in with a SUBJECT token"
SELF_ONLY = "a credit subject declares about itself: sign in with a SUBJECT token (Art. 14)"
GRANT = document("grantConsent", "GrantConsentInput", "consent { id }")
REVOKE = document("revokeConsent", "RevokeConsentInput", "consent { id }")
DECLARE = document("declare", "DeclareInput", "record { id }")
SERVE = document("serveNotice", "ServeNoticeInput", "notice { id }")
APPLY = document("applyMeasure", "ApplyMeasureInput", "measure { id }")
LIST = document("listSeriousDishonesty", "ListSeriousDishonestyInput", "listing { id }")
NOTICE = {"subjectCode": COMPANY, "kind": "PRE_MEASURE", "recordIds": ["REC-JD-0001"], "text": "拟采取措施"}
REFUSALS = [
    (GRANT, grant_input(), NOT_A_SUBJECT),
    (REVOKE, {"consentId": "CON-0001"}, NOT_A_SUBJECT),
    (DECLARE, COMMITMENT, SELF_ONLY),
    (SERVE, NOTICE, "serving a written notice is for AGENCY users, acting for their agency"),
    (APPLY, {"subjectCode": COMPANY, "type": "INCENTIVE", "recordIds": [], **MEASURE},
     "applying a measure is for AGENCY users, acting for their agency"),
    (LIST, {"subjectCode": COMPANY, "recordIds": ["REC-JD-0001"], "noticeId": "NOT-NONE", **LISTING},
     "listing a subject is for AGENCY users, acting for their agency"),
]  # fmt: skip
SUBJECTS_ONLY, AGENCIES_ONLY = REFUSALS[:3], REFUSALS[3:]
OTHERS = {
    "anonymous": headers(),
    "provider": REGULATOR,
    "credit-service": headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE),
    "auditor": headers("AUDITOR"),
    "admin": headers("ADMIN", "ADMIN-1"),
}


async def test_who_may_not_use_a_mutation_at_all_is_refused_as_before(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    """FORBIDDEN, in the words that say whom the mutation is for, to every other kind of viewer."""
    wrong, asked = [], 0
    for who, viewer in OTHERS.items():
        for refusals, also in ((SUBJECTS_ONLY, AGENCY), (AGENCIES_ONLY, SUBJECT)):
            for query, input, message in refusals:
                for asking in (viewer, also):
                    body = await ask(client, query, asking, input=input)
                    asked += 1
                    if error_codes(body) != ["FORBIDDEN"] or body["errors"][0]["message"] != message:
                        wrong.append((who, query.split("{")[1], body.get("errors")))
    assert wrong == [] and asked == len(OTHERS) * len(REFUSALS) * 2


async def test_who_may_not_use_a_mutation_is_told_so_before_its_input_is_checked(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    """The gate comes first: a subject serving a notice with no records is told who serves notices, not that the
    notice needs records (an agency sending the same is told that)."""
    empty = {**NOTICE, "recordIds": []}
    assert error_codes(await ask(client, SERVE, SUBJECT, input=empty)) == ["FORBIDDEN"]
    assert error_codes(await ask(client, SERVE, AGENCY, input=empty)) == ["BAD_USER_INPUT"]
    assert error_codes(await ask(client, DECLARE, REGULATOR, input={**COMMITMENT, "title": ""})) == ["FORBIDDEN"]
