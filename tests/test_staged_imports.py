"""Nothing an unpublished import staged is read: every role's every read answers as before the import, and no
mutation reaches a staged object (docs/architecture.md, intake; graph_store/bulk_writes.py).

An import killed after staging is made here: a file of new objects, staged from the first one on (`STAGE_FROM`
1), whose last transaction fails before it commits (`finish` raises) and whose clean-up does nothing
(`remove_staged`), so what it staged stays in the store, unpublished, as after a killed process. The file's new
objects of every kind link into the sample's: a read starting from an existing subject, record, provider or
catalog item would reach them.

The walk is every root query field (checked against the schema), for every role the policy knows, with the
object fields under each generated from the schema (`schema.graphql`) to a depth, so a new field is walked too.
"""

import datetime
import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLObjectType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_schema,
    get_named_type,
    is_object_type,
    is_required_argument,
    parse,
    visit,
)
from neo4j.exceptions import ConstraintError

from graph_store import bulk_writes
from graph_store.connection import Store
from schema.cost import MAX_COST, operation_cost
from schema.limits import MAX_ALIASES, MAX_TOKENS, too_many_tokens

from .conftest import (
    COMPANY,
    COURT,
    CREDIT_AGENCY,
    MARKET_REGULATOR,
    OTHER_PERSON,
    PERSON,
    PURPOSE,
    RESTAURANT,
    ROOT,
    SAMPLE_DAY,
    ask,
    headers,
    load,
    suite_clock,
)
from .test_measures_and_listings import LISTING, TAX_RECORD
from .test_repairs import DECIDE, application

TAX_BUREAU = "114300006987654320"
BRANCH = "91430102MA4RB0K2X6"

# What the unpublished import stages: one of every kind, each linked to what the sample holds.
NEW_PROVIDER = "11430000MA4RC9PR7F"
NEW_COMPANY = "91430102MA4RC9KT11"
NEW_BRANCH = "91430102MA4RC9UK8W"
NEW_PERSON = "430102199001011238"
NEW_PURPOSE = "STAGED_SUPPLIER_REVIEW"
NEW_CATALOG_ITEM = "CAT-STAGED-PEN"
NEW_DOCUMENTS = ("DOC-STAGED-0001", "DOC-STAGED-0002")
NEW_RECORDS = (
    "REC-STAGED-PEN-0001", "REC-STAGED-PEN-0002", "REC-STAGED-TAX-0001", "REC-STAGED-CSA-0001",
    "REC-STAGED-CSA-0002", "REC-STAGED-ITEM-0001", "REC-STAGED-REG-0001",
)  # fmt: skip
NEW_MEASURES = ("MEA-STAGED-0001", "MEA-STAGED-0002")
NEW_CONSENTS = ("CON-STAGED-0001", "CON-STAGED-0002", "CON-STAGED-0003")
NEW_SUBJECTS = (NEW_COMPANY, NEW_BRANCH, NEW_PERSON)
MARK = "暂存"
"""In every new name, title and number: a staged text shown anywhere is found by it too."""

PENALTY_FORMAT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
    "properties": {"decisionNumber": {"type": "string"}, "violation": {"type": "string"}},
    "required": ["decisionNumber", "violation"], "additionalProperties": False,
}  # fmt: skip


def penalty(number: str) -> dict[str, Any]:
    return {"decisionNumber": number, "violation": f"{MARK}违法行为"}


def record(record_id: str, subject: str, provider: str, item: str, **fields: Any) -> dict[str, Any]:
    found = {
        "kind": "record", "id": record_id, "subjectCode": subject, "providerCode": provider, "catalogItemId": item,
        "title": f"{MARK}信用记录 {record_id}", "nature": "DISHONEST", "severity": "GENERAL", "confirmedAt": "2025-09-01",
        "documentIds": [], "content": penalty(f"{MARK}罚〔2025〕{record_id}"),
    }  # fmt: skip
    return found | fields


BASE = [
    {
        "kind": "consent", "id": "CON-BASE-0001", "subjectCode": PERSON, "granteeCode": CREDIT_AGENCY,
        "purpose": PURPOSE, "categories": ["OTHER"],
        "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2030-12-31T23:59:59+08:00",
    },
]  # fmt: skip
"""Besides the sample: a consent a credit service agency reads the person's records under."""

RATING = {"rating": "A", "ratedOn": "2025-09-01"}

