"""Bulk import of JSON Lines: validate everything, then write everything in one transaction.

Validation runs in two passes. The first looks at each line alone (shape, codes,
dates, banned data); the second checks what needs more than one line: that
references point to something in the file or in the store, that content matches
its catalog item's format, that the law's conditions hold (Arts. 11, 12, 15, 27).
Only a file without a single problem is written, so a bad file writes nothing.

Import obeys the API's rules. Banned data and the collection consent concern natural persons (Art. 15): an item
says which subjects it covers (`subjectKinds`). Re-import cannot change what a subject or an agency did: a
consent's scope and validity (a line error), a measure's early end, a document's revocation; what it changes in
catalog items, documents and measures is kept as a `Version` with the import as actor (graph_store/versions.py).
"""

import datetime
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from credit.banned_data import banned_field, banned_term
from credit.disclosure import base_disclosure_until
from credit.identifiers import InvalidCode, validate_resident_id, validate_uscc
from credit.model import (
    COLLECTION_PURPOSE,
    DISCLOSURE_MODES_BY_PUBLICITY,
    PUBLIC_PROVIDER_TYPES,
    Category,
    ConsentStatus,
    DisclosureMode,
    MeasureType,
    Nature,
    ProviderType,
    Publicity,
    Severity,
    SubjectKind,
    china_now,
)
from credit.record_content import canonical_json, content_problem
from graph_store import bulk_writes
from graph_store.catalog import catalog_item_row, subject_kinds
from graph_store.connection import Store
from graph_store.metrics import IMPORTED_OBJECTS
from graph_store.record_versions import content_hash
from graph_store.versions import changed_fields

from .import_format import KINDS, shape_error
from .import_lines import LineProblem, decode_json_lines

MAX_PROBLEMS = 200
Progress = Callable[[int], None]


