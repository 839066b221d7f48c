"""Bulk import of JSON Lines: every line checked, and written in one transaction that commits only if all are right.

The file is read twice and its lines are never all held. The first read looks at each line alone (shape, codes,
dates, banned data) and keeps what the second needs (`Gathered`); the second checks what needs more than one line:
that references point to something in the file or in the store, that content matches its catalog item's format,
that the law's conditions hold (Arts. 11, 12, 15, 27), and writes each line as it passes, kind by kind. Only a file
without a single problem is committed, so a bad file writes nothing.

Import obeys the API's rules. Banned data and the collection consent concern natural persons (Art. 15): an item
says which subjects it covers (`subjectKinds`). Re-import cannot change what a subject or an agency did: a
consent's scope and validity (a line error), a measure's early end, a document's revocation; what it changes in
catalog items, documents and measures is kept as a `Version` with the import as actor (graph_store/versions.py).
"""

import asyncio
import datetime
import heapq
import secrets
import sys
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

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
from .import_lines import FileLines, HeldLines, LineProblem, Source, decode_json_lines

MAX_PROBLEMS = 200
YIELD_EVERY = 200
"""Lines checked between two turns of the event loop in the second read, in which the writes in flight progress."""
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


REFERENCES = (
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
)


OF_KIND = {kind.value: {"kind": kind.value} for kind in SubjectKind}
"""What the checks need of a subject of the file: its kind (one dict per kind, shared: never changed)."""
CONSENT_FIELDS = ("id", "subjectCode", "granteeCode", "categories", "validFrom", "validUntil")
"""What check_record needs of a collection consent."""


@dataclass
class Gathered:
    """What the first read keeps of the file's lines: what the cross-line checks need (keys, references and a few
    fields of what lines refer to), never the lines themselves; the second read gets them again (`Source`)."""

    positions: dict[str, "array[int]"] = field(default_factory=lambda: {kind: array("q") for kind in KINDS})
    """Where each kind's lines are in the source, in file order."""
    first_seen: dict[str, dict[str, int]] = field(default_factory=lambda: {kind: {} for kind in KEY_FIELD})
    duplicates: Problems = field(default_factory=lambda: Problems())
    wanted: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KEY_FIELD})
    """The keys, per kind, that the lines name; the store is asked for those it has."""
    providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    subjects: dict[str, dict[str, Any]] = field(default_factory=dict)
    purposes: set[str] = field(default_factory=set)
    catalog: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    collection_consents: list[dict[str, Any]] = field(default_factory=list)
    record_subjects: set[str] = field(default_factory=set)
    org_codes: set[str] = field(default_factory=set)
    investee_codes: set[str] = field(default_factory=set)
    punitive_ends: dict[str, datetime.date] = field(default_factory=dict)
    """The end of the file's last punitive measure based on each record (Art. 35)."""

    lookups: list[asyncio.Task[dict[str, dict[str, dict[str, Any]]]]] = field(default_factory=list)
    """What the store holds of the keys asked so far: asked while the first read goes on (`ask`)."""

    def ask(self, store: Store) -> None:
        """Look up in the store the keys named since the last time, while the first read goes on (a key named again
        later is asked again: the same answer)."""
        if any(self.wanted.values()):
            keys = {kind: sorted(keys) for kind, keys in self.wanted.items()}
            self.wanted = {kind: set() for kind in KEY_FIELD}
            self.lookups.append(asyncio.create_task(bulk_writes.fetch_existing(store, keys)))

    async def stored(self) -> dict[str, dict[str, dict[str, Any]]]:
        """What the store holds of every key the file names, by kind and key."""
        found: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KEY_FIELD}
        for lookup in self.lookups:
            for kind, some in (await lookup).items():
                found[kind].update(some)
        return found

    async def drop_lookups(self) -> None:
        for lookup in self.lookups:
            lookup.cancel()
        await asyncio.gather(*self.lookups, return_exceptions=True)

    def add(self, number: int, position: int, kind: str, d: dict[str, Any]) -> None:
        self.positions[kind].append(position)
        wanted = self.wanted
        if kind in KEY_FIELD:
            key = d[KEY_FIELD[kind]] = sys.intern(d[KEY_FIELD[kind]])  # one string for the key and its references
            wanted[kind].add(key)
            first = self.first_seen[kind].setdefault(key, number)
            if first != number:
                self.duplicates.add(number, f"{kind} {key!r} is already defined on line {first}")
        for name, referred in REFERENCES:
            if name in d:
                wanted[referred].add(d[name])
        if documents := d.get("documentIds"):
            wanted["document"].update(documents)
        if kind == "provider":
            self.providers[d["code"]] = {"publicity": d["publicity"], "type": d["type"]}
        elif kind == "subject":
            self.subjects[d["code"]] = OF_KIND[d["subjectKind"]]
        elif kind == "queryPurpose":
            self.purposes.add(d["code"])
        elif kind == "catalogItem":
            self.catalog[d["id"]] = {**d, "dataFormat": canonical_json(d["dataFormat"])}
        elif kind == "document":
            self.documents[d["id"]] = {"subjectCode": sys.intern(d["subjectCode"])}
        elif kind == "record":
            severity = d["severity"] and Severity(d["severity"]).value  # the enum's string, not one per line
            subject = sys.intern(d["subjectCode"])
            self.records[d["id"]] = {"subjectCode": subject, "nature": Nature(d["nature"]).value, "severity": severity}
            self.record_subjects.add(subject)
        elif kind == "measure":
            wanted["record"].update(d["recordIds"])
            if d["type"] == MeasureType.PUNITIVE.value:
                for record_id in d["recordIds"]:
                    if record_id not in self.punitive_ends or self.punitive_ends[record_id] < d["endsAt"]:
                        self.punitive_ends[record_id] = d["endsAt"]
        elif kind == "consent" and d["purpose"] == COLLECTION_PURPOSE:
            self.collection_consents.append({name: d[name] for name in CONSENT_FIELDS})
        elif kind == "representation":
            self.org_codes.add(d["orgCode"])
        elif kind == "investment":
            self.investee_codes.add(d["investeeCode"])