NEW: list[dict[str, Any]] = [
    {"kind": "provider", "code": NEW_PROVIDER, "name": f"{MARK}湖南省测试监督管理局", "publicity": "PUBLIC",
     "type": "GOVERNMENT_AGENCY", "region": "430000"},
    {"kind": "queryPurpose", "code": NEW_PURPOSE, "name": f"{MARK}供应商审查", "categories": ["ADMINISTRATIVE_PENALTY"]},
    {"kind": "catalogItem", "id": NEW_CATALOG_ITEM, "name": f"{MARK}处罚信息", "providerCode": MARKET_REGULATOR,
     "category": "ADMINISTRATIVE_PENALTY", "publicity": "PUBLIC", "disclosureMode": "PUBLIC_NOTICE",
     "dataFormat": PENALTY_FORMAT},
    {"kind": "subject", "code": NEW_COMPANY, "name": f"长沙市{MARK}科技有限公司", "subjectKind": "LEGAL_PERSON",
     "region": "430102"},
    {"kind": "subject", "code": NEW_BRANCH, "name": f"长沙市芙蓉区星辰科技有限公司{MARK}分公司",
     "subjectKind": "LEGAL_PERSON", "region": "430102"},
    {"kind": "subject", "code": NEW_PERSON, "name": f"{MARK}张三", "subjectKind": "NATURAL_PERSON", "region": "430102"},
    {"kind": "representation", "personCode": NEW_PERSON, "orgCode": NEW_COMPANY, "role": "LEGAL_REPRESENTATIVE",
     "since": "2024-01-01"},
    {"kind": "representation", "personCode": OTHER_PERSON, "orgCode": NEW_BRANCH, "role": "RESPONSIBLE_PERSON",
     "since": "2024-01-01"},
    {"kind": "investment", "investorCode": NEW_PERSON, "investeeCode": COMPANY, "share": 0.1, "since": "2024-02-01"},
    {"kind": "investment", "investorCode": COMPANY, "investeeCode": NEW_COMPANY, "share": 0.5, "since": "2024-02-01"},
    {"kind": "investment", "investorCode": PERSON, "investeeCode": NEW_COMPANY, "share": 0.3, "since": "2024-02-01"},
    {"kind": "branch", "branchCode": NEW_BRANCH, "parentCode": COMPANY, "since": "2024-03-01"},
    {"kind": "document", "id": NEW_DOCUMENTS[0], "type": "PENALTY_DECISION", "number": f"湘市监{MARK}〔2025〕1号",
     "issuerCode": MARKET_REGULATOR, "issuedAt": "2025-09-01", "subjectCode": COMPANY},
    {"kind": "document", "id": NEW_DOCUMENTS[1], "type": "PENALTY_DECISION", "number": f"湘市监{MARK}〔2025〕2号",
     "issuerCode": MARKET_REGULATOR, "issuedAt": "2025-09-01", "subjectCode": NEW_COMPANY},
    record(NEW_RECORDS[0], COMPANY, MARKET_REGULATOR, "CAT-AMR-PEN", documentIds=["DOC-2025-AMR-0001"]),
    record(NEW_RECORDS[1], COMPANY, MARKET_REGULATOR, "CAT-AMR-PEN", documentIds=[NEW_DOCUMENTS[0]],
           severity="SERIOUS"),
    record(NEW_RECORDS[2], RESTAURANT, TAX_BUREAU, "CAT-TAX-PEN", documentIds=["DOC-2025-TAX-0001"]),
    record(NEW_RECORDS[3], PERSON, CREDIT_AGENCY, "CAT-CSA-EVAL", nature="TRUSTWORTHY", severity=None,
           content=RATING),
    record(NEW_RECORDS[4], OTHER_PERSON, CREDIT_AGENCY, "CAT-CSA-EVAL", nature="TRUSTWORTHY", severity=None,
           content=RATING),
    record(NEW_RECORDS[5], RESTAURANT, MARKET_REGULATOR, NEW_CATALOG_ITEM, documentIds=["DOC-2025-TAX-0001"]),
    record(NEW_RECORDS[6], NEW_COMPANY, MARKET_REGULATOR, "CAT-AMR-PEN", documentIds=[NEW_DOCUMENTS[1]]),
    {"kind": "measure", "id": NEW_MEASURES[0], "type": "REGULATORY", "subjectCode": COMPANY,
     "implementedByCode": MARKET_REGULATOR, "item": f"{MARK}重点监管", "means": f"{MARK}提高抽查比例",
     "basis": f"{MARK}第二十三条", "startsAt": "2025-09-01", "endsAt": "2028-09-01", "recordIds": ["REC-PEN-0001"]},
    {"kind": "measure", "id": NEW_MEASURES[1], "type": "INCENTIVE", "subjectCode": RESTAURANT,
     "implementedByCode": TAX_BUREAU, "item": f"{MARK}绿色通道", "means": f"{MARK}优先办理", "basis": f"{MARK}第十九条",
     "startsAt": "2025-09-01", "endsAt": "2028-09-01", "recordIds": []},
    {"kind": "consent", "id": NEW_CONSENTS[0], "subjectCode": OTHER_PERSON, "granteeCode": CREDIT_AGENCY,
     "purpose": PURPOSE, "categories": ["OTHER"],
     "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2030-12-31T23:59:59+08:00"},
    {"kind": "consent", "id": NEW_CONSENTS[1], "subjectCode": PERSON, "granteeCode": MARKET_REGULATOR,
     "purpose": PURPOSE, "categories": ["OTHER"],
     "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2030-12-31T23:59:59+08:00"},
    {"kind": "consent", "id": NEW_CONSENTS[2], "subjectCode": OTHER_PERSON, "granteeCode": CREDIT_AGENCY,
     "purpose": "COLLECTION", "categories": ["OTHER"],
     "validFrom": "2025-01-01T00:00:00+08:00", "validUntil": "2030-12-31T23:59:59+08:00"},
]  # fmt: skip
"""The second file: a new provider, query purpose and catalog item (of an existing provider); new subjects (a
company, a branch of an existing company, a person) represented by and invested in by existing ones and investing in
them; documents on an existing and a new subject; records about existing subjects from existing providers, under
existing items and the new one, based on existing documents and the new one; measures on existing subjects, one
because of an existing record; consents of existing subjects to existing providers."""