class ImportFailed(Exception):
    """The file was refused; nothing of it was written."""

    def __init__(self, problems: list[str], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        super().__init__("\n".join(problems + ([f"... and {more} more problems"] if more else [])))


@dataclass(frozen=True)
class Line:
    number: int
    kind: str
    data: dict[str, Any]


@dataclass
class Problems:
    found: list[str] = field(default_factory=list)
    more: int = 0

    def add(self, number: int, reason: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(f"line {number}: {reason}")
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.found:
            raise ImportFailed(self.found, self.more)


# --- pass 1: each line alone ---------------------------------------------------------------


def parse_date(value: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise LineProblem(f"{name} {value!r} is not a real date (YYYY-MM-DD)") from None


def parse_datetime(value: str, name: str) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        raise LineProblem(f"{name} {value!r} is not a real instant (ISO 8601 with offset)") from None


def organization_code(value: str, name: str) -> str:
    try:
        return validate_uscc(value)
    except InvalidCode as exc:
        raise LineProblem(f"{name}: {exc}") from None


def subject_code(value: str, name: str, kind: SubjectKind | None = None) -> str:
    """A subject's code: a resident ID for a person, a USCC otherwise; either when the kind is unknown."""
    try:
        if kind is SubjectKind.NATURAL_PERSON:
            return validate_resident_id(value)
        if kind is not None:
            return validate_uscc(value)
        try:
            return validate_resident_id(value)
        except InvalidCode:
            return validate_uscc(value)
    except InvalidCode as exc:
        raise LineProblem(f"{name}: {exc}") from None


def check_not_banned(value: Any, what: str) -> None:
    if found := banned_field(value):
        path, term = found
        raise LineProblem(f"{what} field {path!r} concerns {term!r}, which may never be collected (Art. 15)")


def provider_line(data: dict[str, Any]) -> dict[str, Any]:
    publicity = Publicity(data["publicity"])
    public_type = ProviderType(data["type"]) in PUBLIC_PROVIDER_TYPES
    if public_type != (publicity is Publicity.PUBLIC):
        raise LineProblem(
            f"a {data['type']} provider is {'PUBLIC' if public_type else 'NON_PUBLIC'}, not {publicity.value} (Art. 3)"
        )
    return {**data, "code": organization_code(data["code"], "code")}


def subject_line(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "code": subject_code(data["code"], "code", SubjectKind(data["subjectKind"]))}


def representation_line(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **data,
        "personCode": subject_code(data["personCode"], "personCode", SubjectKind.NATURAL_PERSON),
        "orgCode": organization_code(data["orgCode"], "orgCode"),
        "since": parse_date(data["since"], "since"),
    }


def investment_line(data: dict[str, Any]) -> dict[str, Any]:
    investor = subject_code(data["investorCode"], "investorCode")
    investee = organization_code(data["investeeCode"], "investeeCode")
    if investor == investee:
        raise LineProblem("a subject does not invest in itself")
    return {**data, "investorCode": investor, "investeeCode": investee, "since": parse_date(data["since"], "since")}


def branch_line(data: dict[str, Any]) -> dict[str, Any]:
    branch = organization_code(data["branchCode"], "branchCode")
    parent = organization_code(data["parentCode"], "parentCode")
    if branch == parent:
        raise LineProblem("an organization is not a branch of itself")
    return {**data, "branchCode": branch, "parentCode": parent, "since": parse_date(data["since"], "since")}


def catalog_item_line(data: dict[str, Any]) -> dict[str, Any]:
    publicity = Publicity(data["publicity"])
    if DisclosureMode(data["disclosureMode"]) not in DISCLOSURE_MODES_BY_PUBLICITY[publicity]:
        allowed = ", ".join(sorted(mode.value for mode in DISCLOSURE_MODES_BY_PUBLICITY[publicity]))
        raise LineProblem(f"{publicity.value} information is disclosed by {allowed}, not {data['disclosureMode']}")
    try:
        Draft202012Validator.check_schema(data["dataFormat"])
    except SchemaError as exc:
        raise LineProblem(f"dataFormat is not a valid JSON Schema: {exc.message}") from None
    kinds = subject_kinds(data)
    if SubjectKind.NATURAL_PERSON.value in kinds:  # banned data is a person's (Art. 15): an item for them only
        if term := banned_term(data["name"]):
            raise LineProblem(
                f"catalog item {data['name']!r} concerns {term!r}, which may never be collected about a natural "
                "person (Art. 15); an item about organizations only says so in subjectKinds"
            )
        check_not_banned(data["dataFormat"].get("properties", {}), "dataFormat")
    return {**data, "subjectKinds": kinds, "repairable": data.get("repairable", True),
            "providerCode": organization_code(data["providerCode"], "providerCode")}  # fmt: skip


def document_line(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **data,
        "issuerCode": organization_code(data["issuerCode"], "issuerCode"),
        "subjectCode": subject_code(data["subjectCode"], "subjectCode"),
        "issuedAt": parse_date(data["issuedAt"], "issuedAt"),
    }


def record_line(data: dict[str, Any]) -> dict[str, Any]:
    nature = Nature(data["nature"])
    severity = data.get("severity")
    document_ids = data.get("documentIds") or []
    if nature is Nature.DISHONEST and not document_ids:
        raise LineProblem("a DISHONEST record must cite at least one legal document in documentIds (Art. 12)")
    if nature is Nature.DISHONEST and severity is None:
        raise LineProblem("a DISHONEST record needs a severity: MINOR, GENERAL or SERIOUS")
    if nature is not Nature.DISHONEST and severity is not None:
        raise LineProblem(f"severity is for DISHONEST records only; this one is {nature.value}")
    return {
        **data,
        "severity": severity,
        "documentIds": document_ids,
        "subjectCode": subject_code(data["subjectCode"], "subjectCode"),
        "providerCode": organization_code(data["providerCode"], "providerCode"),
        "confirmedAt": parse_date(data["confirmedAt"], "confirmedAt"),
    }


def measure_line(data: dict[str, Any]) -> dict[str, Any]:
    starts_at = parse_date(data["startsAt"], "startsAt")
    ends_at = parse_date(data["endsAt"], "endsAt")
    if ends_at < starts_at:
        raise LineProblem(f"endsAt {ends_at} is before startsAt {starts_at}")
    return {
        **data,
        "recordIds": data.get("recordIds") or [],
        "subjectCode": subject_code(data["subjectCode"], "subjectCode"),
        "implementedByCode": organization_code(data["implementedByCode"], "implementedByCode"),
        "startsAt": starts_at,
        "endsAt": ends_at,
    }


def consent_line(data: dict[str, Any]) -> dict[str, Any]:
    valid_from = parse_datetime(data["validFrom"], "validFrom")
    valid_until = parse_datetime(data["validUntil"], "validUntil")
    if valid_until <= valid_from:
        raise LineProblem(f"validUntil {data['validUntil']} is not after validFrom {data['validFrom']}")
    return {
        **data,
        "subjectCode": subject_code(data["subjectCode"], "subjectCode"),
        "granteeCode": organization_code(data["granteeCode"], "granteeCode"),
        "validFrom": valid_from,
        "validUntil": valid_until,
    }


def query_purpose_line(data: dict[str, Any]) -> dict[str, Any]:
    """A purpose serves the categories it names, every category where it names none (stored as none, Arts. 20-21)."""
    return {"categories": None, **data}


LINE_RULES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "provider": provider_line,
    "subject": subject_line,
    "representation": representation_line,
    "investment": investment_line,
    "branch": branch_line,
    "queryPurpose": query_purpose_line,
    "catalogItem": catalog_item_line,
    "document": document_line,
    "record": record_line,
    "measure": measure_line,
    "consent": consent_line,
}


def parse_line(value: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(value, LineProblem):
        raise value
    if not isinstance(value, dict):
        raise LineProblem('each line must be a JSON object with a "kind"')
    kind = value.get("kind")
    if kind not in LINE_RULES:
        raise LineProblem(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if error := shape_error(kind, value):
        where = ".".join(str(part) for part in error.absolute_path)
        raise LineProblem(f"{kind} {where + ': ' if where else ''}{error.message}")
    return kind, LINE_RULES[kind](value)


# --- pass 2: references and the rules that span lines --------------------------------------


KEY_FIELD = {
    "provider": "code",
    "subject": "code",
    "queryPurpose": "code",
    "catalogItem": "id",
    "document": "id",
    "record": "id",
    "measure": "id",
    "consent": "id",
}


@dataclass
class Known:
    """Everything a line may refer to: the file's own objects over the store's."""

    providers: dict[str, dict[str, Any]]
    subjects: dict[str, dict[str, Any]]
    purposes: set[str]
    catalog: dict[str, dict[str, Any]]
    documents: dict[str, dict[str, Any]]
    records: dict[str, dict[str, Any]]
    collection_consents: dict[tuple[str, str], list[dict[str, Any]]]
    stored: dict[str, dict[str, dict[str, Any]]]
    parents: dict[str, str]
    """Each branch's parent organization: the store's, then those of the file's lines as they pass."""
    relations: dict[str, Any] = field(default_factory=dict)
    """The store's representations and investments among the file's (bulk_writes.fetch_relations)."""


def references(lines: list[Line]) -> dict[str, set[str]]:
    """The keys, per kind, that the lines name; the store is asked for those it has."""
    wanted: dict[str, set[str]] = {kind: set() for kind in KEY_FIELD}
    for line in lines:
        d = line.data
        if line.kind in KEY_FIELD:
            wanted[line.kind].add(d[KEY_FIELD[line.kind]])
        for name, kind in (
            ("providerCode", "provider"),
            ("issuerCode", "provider"),
            ("implementedByCode", "provider"),
            ("granteeCode", "provider"),
            ("subjectCode", "subject"),
            ("personCode", "subject"),
            ("orgCode", "subject"),
            ("investorCode", "subject"),
            ("investeeCode", "subject"),
            ("branchCode", "subject"),
            ("parentCode", "subject"),
            ("catalogItemId", "catalogItem"),
            ("purpose", "queryPurpose"),
        ):
            if name in d:
                wanted[kind].add(d[name])
        wanted["document"].update(d.get("documentIds", ()))
        if line.kind == "measure":
            wanted["record"].update(d["recordIds"])
    return wanted


async def load_known(store: Store, lines: list[Line]) -> Known:
    stored = await bulk_writes.fetch_existing(store, {kind: sorted(keys) for kind, keys in references(lines).items()})
    record_subjects = sorted({line.data["subjectCode"] for line in lines if line.kind == "record"})
    consents = await bulk_writes.fetch_collection_consents(store, record_subjects, COLLECTION_PURPOSE)
    stored_status = {consent["id"]: consent["status"] for consent in consents}
    relations = await bulk_writes.fetch_relations(
        store,
        sorted({line.data["orgCode"] for line in lines if line.kind == "representation"}),
        sorted({line.data["investeeCode"] for line in lines if line.kind == "investment"}),
    )
    known = Known(
        providers=dict(stored["provider"]),
        subjects=dict(stored["subject"]),
        purposes=set(stored["queryPurpose"]) | {COLLECTION_PURPOSE},
        catalog=dict(stored["catalogItem"]),
        documents=dict(stored["document"]),
        records=dict(stored["record"]),
        collection_consents={},
        stored=stored,
        parents={code: subject["parentCode"] for code, subject in stored["subject"].items() if subject["parentCode"]},
        relations=relations,
    )
    for consent in consents:
        known.collection_consents.setdefault((consent["subjectCode"], consent["granteeCode"]), []).append(consent)
    for line in lines:
        d = line.data
        if line.kind == "provider":
            known.providers[d["code"]] = {"publicity": d["publicity"], "type": d["type"]}
        elif line.kind == "subject":
            known.subjects[d["code"]] = {"kind": d["subjectKind"]}
        elif line.kind == "queryPurpose":
            known.purposes.add(d["code"])
        elif line.kind == "catalogItem":
            known.catalog[d["id"]] = {**d, "dataFormat": canonical_json(d["dataFormat"])}
        elif line.kind == "document":
            known.documents[d["id"]] = d
        elif line.kind == "record":
            known.records[d["id"]] = d
        elif line.kind == "consent" and d["purpose"] == COLLECTION_PURPOSE:
            # Re-importing a consent never revives it: a revoked one stays revoked.
            status = stored_status.get(d["id"], ConsentStatus.ACTIVE.value)
            known.collection_consents.setdefault((d["subjectCode"], d["granteeCode"]), []).append(
                {**d, "status": status}
            )
    return known


def require(table: dict[str, dict[str, Any]], key: str, what: str) -> dict[str, Any]:
    if key not in table:
        raise LineProblem(f"{what} {key!r} does not exist (not in this file nor in the store)")
    return table[key]


def require_subject(known: Known, code: str, name: str) -> dict[str, Any]:
    return require(known.subjects, code, f"{name}: subject")


def check_unchanged(line: Line, known: Known, fields: dict[str, str]) -> None:
    """Links that define what an object is about may not move on re-import."""
    before = known.stored[line.kind].get(line.data[KEY_FIELD[line.kind]])
    if before is None:
        return
    for name, label in fields.items():
        if before.get(name) is not None and before[name] != line.data[name]:
            raise LineProblem(
                f"{line.kind} {line.data[KEY_FIELD[line.kind]]!r} already exists with {label} {before[name]!r}; "
                f"it cannot change to {line.data[name]!r}"
            )


def check_subject(line: Line, known: Known, now: datetime.datetime) -> None:
    check_unchanged(line, known, {"subjectKind": "subjectKind"})


def check_representation(line: Line, known: Known, now: datetime.datetime) -> None:
    d = line.data
    if require_subject(known, d["personCode"], "personCode")["kind"] != SubjectKind.NATURAL_PERSON.value:
        raise LineProblem(f"personCode {d['personCode']!r} is not a natural person")
    if require_subject(known, d["orgCode"], "orgCode")["kind"] == SubjectKind.NATURAL_PERSON.value:
        raise LineProblem(f"orgCode {d['orgCode']!r} is a natural person, not an organization")


def check_investment(line: Line, known: Known, now: datetime.datetime) -> None:
    d = line.data
    require_subject(known, d["investorCode"], "investorCode")
    if require_subject(known, d["investeeCode"], "investeeCode")["kind"] == SubjectKind.NATURAL_PERSON.value:
        raise LineProblem(f"investeeCode {d['investeeCode']!r} is a natural person; shares are held in organizations")
    if d["since"] > now.date():
        raise LineProblem(f"since {d['since']} is in the future")


def check_branch(line: Line, known: Known, now: datetime.datetime) -> None:
    d = line.data
    for name in ("branchCode", "parentCode"):
        if require_subject(known, d[name], name)["kind"] == SubjectKind.NATURAL_PERSON.value:
            raise LineProblem(f"{name} {d[name]!r} is a natural person; branches are of organizations")
    if d["since"] > now.date():
        raise LineProblem(f"since {d['since']} is in the future")
    parent = known.parents.setdefault(d["branchCode"], d["parentCode"])
    if parent != d["parentCode"]:
        raise LineProblem(f"{d['branchCode']} is already a branch of {parent}: a branch belongs to one organization")


def check_catalog_item(line: Line, known: Known, now: datetime.datetime) -> None:
    d = line.data
    provider = require(known.providers, d["providerCode"], "providerCode: provider")
    if provider["publicity"] != d["publicity"]:
        raise LineProblem(
            f"catalog item is {d['publicity']} but its provider {d['providerCode']} is a {provider['publicity']} "
            "provider (Art. 13)"
        )
    check_unchanged(line, known, {"providerCode": "provider"})


def check_document(line: Line, known: Known, now: datetime.datetime) -> None:
    d = line.data
    require(known.providers, d["issuerCode"], "issuerCode: provider")
    require_subject(known, d["subjectCode"], "subjectCode")
    if d["issuedAt"] > now.date():
        raise LineProblem(f"issuedAt {d['issuedAt']} is in the future")


def check_record(line: Line, known: Known, now: datetime.datetime) -> None:
    d = line.data
    subject = require_subject(known, d["subjectCode"], "subjectCode")
    require(known.providers, d["providerCode"], "providerCode: provider")
    item = require(known.catalog, d["catalogItemId"], "catalogItemId: catalog item")
    if item["providerCode"] != d["providerCode"]:
        raise LineProblem(
            f"catalog item {d['catalogItemId']!r} is supplied by {item['providerCode']}, not by {d['providerCode']} "
            "(Arts. 10, 13)"
        )
    if d["confirmedAt"] > now.date():
        raise LineProblem(f"confirmedAt {d['confirmedAt']} is in the future")
    covered = subject_kinds(item)  # all kinds for an item stored before items said (until `migrate` marks it)
    if subject["kind"] not in covered:
        raise LineProblem(
            f"catalog item {d['catalogItemId']!r} covers {', '.join(covered)}; subject "
            f"{d['subjectCode']} is a {subject['kind']} (Art. 11)"
        )
    about_person = subject["kind"] == SubjectKind.NATURAL_PERSON.value
    if problem := content_problem(item["dataFormat"], d["content"], d["catalogItemId"], about_person=about_person):
        raise LineProblem(problem)
    for document_id in d["documentIds"]:
        document = require(known.documents, document_id, "documentIds: document")
        if document["subjectCode"] != d["subjectCode"]:
            raise LineProblem(f"document {document_id!r} concerns {document['subjectCode']}, not {d['subjectCode']}")
    if item["publicity"] == Publicity.NON_PUBLIC.value and about_person:
        consents = known.collection_consents.get((d["subjectCode"], d["providerCode"]), [])
        if not any(
            consent["status"] == ConsentStatus.ACTIVE.value
            and item["category"] in consent["categories"]
            and consent["validFrom"] <= now <= consent["validUntil"]
            for consent in consents
        ):
            raise LineProblem(
                f"non-public information about natural person {d['subjectCode']} needs that person's active "
                f"{COLLECTION_PURPOSE} consent to {d['providerCode']} for category {item['category']} (Art. 15)"
            )
    check_unchanged(
        line, known, {"subjectCode": "subject", "providerCode": "provider", "catalogItemId": "catalog item"}
    )


def check_measure(line: Line, known: Known, now: datetime.datetime) -> None:
    d = line.data
    require_subject(known, d["subjectCode"], "subjectCode")
    implementer = require(known.providers, d["implementedByCode"], "implementedByCode: provider")
    if implementer["publicity"] != Publicity.PUBLIC.value:
        raise LineProblem(f"measures are implemented by state organs; {d['implementedByCode']} is not one (Art. 19)")
    records = [require(known.records, record_id, "recordIds: record") for record_id in d["recordIds"]]
    for record_id, record in zip(d["recordIds"], records, strict=True):
        if record["subjectCode"] != d["subjectCode"]:
            raise LineProblem(f"record {record_id!r} is about {record['subjectCode']}, not {d['subjectCode']}")
    if d["type"] == MeasureType.PUNITIVE.value and not any(
        record["nature"] == Nature.DISHONEST.value and record["severity"] == Severity.SERIOUS.value
        for record in records
    ):
        raise LineProblem("a PUNITIVE measure must be based on a SERIOUS DISHONEST record in recordIds (Art. 27)")
    check_unchanged(line, known, {"subjectCode": "subject"})
    before = known.stored["measure"].get(d["id"])
    if (
        before
        and before["originalEndsAt"] is not None
        and d["endsAt"] not in (before["originalEndsAt"], before["endsAt"])
    ):
        raise LineProblem(
            f"measure {d['id']!r} ended early on {before['endsAt']} ({before['endReason']}); re-import cannot undo or "
            f"move that end (Art. 36): the file's endsAt stays {before['originalEndsAt']}"
        )


def check_consent(line: Line, known: Known, now: datetime.datetime) -> None:
    d = line.data
    require_subject(known, d["subjectCode"], "subjectCode")
    require(known.providers, d["granteeCode"], "granteeCode: provider")
    if d["purpose"] not in known.purposes:
        raise LineProblem(f"purpose {d['purpose']!r} is neither {COLLECTION_PURPOSE} nor in the query catalog")
    check_unchanged(line, known, {"subjectCode": "subject", "granteeCode": "grantee"})
    before = known.stored["consent"].get(d["id"])
    if before and consent_scope(before) != consent_scope(d):
        raise LineProblem(
            f"consent {d['id']!r} was given by its subject for {describe_scope(before)}; re-import cannot change "
            f"its scope or validity to {describe_scope(d)}, as only the subject gives or revokes consent (Art. 15): "
            "a new consent needs a new id"
        )


def consent_scope(consent: dict[str, Any]) -> tuple[Any, ...]:
    """What a consent allows: its purpose, its categories (in any order) and its validity, as instants."""
    return consent["purpose"], sorted(consent["categories"]), consent["validFrom"], consent["validUntil"]


def describe_scope(consent: dict[str, Any]) -> str:
    return (
        f"{consent['purpose']} of {', '.join(sorted(consent['categories']))} from "
        f"{consent['validFrom'].isoformat()} until {consent['validUntil'].isoformat()}"
    )


def check_nothing(line: Line, known: Known, now: datetime.datetime) -> None:
    return None


CROSS_RULES: dict[str, Callable[[Line, Known, datetime.datetime], None]] = {
    "provider": check_nothing,
    "queryPurpose": check_nothing,
    "subject": check_subject,
    "representation": check_representation,
    "investment": check_investment,
    "branch": check_branch,
    "catalogItem": check_catalog_item,
    "document": check_document,
    "record": check_record,
    "measure": check_measure,
    "consent": check_consent,
}


def check_duplicates(lines: list[Line], problems: Problems) -> None:
    first_seen: dict[tuple[str, str], int] = {}
    for line in lines:
        if line.kind not in KEY_FIELD:
            continue
        key = (line.kind, line.data[KEY_FIELD[line.kind]])
        if key in first_seen:
            problems.add(line.number, f"{line.kind} {key[1]!r} is already defined on line {first_seen[key]}")
        else:
            first_seen[key] = line.number


# --- the whole file ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, int]
    actor_id: str = ""
    """Who the import is in the versions it kept: `import:` and the time and a random part."""
    unchanged: int = 0
    """How many of the lines the store already held as they say (not written again)."""


def validate_lines(numbered: Iterable[tuple[int, Any]]) -> list[Line]:
    """Pass 1 over every line; raises ImportFailed listing every bad line."""
    problems = Problems()
    lines: list[Line] = []
    for number, value in numbered:
        try:
            kind, data = parse_line(value)
        except LineProblem as exc:
            problems.add(number, str(exc))
        else:
            lines.append(Line(number, kind, data))
    problems.raise_if_any()
    return lines


async def check_lines(store: Store, lines: list[Line], now: datetime.datetime) -> Known:
    """Pass 2; raises ImportFailed listing every line whose references or rules fail."""
    problems = Problems()
    check_duplicates(lines, problems)
    known = await load_known(store, lines)
    for line in lines:
        try:
            CROSS_RULES[line.kind](line, known, now)
        except LineProblem as exc:
            problems.add(line.number, str(exc))
    problems.raise_if_any()
    return known


def with_kept_ends(lines: list[Line], known: Known) -> None:
    """A measure ended early keeps its early end (check_measure let through only a line that agrees with it)."""
    for line in lines:
        before = known.stored["measure"].get(line.data["id"]) if line.kind == "measure" else None
        if before and before["originalEndsAt"] is not None:
            line.data["endsAt"] = before["endsAt"]


VERSIONED = {"catalogItem": ("CatalogItem", catalog_item_row), "document": ("Document", None),
             "measure": ("Measure", None)}  # fmt: skip


def changes(lines: list[Line], known: Known) -> dict[str, list[dict[str, Any]]]:
    """The versions to keep, by label: what each line changes in a catalog item, document or measure."""
    found: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        if line.kind not in VERSIONED:
            continue
        label, as_written = VERSIONED[line.kind]
        before = known.stored[line.kind].get(line.data["id"])
        after = as_written(line.data) if as_written else line.data
        if before and (version := changed_fields(label, before, after)):
            found.setdefault(label, []).append(version)
    return found


def same_as_stored(line: Line, known: Known) -> bool:
    """Whether writing the line would change nothing in the store (re-importing a file leaves its lines alone)."""
    d = line.data
    if line.kind == "representation":
        return (d["personCode"], d["role"], d["orgCode"]) in known.relations["representations"]
    if line.kind == "investment":
        held = known.relations["investments"].get((d["investorCode"], d["investeeCode"]))
        return bool(held == (d["share"], d["since"]))
    if line.kind not in SKIPPABLE:
        return False
    before = known.stored[line.kind].get(d[KEY_FIELD[line.kind]])
    if before is None:
        return False
    if line.kind == "record":
        return bool(before["contentHash"] == d["contentHash"])
    if line.kind == "measure" and not set(d["recordIds"]) <= set(before["recordIds"]):
        return False
    return all(before[name] == d[name] for name in SKIPPABLE[line.kind])


SKIPPABLE = {
    "subject": ("name", "region"),
    "document": ("type", "number", "issuedAt", "subjectCode", "issuerCode"),
    "record": (),
    "measure": ("type", "item", "means", "basis", "startsAt", "endsAt", "implementedByCode"),
    "consent": (),  # its scope and links cannot change (check_consent, check_unchanged); it is written once
}
"""The kinds whose lines are compared with the store, and the fields that must be equal (with their links, which
the checks keep from changing). A record compares its content hash, a measure also its records (only added)."""


def with_disclosure(lines: list[Line], catalog: dict[str, dict[str, Any]]) -> None:
    """A record's disclosure window from its item (Art. 33), extended to the end of the file's punitive measures
    based on it (Art. 35, as UPDATE_DISCLOSURE_UNTIL counts it: a new record is written with it)."""
    punitive_ends: dict[str, datetime.date] = {}
    for line in lines:
        if line.kind == "measure" and line.data["type"] == MeasureType.PUNITIVE.value:
            for record_id in line.data["recordIds"]:
                if record_id not in punitive_ends or punitive_ends[record_id] < line.data["endsAt"]:
                    punitive_ends[record_id] = line.data["endsAt"]
    for line in lines:
        if line.kind == "record":
            item = catalog[line.data["catalogItemId"]]
            severity = line.data["severity"]
            line.data["category"] = item["category"]
            line.data["publicity"] = item["publicity"]
            line.data["disclosureMode"] = item["disclosureMode"]
            line.data["disclosureBaseUntil"] = base_disclosure_until(
                Nature(line.data["nature"]),
                Category(item["category"]),
                Severity(severity) if severity else None,
                line.data["confirmedAt"],
            )
            base, measure_ends = line.data["disclosureBaseUntil"], punitive_ends.get(line.data["id"])
            line.data["disclosureUntil"] = max(base, measure_ends) if base and measure_ends else base
            line.data["contentHash"] = content_hash(line.data)


async def import_numbered(
    store: Store,
    numbered: Iterable[tuple[int, Any]],
    *,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and write (line number, object) pairs; all or nothing."""
    now = now or china_now()
    actor_id = f"import:{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    lines = validate_lines(numbered)
    known = await check_lines(store, lines, now)
    with_kept_ends(lines, known)
    with_disclosure(lines, known.catalog)
    by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    counts = dict.fromkeys(KINDS, 0)
    for line in lines:
        counts[line.kind] += 1
        if not same_as_stored(line, known):
            if line.kind in KEY_FIELD:
                line.data["isNew"] = line.data[KEY_FIELD[line.kind]] not in known.stored[line.kind]
            by_kind[line.kind].append(line.data)
    unchanged = len(lines) - sum(len(rows) for rows in by_kind.values())
    if progress and unchanged:
        progress(unchanged)
    versions = changes(lines, known)
    await bulk_writes.write_all(store, by_kind, now=now, actor_id=actor_id, versions=versions, progress=progress)
    counts = {kind: count for kind, count in counts.items() if count}
    for kind, count in counts.items():
        IMPORTED_OBJECTS.labels(kind).inc(count)
    return ImportResult(counts=counts, actor_id=actor_id, unchanged=unchanged)


async def import_json_lines(
    store: Store, lines: Iterable[bytes], *, now: datetime.datetime | None = None, progress: Progress | None = None
) -> ImportResult:
    return await import_numbered(store, decode_json_lines(lines), now=now, progress=progress)


async def import_in_chunks(
    store: Store,
    objects: Iterable[dict[str, Any]],
    *,
    chunk_size: int,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a long stream as consecutive all-or-nothing chunks (demo data, not provider files).

    Objects may refer only to objects before them, so each chunk finds what it
    refers to in the store or in itself.
    """
    counts: dict[str, int] = {}
    chunk: list[tuple[int, Any]] = []

    async def flush() -> None:
        result = await import_numbered(store, chunk, now=now, progress=progress)
        for kind, count in result.counts.items():
            counts[kind] = counts.get(kind, 0) + count
        chunk.clear()

    for number, value in enumerate(objects, start=1):
        chunk.append((number, value))
        if len(chunk) >= chunk_size:
            await flush()
    if chunk:
        await flush()
    return ImportResult(counts=counts)