async def load_known(store: Store, gathered: Gathered) -> Known:
    gathered.ask(store)
    stored = await gathered.stored()
    consents = await bulk_writes.fetch_collection_consents(store, sorted(gathered.record_subjects), COLLECTION_PURPOSE)
    stored_status = {consent["id"]: consent["status"] for consent in consents}
    relations = await bulk_writes.fetch_relations(store, sorted(gathered.org_codes), sorted(gathered.investee_codes))
    known = Known(
        providers={**stored["provider"], **gathered.providers},
        subjects={**stored["subject"], **gathered.subjects},
        purposes=set(stored["queryPurpose"]) | {COLLECTION_PURPOSE} | gathered.purposes,
        catalog={**stored["catalogItem"], **gathered.catalog},
        documents={**stored["document"], **gathered.documents},
        records={**stored["record"], **gathered.records},
        collection_consents={},
        stored=stored,
        parents={code: subject["parentCode"] for code, subject in stored["subject"].items() if subject["parentCode"]},
        relations=relations,
    )
    for consent in consents:
        known.collection_consents.setdefault((consent["subjectCode"], consent["granteeCode"]), []).append(consent)
    for consent in gathered.collection_consents:
        # Re-importing a consent never revives it: a revoked one stays revoked.
        status = stored_status.get(consent["id"], ConsentStatus.ACTIVE.value)
        known.collection_consents.setdefault((consent["subjectCode"], consent["granteeCode"]), []).append(
            {**consent, "status": status}
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


# --- the whole file ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, int]
    actor_id: str = ""
    """Who the import is in the versions it kept: `import:` and the time and a random part."""
    unchanged: int = 0
    """How many of the lines the store already held as they say (not written again)."""


class Checked:
    """The problems of the second read, reported as if the lines had been checked in file order (they are checked
    kind by kind, as they are written): a file's duplicates first, then the first MAX_PROBLEMS by line number."""

    def __init__(self, duplicates: Problems) -> None:
        self.duplicates = duplicates
        self.first: list[tuple[int, str]] = []  # a heap of (-number, reason): the largest number on top
        self.count = 0

    def add(self, number: int, reason: str) -> None:
        self.count += 1
        if len(self.first) < MAX_PROBLEMS:
            heapq.heappush(self.first, (-number, reason))
        elif -self.first[0][0] > number:
            heapq.heapreplace(self.first, (-number, reason))

    def __bool__(self) -> bool:
        return bool(self.count or self.duplicates.found)

    def raise_if_any(self) -> None:
        found = self.duplicates.found + [f"line {-n}: {reason}" for n, reason in sorted(self.first, reverse=True)]
        total = len(self.duplicates.found) + self.duplicates.more + self.count
        if found:
            raise ImportFailed(found[:MAX_PROBLEMS], total - min(len(found), MAX_PROBLEMS))


async def gather(source: Source, store: Store) -> Gathered:
    """The first read, each line alone; raises ImportFailed listing every bad line. The keys it finds are looked up
    in the store meanwhile, KEYS_PER_QUERY at a time (Neo4j's time and Python's overlap)."""
    problems = Problems()
    gathered = Gathered()
    try:
        for number, position, value in source.numbered():
            try:
                kind, data = parse_line(value)
            except LineProblem as exc:
                problems.add(number, str(exc))
            else:
                if not problems.found:
                    gathered.add(number, position, kind, data)
            if not number % YIELD_EVERY and not problems.found:
                if sum(map(len, gathered.wanted.values())) >= bulk_writes.KEYS_PER_QUERY:
                    gathered.ask(store)
                await asyncio.sleep(0)  # the look-ups in flight progress
        problems.raise_if_any()
    except BaseException:
        await gathered.drop_lookups()
        raise
    return gathered


def read_again(source: Source, position: int, kind: str) -> Line:
    """A line of the second read: the bytes the first read checked alone (or the source refuses it), so only its
    line rule runs again, for its data (codes, dates), not its shape."""
    value = source.again(position)
    if isinstance(value, LineProblem):
        raise value
    return Line(source.number(position), kind, LINE_RULES[kind](value))


def with_kept_ends(line: Line, known: Known) -> None:
    """A measure ended early keeps its early end (check_measure let through only a line that agrees with it)."""
    before = known.stored["measure"].get(line.data["id"])
    if before and before["originalEndsAt"] is not None:
        line.data["endsAt"] = before["endsAt"]


VERSIONED = {"catalogItem": ("CatalogItem", catalog_item_row), "document": ("Document", None),
             "measure": ("Measure", None)}  # fmt: skip


def add_change(line: Line, known: Known, versions: dict[str, list[dict[str, Any]]]) -> None:
    """The version to keep, by label, of what the line changes in a catalog item, document or measure."""
    if line.kind not in VERSIONED:
        return
    label, as_written = VERSIONED[line.kind]
    before = known.stored[line.kind].get(line.data["id"])
    after = as_written(line.data) if as_written else line.data
    if before and (version := changed_fields(label, before, after)):
        versions.setdefault(label, []).append(version)


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


def with_disclosure(line: Line, catalog: dict[str, dict[str, Any]], punitive_ends: dict[str, datetime.date]) -> None:
    """A record's disclosure window from its item (Art. 33), extended to the end of the file's punitive measures
    based on it (Art. 35, as UPDATE_DISCLOSURE_UNTIL counts it: a new record is written with it)."""
    d = line.data
    item = catalog[d["catalogItemId"]]
    severity = d["severity"]
    d["category"] = item["category"]
    d["publicity"] = item["publicity"]
    d["disclosureMode"] = item["disclosureMode"]
    d["disclosureBaseUntil"] = base_disclosure_until(
        Nature(d["nature"]), Category(item["category"]), Severity(severity) if severity else None, d["confirmedAt"]
    )
    base, measure_ends = d["disclosureBaseUntil"], punitive_ends.get(d["id"])
    d["disclosureUntil"] = max(base, measure_ends) if base and measure_ends else base
    d["contentText"] = canonical_json(d["content"])
    d["contentHash"] = content_hash(d, d["contentText"])


def new_objects(gathered: Gathered, known: Known) -> int:
    return sum(1 for kind in bulk_writes.CREATE for key in gathered.first_seen[kind] if key not in known.stored[kind])


async def import_source(
    store: Store, source: Source, *, now: datetime.datetime | None = None, progress: Progress | None = None
) -> ImportResult:
    """Validate and write a source's lines; all or nothing.

    The first read checks each line alone and keeps what the checks across lines need; the second read checks each
    line against the file and the store and writes it, kind by kind, in the import's one transaction (bulk_writes.
    Writing), which commits only if no line of the file was wrong: the lines are never all held at once."""
    now = now or china_now()
    actor_id = f"import:{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    gathered = await gather(source, store)
    try:
        known = await load_known(store, gathered)
    finally:
        await gathered.drop_lookups()
    problems = Checked(gathered.duplicates)
    counts = {kind: len(positions) for kind, positions in gathered.positions.items() if positions}
    staging = new_objects(gathered, known) >= bulk_writes.STAGE_FROM
    async with bulk_writes.Writing(store, now=now, actor_id=actor_id, staging=staging, progress=progress) as writing:
        if staging:  # every new object staged before the one transaction locks what they link to (bulk_writes)
            await write_lines(source, gathered, known, writing, problems, now, new=True)
            problems.raise_if_any()
            unchanged = await write_lines(source, gathered, known, writing, problems, now, new=False)
        else:
            unchanged = await write_lines(source, gathered, known, writing, problems, now)
        problems.raise_if_any()
        if why := source.changed():
            raise ImportFailed([why])
    for kind, count in counts.items():
        IMPORTED_OBJECTS.labels(kind).inc(count)
    return ImportResult(counts=counts, actor_id=actor_id, unchanged=unchanged)


async def write_lines(
    source: Source,
    gathered: Gathered,
    known: Known,
    writing: bulk_writes.Writing,
    problems: Checked,
    now: datetime.datetime,
    *,
    new: bool | None = None,
) -> int:
    """Read each line again, kind by kind in the order of writes, check it against the file and the store, and write
    it; returns how many lines the store already held as they are. With `new`, only the lines of new objects are
    written (True), or only the others (False): a staging import reads the file twice here, all new objects first."""
    unchanged = 0
    for kind, _, _ in bulk_writes.PLAN:
        batch: list[dict[str, Any]] = []
        versions: dict[str, list[dict[str, Any]]] = {}
        skipped = 0
        for position in gathered.positions[kind]:
            if not position % YIELD_EVERY:
                await asyncio.sleep(0)  # the batch sent last goes on to Neo4j while this one is checked
            try:
                line = read_again(source, position, kind)
                CROSS_RULES[kind](line, known, now)
            except LineProblem as exc:
                problems.add(source.number(position), str(exc))
                continue
            if problems:
                continue  # the import fails: the rest is only checked
            if kind == "measure":
                with_kept_ends(line, known)
            elif kind == "record":
                with_disclosure(line, known.catalog, gathered.punitive_ends)
            is_new = kind in KEY_FIELD and line.data[KEY_FIELD[kind]] not in known.stored[kind]
            if new is not None and is_new != new:
                continue
            if same_as_stored(line, known):
                skipped += 1
                continue
            if kind in KEY_FIELD:
                line.data["isNew"] = is_new
            add_change(line, known, versions)
            batch.append(line.data)
            if len(batch) >= bulk_writes.BATCH:
                await writing.write(kind, batch, versions)
                batch, versions = [], {}
        if batch and not problems:
            await writing.write(kind, batch, versions)
        unchanged += skipped
        if writing.progress and skipped:
            writing.progress(skipped)
    return unchanged


async def import_numbered(
    store: Store,
    numbered: Iterable[tuple[int, Any]],
    *,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and write (line number, object) pairs, held in memory; all or nothing."""
    return await import_source(store, HeldLines(numbered), now=now, progress=progress)


async def import_json_lines(
    store: Store, lines: Iterable[bytes], *, now: datetime.datetime | None = None, progress: Progress | None = None
) -> ImportResult:
    return await import_numbered(store, decode_json_lines(lines), now=now, progress=progress)


async def import_stream(
    store: Store, stream: BinaryIO, *, now: datetime.datetime | None = None, progress: Progress | None = None
) -> ImportResult:
    """Import a seekable file read twice (import_lines.FileLines): what is held does not grow with its lines."""
    return await import_source(store, FileLines(stream), now=now, progress=progress)


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