NEW_KEYS = (
    NEW_PROVIDER, *NEW_SUBJECTS, NEW_PURPOSE, NEW_CATALOG_ITEM, *NEW_DOCUMENTS, *NEW_RECORDS, *NEW_MEASURES,
    *NEW_CONSENTS, MARK,
)  # fmt: skip


# --- leaving an import staged, unpublished --------------------------------------------------------------------------


async def stage_unpublished(store: Store, monkeypatch: pytest.MonkeyPatch, objects: list[dict[str, Any]]) -> str:
    """Import `objects` as a process killed after staging them would leave them: staged, never published nor
    removed. The import's id (its actor id, which tags what it staged)."""
    import_ids: list[str] = []

    async def killed(*_: Any) -> None:  # inside the last transaction, before it commits
        raise RuntimeError("killed")

    async def left_behind(store: Store, import_id: str) -> None:
        import_ids.append(import_id)

    with monkeypatch.context() as patched:
        patched.setattr(bulk_writes, "STAGE_FROM", 1)
        patched.setattr(bulk_writes, "finish", killed)
        patched.setattr(bulk_writes, "remove_staged", left_behind)
        with pytest.raises(RuntimeError, match="killed"):
            await load(store, objects)
    assert len(set(import_ids)) == 1
    return import_ids[0]


async def staged_keys(store: Store, import_id: str) -> dict[str, str]:
    """The id of each object the import staged, by its code or id (a new subject's id is random)."""
    rows = await store.read(
        "MATCH (n)-[:STAGED_IN]->(:ImportRun {id: $importId}) RETURN coalesce(n.code, n.id) AS key, n.id AS id",
        importId=import_id,
    )
    return {row["key"]: row["id"] for row in rows}


async def subject_ids(store: Store, codes: tuple[str, ...]) -> list[str]:
    rows = await store.read("MATCH (s:Subject) WHERE s.code IN $codes RETURN s.id AS id", codes=list(codes))
    return [row["id"] for row in rows]


# --- the walk: every root field, for every role, the object fields under it generated from the schema -------------

SCHEMA = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
DEPTH = 1
"""Objects followed below a root's object (connections, their edges and page infos are not counted): a subject's
records, measures, listings and representatives, a record's subject, provider, item and documents..."""
DEEP = 2
"""Objects followed below the deep entry points (DEEP_ENTRY_POINTS)."""
PAGE = 3
"""Items of a nested connection; a root connection says its own `first`."""

Selection = tuple[str, tuple["Selection", ...]]


def wrapper(named: GraphQLObjectType) -> bool:
    return named.name.endswith(("Connection", "Edge")) or named.name in ("PageInfo", "Capabilities")


def selected(parent: GraphQLObjectType, depth: int) -> tuple[Selection, ...]:
    """Every field of `parent`: its scalars, and its objects to `depth`."""
    found: list[Selection] = []
    for name, field in parent.fields.items():
        named = get_named_type(field.type)
        assert not any(map(is_required_argument, field.args.values())), (
            f"{parent.name}.{name}: walk it with its arguments"
        )
        if not is_object_type(named):
            found.append((name, ()))
        elif depth > 0 or wrapper(named):
            inner = selected(named, depth if wrapper(named) else depth - 1)
            if inner:
                found.append((f"{name}(first: {PAGE})" if "first" in field.args else name, inner))
    return tuple(found)


def root_field(head: str) -> GraphQLField:
    return SCHEMA.query_type.fields[head.partition("(")[0]]  # type: ignore[union-attr]


def root(head: str, depth: int = DEPTH) -> Selection:
    named = get_named_type(root_field(head).type)
    return head, selected(named, depth) if is_object_type(named) else ()


def rendered(selection: Selection) -> str:
    head, inner = selection
    return f"{head} {{ {' '.join(map(rendered, inner))} }}" if inner else head


def document(roots: list[Selection]) -> str:
    body = " ".join(f"r{i}: {rendered(selection)}" for i, selection in enumerate(roots))
    return f"query($since: DateTime) {{ {body} }}" if "$since" in body else f"{{ {body} }}"


def fits(roots: list[Selection]) -> bool:
    """Within the server's limits (docs/limits.md): tokens, aliases, cost."""
    text = document(roots)
    return (
        len(roots) <= MAX_ALIASES
        and not too_many_tokens(text, MAX_TOKENS)
        and operation_cost(SCHEMA, parse(text), None, {}) <= MAX_COST
    )


def pieces(selection: Selection, whole: Callable[[Selection], list[Selection]]) -> list[Selection]:
    """`selection` if its document (`whole`) fits, else copies of it that do, each with its scalars and a piece of
    one of its objects: together they select everything it does."""
    if fits(whole(selection)):
        return [selection]
    head, inner = selection
    scalars = tuple(field for field in inner if not field[1])
    objects = [field for field in inner if field[1]]
    assert objects, f"{head}: its scalars alone are over the limits"
    return [
        (head, (*scalars, piece))
        for field in objects
        for piece in pieces(field, lambda piece: whole((head, (*scalars, piece))))
    ]


ALONE = {"myConsents", "myNotices"}
"""Non-null roots a role may be refused: their error would null the whole answer, the other roots' too."""


def documents(roots: list[Selection]) -> list[str]:
    """The roots' pieces, as few documents as the limits allow, in order."""
    packed: list[list[Selection]] = []
    for selection in roots:
        for piece in pieces(selection, lambda piece: [piece]):
            alone = piece[0].partition("(")[0] in ALONE
            if packed and not alone and packed[-1][0][0] not in ALONE and fits([*packed[-1], piece]):
                packed[-1].append(piece)
            else:
                packed.append([piece])
    return [document(roots) for roots in packed]


SAMPLE_RECORDS = ("REC-REG-0001", "REC-PEN-0001", "REC-JD-0001", "REC-TAX-0001", "REC-CSA-0001")
SAMPLE_PROVIDERS = (MARKET_REGULATOR, TAX_BUREAU, COURT, CREDIT_AGENCY)
UNKNOWN_PERSON = "430102198001019999"
SUBJECT_CODES = (COMPANY, RESTAURANT, PERSON, OTHER_PERSON, BRANCH, *NEW_SUBJECTS, UNKNOWN_PERSON)
LOOKED_UP = (COMPANY, PERSON, OTHER_PERSON, NEW_COMPANY, NEW_PERSON)
"""Relationship lookups start from these (an existing company and people the new ones link to, and new ones)."""
PATHS = ((COMPANY, NEW_PERSON), (PERSON, COMPANY), (NEW_COMPANY, RESTAURANT), (BRANCH, OTHER_PERSON))
CASES = ("objections", "repairApplications", "myObjections", "myRepairApplications", "seriousDishonestyList")


def entry_points(depth: int) -> list[Selection]:
    """Every root field, with the staged objects' codes and ids among the entry points; objects to `depth` below
    each (lists of subjects and providers: their scalars)."""
    return [
        *(root(f'subject(code: "{code}")', depth) for code in SUBJECT_CODES),
        root("subjects(first: 3)", depth),
        *(
            root(f"subjects({filters}first: 100)", 0)
            for filters in (
                "",
                f'nameContains: "{MARK}", ',
                "kind: NATURAL_PERSON, ",
                'kind: LEGAL_PERSON, region: "430102", ',
            )
        ),
        *(root(f'record(id: "{record_id}")', depth) for record_id in (*SAMPLE_RECORDS, *NEW_RECORDS)),
        *(root(f'provider(code: "{code}")', depth) for code in (*SAMPLE_PROVIDERS, NEW_PROVIDER)),
        *(
            root(f"providers({filters}first: 100)", depth)
            for filters in ("", f'nameContains: "{MARK}", ', "type: GOVERNMENT_AGENCY, ")
        ),
        root("catalog", depth),
        root("queryPurposes", depth),
        root("viewer", depth),
        root("myAccessLog(first: 100)", depth),
        *(
            root(f"accessLog(startAt: $since, {filters}first: 100)", depth)
            for filters in ("", f'subjectCode: "{COMPANY}", ', f'subjectCode: "{NEW_COMPANY}", ')
        ),
        root("myConsents", depth),
        root("myNotices", depth),
        *(root(f"{name}(first: 20)", depth) for name in CASES),
        *(root(f'creditReport(code: "{code}")', depth) for code in SUBJECT_CODES),
        *(root(f'relatedSubjects(code: "{code}", maxHops: 3, first: 20)', depth) for code in LOOKED_UP),
        *(root(f'relatedSubjects(code: "{code}", maxHops: 3, first: 100)', 0) for code in LOOKED_UP),
        *(root(f'riskNetwork(code: "{code}", maxHops: 3, first: 20)', depth) for code in LOOKED_UP),
        *(root(f'connection(fromCode: "{start}", toCode: "{end}", maxHops: 3)', depth) for start, end in PATHS),
    ]


DEEP_ENTRY_POINTS = [
    root(f'subject(code: "{COMPANY}")', DEEP),
    root('record(id: "REC-PEN-0001")', DEEP),
    root(f'creditReport(code: "{COMPANY}")', DEEP),
    root("myNotices", DEEP),
    *(root(f"{name}(first: 20)", DEEP) for name in CASES),
    root(f'relatedSubjects(code: "{COMPANY}", maxHops: 3, first: 5)', DEEP),
    root(f'riskNetwork(code: "{COMPANY}", maxHops: 3, first: 5)', DEEP),
]
"""Through these, every field of every type is walked (and nested reads as well as root ones: a record's subject's
measures, a case's record's subject's records...)."""

STAGED_PURPOSE_ROLE = "agency with the staged purpose"
ROLES = {
    "anonymous": headers(),
    "agency with a purpose": headers("AGENCY", MARKET_REGULATOR, PURPOSE),
    "agency without one": headers("AGENCY", COURT),
    STAGED_PURPOSE_ROLE: headers("AGENCY", MARKET_REGULATOR, NEW_PURPOSE),
    "credit service agency with consent": headers("CREDIT_SERVICE", CREDIT_AGENCY, PURPOSE),
    "person": headers("SUBJECT", PERSON),
    "person who granted a staged consent": headers("SUBJECT", OTHER_PERSON),
    "company": headers("SUBJECT", COMPANY),
    "staged person": headers("SUBJECT", NEW_PERSON),
    "staged company": headers("SUBJECT", NEW_COMPANY),
    "provider": headers("PROVIDER", MARKET_REGULATOR),
    "staged provider": headers("PROVIDER", NEW_PROVIDER),
    "admin": headers("ADMIN", "ADMIN-1"),
    "auditor": headers("AUDITOR", "AUDITOR-1"),
}
"""Every role the policy names (policy.polar), anonymous, and principals whose unit or purpose is staged."""
DEEP_ROLES = ("admin", "company")
"""Who walks DEEP_ENTRY_POINTS too: the one who reads everything, and a subject (its own cases and notices). Not
every role: Neo4j plans each role's queries afresh (the policy's predicates are in their text), and again after an
import changes the graph's statistics, and a deep walk for every role took minutes."""

WALKS = {
    role: documents(entry_points(DEPTH)) + (documents(DEEP_ENTRY_POINTS) if role in DEEP_ROLES else [])
    for role in ROLES
}


Walk = tuple[datetime.datetime, dict[tuple[str, str], dict[str, Any]]]


async def walk(client: httpx.AsyncClient, roles: tuple[str, ...] = tuple(ROLES)) -> Walk:
    """Every role's documents, in order: when the walk began, and the answers by role and document."""
    since = suite_clock()
    answers = {}
    for role in roles:
        for text in WALKS[role]:
            answers[role, text] = await ask(client, text, ROLES[role], since=since.isoformat())
    return since, answers


SEEING_ALL = ("admin", "person", "person who granted a staged consent")
"""Who sees every new object once published: the department, and the subjects who granted the new consents."""


LOGGED = {"id", "seq", "at", "requestId", "hash", "prevHash", "cursor", "startCursor", "endCursor"}
"""What reading itself changes in the access log: the walk's own entries are new ones, at another time, with other
request ids, so other hashes (their ids), places in the chain and cursors."""


def without(value: Any, names: set[str]) -> Any:
    if isinstance(value, dict):
        return {key: without(item, names) for key, item in value.items() if key not in names}
    if isinstance(value, list):
        return [without(item, names) for item in value]
    return value


def comparable(answer: dict[str, Any], text: str, since: datetime.datetime) -> dict[str, Any]:
    """An answer less what reading itself changes, so that two walks over the same data answer the same:
    - the access log (`accessLog`, `myAccessLog`): each walk writes its own entries (an entry per request). The
      walk asks `accessLog` from its own start (`startAt`), and keeps of `myAccessLog` (which takes no time) the
      entries at or after its start, not its count nor page info (the walks before are in them); of both, not
      what differs between two entries written alike (LOGGED). Of `myAccessLog`, which entries there are (who
      asked what, and the decision), not how many: which requests an entry of the walk counts as touching a subject
      varied once between two walks over the same data, every answer the same (the auditors' log of both counted
      the same entries);
    - a credit report's `madeAt`: now;
    - an error's `requestId`: each request's own;
    - the order of `connection`'s paths: equally short ones come in the order Neo4j's plan finds them, which
      changes when it plans the query again (as it does after an import changes the graph's statistics).
    What the entries say (who asked what, and whose subjects, records, measures, listings, objections and consents
    the answer revealed) is compared."""
    data = dict(answer.get("data") or {})
    for alias, value in data.items():
        name = text.split(f"{alias}: ", 1)[1].partition("(")[0].partition(" ")[0]
        if name == "myAccessLog" and value is not None:
            entries = {
                json.dumps(without(edge["node"], LOGGED), sort_keys=True)
                for edge in value["edges"]
                if datetime.datetime.fromisoformat(edge["node"]["at"]) >= since
            }
            value = sorted(entries)
        if name in ("accessLog", "myAccessLog"):
            data[alias] = without(value, LOGGED)
        if name == "connection" and value is not None:
            data[alias] = sorted(value, key=lambda path: json.dumps(path, sort_keys=True))
    return without({**answer, "data": data if "data" in answer else None}, {"madeAt", "requestId"})


OWN = {"unit", "purpose", "operation", "requestId"}
"""Not searched for staged codes: who asked and what (a viewer's and an access-log entry's `unit` and `purpose`, an
entry's `operation`, which says why a request was refused): the walk's principals include some whose unit or
declared purpose is a staged code, and what they sent is theirs to see, staged or not. (The walk compares these
with what they were before the import all the same.)"""


def shown(answers: dict[tuple[str, str], dict[str, Any]], keys: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Which of `keys` the answers show anywhere but in who asked (OWN), and where. The role that declares the staged
    purpose is told it is not in the catalog, naming it, as any unknown purpose is named: not searched for it."""
    found: dict[str, list[tuple[str, str]]] = {}
    for (role, text), answer in answers.items():
        shown_text = json.dumps(without(answer, OWN), ensure_ascii=False)
        for key in keys:
            if key in shown_text and not (key == NEW_PURPOSE and role == STAGED_PURPOSE_ROLE):
                found.setdefault(key, []).append((role, text))
    return found


OBJECTION = "mutation($input: FileObjectionInput!) { fileObjection(input: $input) { objection { id } } }"
REPAIR = "mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { repairApplication { id } } }"
NOTICE = "mutation($input: ServeNoticeInput!) { serveNotice(input: $input) { notice { id } } }"
STATEMENT = "mutation($input: SubmitStatementInput!) { submitStatement(input: $input) { statement { id } } }"


async def base_store(store: Store, client: httpx.AsyncClient) -> None:
    """The sample, its consent to the credit service agency, and an objection, a repair application, a notice and a
    statement: every list a role reads holds something that leads to existing objects."""
    await load(store, BASE)
    company = headers("SUBJECT", COMPANY)
    for mutation, who, given in (
        (OBJECTION, company, {"recordId": "REC-PEN-0001", "reason": "有误"}),
        (REPAIR, company, application()),
        (NOTICE, headers("AGENCY", MARKET_REGULATOR, PURPOSE),
         {"subjectCode": RESTAURANT, "kind": "PRE_LISTING", "recordIds": [TAX_RECORD], "text": "拟列入", **LISTING}),
        (STATEMENT, company, {"targetId": "MEA-0001", "text": "已履行"}),
    ):  # fmt: skip
        body = await ask(client, mutation, who, input=given)
        assert "errors" not in body, body


def walked(texts: list[str]) -> set[str]:
    """`Type.field` of every field the documents select."""
    found: set[str] = set()
    info = TypeInfo(SCHEMA)

    class Fields(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent = info.get_parent_type()
            if parent is not None:
                found.add(f"{parent.name}.{node.name.value}")

    for text in texts:
        visit(parse(text), TypeInfoVisitor(info, Fields()))
    return found


def readable() -> set[str]:
    """`Type.field` of every field a query reaches (not mutations' payloads)."""
    found: set[str] = set()
    todo, seen = [SCHEMA.query_type], set()
    while todo:
        parent = todo.pop()
        if parent is None or parent.name in seen:
            continue
        seen.add(parent.name)
        for name, field in parent.fields.items():
            found.add(f"{parent.name}.{name}")
            named = get_named_type(field.type)
            if is_object_type(named):
                todo.append(named)
    return found


def test_every_role_walks_every_root_field_and_the_deep_walk_every_field():
    for role, texts in WALKS.items():
        assert {field for field in walked(texts) if field.startswith("Query.")} == {
            field for field in readable() if field.startswith("Query.")
        }, role
    assert walked(WALKS[DEEP_ROLES[0]]) == readable()


def first_difference(one: Any, other: Any, path: str = "") -> str:
    if isinstance(one, dict) and isinstance(other, dict):
        for key in {*one, *other}:
            if one.get(key) != other.get(key):
                return first_difference(one.get(key), other.get(key), f"{path}.{key}")
    if isinstance(one, list) and isinstance(other, list) and len(one) == len(other):
        for number, (item, other_item) in enumerate(zip(one, other, strict=True)):
            if item != other_item:
                return first_difference(item, other_item, f"{path}[{number}]")
    return f"{path}: {json.dumps(one, ensure_ascii=False)[:300]} != {json.dumps(other, ensure_ascii=False)[:300]}"


def differences(during: Walk, before: Walk) -> list[str]:
    found = []
    for (role, text), answer in during[1].items():
        now, then = comparable(answer, text, during[0]), comparable(before[1][role, text], text, before[0])
        if now != then:
            found.append(f"{role}: {text[:80]}...: {first_difference(now, then)}")
    return found


async def looked_up_by_id(client: httpx.AsyncClient, subject_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    """A subject asked for by its id (`subject(id:)`), by every role."""
    text = document([root(f'subject(id: "{subject_id}")')])
    return {(role, text): await ask(client, text, request_headers) for role, request_headers in ROLES.items()}


async def test_what_an_unpublished_import_staged_is_read_by_no_role(
    fresh_sample_store: Store, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
):
    store = fresh_sample_store
    await base_store(store, client)
    before = await walk(client)

    import_id = await stage_unpublished(store, monkeypatch, NEW)
    staged = await staged_keys(store, import_id)
    assert {*NEW_SUBJECTS, *NEW_DOCUMENTS, *NEW_RECORDS, *NEW_MEASURES, *NEW_CONSENTS} <= set(staged)
    staged_ids = [staged[code] for code in NEW_SUBJECTS]
    during = await walk(client)
    assert differences(during, before) == []
    assert shown(during[1], [*NEW_KEYS, *staged_ids]) == {}
    unknown = str(uuid.uuid4())
    for subject_id in staged_ids:  # an entry point only the staged graph has: answered as an unknown id is
        by_id = await looked_up_by_id(client, subject_id)
        as_unknown = await looked_up_by_id(client, unknown)
        assert [without(answer, {"requestId"}) for answer in by_id.values()] == [
            without(json.loads(json.dumps(answer).replace(unknown, subject_id)), {"requestId"})
            for answer in as_unknown.values()
        ]

    # The walk sees them once they are published: imported again, at once (what was staged removed first).
    await bulk_writes.remove_staged(store, import_id)
    assert await staged_keys(store, import_id) == {}
    await load(store, NEW)
    published = await walk(client, SEEING_ALL)
    new_ids = await subject_ids(store, NEW_SUBJECTS)
    assert set(shown(published[1], [*NEW_KEYS, *new_ids])) == {*NEW_KEYS, *new_ids}


# --- mutations ------------------------------------------------------------------------------------------------------


def mutation(field: str, selection: str) -> str:
    return f"mutation($input: {field[0].upper()}{field[1:]}Input!) {{ {field}(input: $input) {{ {selection} }} }}"


UNKNOWN = {
    NEW_PROVIDER: "91350100M000100Y43", NEW_COMPANY: "91430102MA4RC9XK1J", NEW_PERSON: UNKNOWN_PERSON,
    NEW_RECORDS[0]: "REC-NO-SUCH-0001", NEW_RECORDS[1]: "REC-NO-SUCH-0002", NEW_RECORDS[3]: "REC-NO-SUCH-0004",
    NEW_MEASURES[0]: "MEA-NO-SUCH-0001", NEW_CONSENTS[0]: "CON-NO-SUCH-0001",
    NEW_DOCUMENTS[0]: "DOC-NO-SUCH-0001",
}  # fmt: skip
"""Each staged key a mutation names, and a key of its kind nothing holds."""

MEASURE = {"item": "列为重点监管对象", "means": "提高抽查比例和频次", "basis": "《湖南省社会信用信息管理办法》第二十三条",
           "startsOn": "2026-12-01", "endsOn": "2027-11-30"}  # fmt: skip
REACHING_STAGED: list[tuple[str, str, tuple[str, str, str | None], str, dict[str, Any]]] = [
    # (mutation, selection, who, the staged key, input naming it)
    ("grantConsent", "consent { id }", ("SUBJECT", PERSON, None), NEW_PROVIDER,
     {"granteeCode": NEW_PROVIDER, "purpose": PURPOSE, "categories": ["OTHER"],
      "expiresAt": "2031-01-01T00:00:00+08:00"}),
    ("grantConsent", "consent { id }", ("SUBJECT", NEW_PERSON, None), NEW_PERSON,
     {"granteeCode": CREDIT_AGENCY, "purpose": PURPOSE, "categories": ["OTHER"],
      "expiresAt": "2031-01-01T00:00:00+08:00"}),
    ("revokeConsent", "consent { id }", ("SUBJECT", OTHER_PERSON, None), NEW_CONSENTS[0],
     {"consentId": NEW_CONSENTS[0]}),
    ("declare", "record { id }", ("SUBJECT", NEW_COMPANY, None), NEW_COMPANY,
     {"kind": "COMMITMENT", "title": "信用承诺书", "content": "本公司承诺依法诚信经营。"}),
    ("correctRecord", "record { id }", ("PROVIDER", MARKET_REGULATOR, None), NEW_RECORDS[0],
     {"recordId": NEW_RECORDS[0], "title": "更正", "content": penalty("湘市监处罚〔2025〕99号"), "reason": "更正"}),
    ("fileObjection", "objection { id }", ("SUBJECT", COMPANY, None), NEW_RECORDS[0],
     {"recordId": NEW_RECORDS[0], "reason": "有误"}),
    ("fileObjection", "objection { id }", ("SUBJECT", COMPANY, None), NEW_MEASURES[0],
     {"measureId": NEW_MEASURES[0], "reason": "有误"}),
    ("fileObjection", "objection { id }", ("SUBJECT", COMPANY, None), NEW_PROVIDER,
     {"providerCode": NEW_PROVIDER, "kind": "OMISSION", "reason": "遗漏"}),
    ("applyForRepair", "repairApplication { id }", ("SUBJECT", COMPANY, None), NEW_RECORDS[0],
     application(NEW_RECORDS[0])),
    ("submitStatement", "statement { id }", ("SUBJECT", COMPANY, None), NEW_MEASURES[0],
     {"targetId": NEW_MEASURES[0], "text": "已履行"}),
    ("publishRecord", "record { id }", ("SUBJECT", PERSON, None), NEW_RECORDS[3], {"recordId": NEW_RECORDS[3]}),
    ("withdrawPublication", "record { id }", ("SUBJECT", PERSON, None), NEW_RECORDS[3],
     {"recordId": NEW_RECORDS[3]}),
    ("revokeDocument", "document { id }", ("AGENCY", MARKET_REGULATOR, None), NEW_DOCUMENTS[0],
     {"documentId": NEW_DOCUMENTS[0], "reason": "撤销"}),
    ("amendDocument", "document { id }", ("PROVIDER", MARKET_REGULATOR, None), NEW_DOCUMENTS[0],
     {"documentId": NEW_DOCUMENTS[0], "number": "湘市监处罚〔2025〕98号", "issuedOn": "2025-09-02", "reason": "更正"}),
    ("serveNotice", "notice { id }", ("AGENCY", MARKET_REGULATOR, PURPOSE), NEW_RECORDS[1],
     {"subjectCode": COMPANY, "kind": "PRE_MEASURE", "recordIds": [NEW_RECORDS[1]], "text": "拟采取措施"}),
    ("serveNotice", "notice { id }", ("AGENCY", MARKET_REGULATOR, PURPOSE), NEW_COMPANY,
     {"subjectCode": NEW_COMPANY, "kind": "PRE_MEASURE", "recordIds": ["REC-PEN-0001"], "text": "拟采取措施"}),
    ("applyMeasure", "measure { id }", ("AGENCY", MARKET_REGULATOR, PURPOSE), NEW_COMPANY,
     {"subjectCode": NEW_COMPANY, "type": "INCENTIVE", "recordIds": [], **MEASURE}),
    ("applyMeasure", "measure { id }", ("AGENCY", MARKET_REGULATOR, PURPOSE), NEW_RECORDS[0],
     {"subjectCode": COMPANY, "type": "INCENTIVE", "recordIds": [NEW_RECORDS[0]], **MEASURE}),
    ("listSeriousDishonesty", "listing { id }", ("AGENCY", MARKET_REGULATOR, PURPOSE), NEW_RECORDS[1],
     {"subjectCode": COMPANY, "recordIds": [NEW_RECORDS[1]], "noticeId": "NOT-NONE", **LISTING}),
    ("listSeriousDishonesty", "listing { id }", ("AGENCY", MARKET_REGULATOR, PURPOSE), NEW_COMPANY,
     {"subjectCode": NEW_COMPANY, "recordIds": ["REC-PEN-0001"], "noticeId": "NOT-NONE", **LISTING}),
]  # fmt: skip
"""The mutations that name an object that could be staged (a subject, provider, record, measure, consent or
document); those naming an objection, a repair application, a notice or a listing name what no import writes."""


def as_unknown(value: Any, key: str) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False).replace(key, UNKNOWN[key]))


async def staged_state(store: Store, import_id: str) -> list[dict[str, Any]]:
    rows = await store.read(
        "MATCH (n)-[:STAGED_IN]->(:ImportRun {id: $importId}) "
        "RETURN n {.*, labels: labels(n), links: COUNT { (n)--() }} AS n ORDER BY coalesce(n.code, n.id)",
        importId=import_id,
    )
    return [row["n"] for row in rows]


async def test_no_mutation_reaches_what_an_unpublished_import_staged(
    fresh_sample_store: Store, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
):
    """Each is answered as for a key nothing holds, and changes nothing staged."""
    store = fresh_sample_store
    await load(store, BASE)
    import_id = await stage_unpublished(store, monkeypatch, NEW)
    staged = await staged_state(store, import_id)
    assert staged
    wrong = []
    for field, selection, who, key, given in REACHING_STAGED:
        text = mutation(field, selection)
        answer = without(await ask(client, text, headers(*who), input=given), {"requestId"})
        unknown = without(
            await ask(client, text, headers(*as_unknown(who, key)), input=as_unknown(given, key)), {"requestId"}
        )
        if as_unknown(answer, key) != unknown or "errors" not in answer:
            wrong.append((field, key, answer, unknown))
    assert wrong == []
    assert await staged_state(store, import_id) == staged


STAGED_PUNITIVE = "MEA-STAGED-PUN-0001"


async def test_a_repair_ends_a_staged_measure_on_its_record_but_names_it_in_no_access_log_entry(
    fresh_sample_store: Store, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
):
    """A repair ends every punitive measure based on its record (Art. 36), one an unpublished import staged too (once
    published it would rest on a repaired record), but the entry of the change names only the measures a read
    finds: the access log keeps what it names for good, whether the import is published or removed."""
    store = fresh_sample_store
    measure = {
        "kind": "measure", "id": STAGED_PUNITIVE, "type": "PUNITIVE", "subjectCode": COMPANY,
        "implementedByCode": COURT, "item": f"{MARK}限制招投标", "means": f"{MARK}禁止参与政府采购",
        "basis": f"{MARK}第二十五条", "startsAt": (SAMPLE_DAY - datetime.timedelta(days=30)).isoformat(),
        "endsAt": "2030-12-31", "recordIds": ["REC-JD-0001"],
    }  # fmt: skip
    await stage_unpublished(store, monkeypatch, [measure])
    applied = await ask(client, REPAIR, headers("SUBJECT", COMPANY), input=application())
    assert "errors" not in applied, applied
    decision = {"applicationId": applied["data"]["applyForRepair"]["repairApplication"]["id"], "approve": True,
                "reason": "已履行全部义务"}  # fmt: skip
    assert "errors" not in await ask(client, DECIDE, headers("PROVIDER", COURT), input=decision)
    ended = await store.read("MATCH (m:Measure {id: $id}) RETURN m.endsAt AS endsAt", id=STAGED_PUNITIVE)
    assert ended == [{"endsAt": SAMPLE_DAY}]
    naming = await store.read(
        "MATCH (e:AccessLogEntry) WHERE $id IN coalesce(e.measureIds, []) RETURN e.operation AS operation",
        id=STAGED_PUNITIVE,
    )
    assert naming == []


async def test_an_import_naming_a_provider_item_or_purpose_an_unpublished_import_staged_fails_and_touches_none(
    fresh_sample_store: Store, monkeypatch: pytest.MonkeyPatch
):
    """A file too small to stage that brings the same new provider, purpose and catalog item as an unpublished
    import is refused by the constraints, as one bringing the same new subject is: merged into the staged ones, its
    records would hang from what that import's removal deletes (and read a provider no one may find)."""
    store = fresh_sample_store
    reference = NEW[:3]  # the new provider, purpose and catalog item
    import_id = await stage_unpublished(store, monkeypatch, [*reference, NEW[3]])  # and a new company
    staged = await staged_state(store, import_id)
    assert {label for node in staged for label in node["labels"]} == {
        "Provider",
        "QueryPurpose",
        "CatalogItem",
        "Subject",
        "Staged",
    }
    later = [
        *reference,
        record("REC-LATER-0001", RESTAURANT, MARKET_REGULATOR, NEW_CATALOG_ITEM, documentIds=["DOC-2025-TAX-0001"]),
    ]
    with pytest.raises(ConstraintError):
        await load(store, later)
    assert await staged_state(store, import_id) == staged
    assert (await store.read("MATCH (r:Record {id: 'REC-LATER-0001'}) RETURN count(r) AS n"))[0]["n"] == 0
