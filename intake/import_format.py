"""The shape of each import line, as JSON Schema (docs/contract.md, "Command line and import").

Structure, types and enums are checked here; codes, dates, references and the
law's rules are checked by the importer, which needs more than one line.
Lines are checked by fastjsonschema (compiled, much faster: docs/performance.md,
"Parsing bodies and import lines"); only a line it refuses goes through jsonschema, whose
`best_match` names the problem best.
"""

from enum import Enum
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from credit.model import (
    SHORT_TEXT,
    Category,
    DisclosureMode,
    DocumentType,
    MeasureType,
    Nature,
    ProviderType,
    Publicity,
    RepresentationRole,
    Severity,
    SubjectKind,
)

TEXT = {"type": "string", "minLength": 1, "maxLength": SHORT_TEXT, "pattern": r"\S"}
CODE = {"type": "string", "minLength": 1, "maxLength": 40}
ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATETIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"}
REGION = {"type": "string", "pattern": r"^43\d{4}$"}
PURPOSE_CODE = {"type": "string", "pattern": r"^[A-Z][A-Z0-9_]{1,63}$"}


def one_of(enum: type[Enum]) -> dict[str, Any]:
    return {"enum": [member.value for member in enum]}


def line(kind: str, properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"kind": {"const": kind}, **properties},
        "required": ["kind", *(name for name in properties if name not in optional)],
        "additionalProperties": False,
    }


LINE_SCHEMAS: dict[str, dict[str, Any]] = {
    "provider": line(
        "provider",
        {"code": CODE, "name": TEXT, "publicity": one_of(Publicity), "type": one_of(ProviderType), "region": REGION},
    ),
    "subject": line("subject", {"code": CODE, "name": TEXT, "subjectKind": one_of(SubjectKind), "region": REGION}),
    "representation": line(
        "representation", {"personCode": CODE, "orgCode": CODE, "role": one_of(RepresentationRole), "since": DATE}
    ),
    "investment": line(
        "investment",
        {
            "investorCode": CODE,
            "investeeCode": CODE,
            "share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "since": DATE,
        },
    ),
    "branch": line("branch", {"branchCode": CODE, "parentCode": CODE, "since": DATE}),
    "queryPurpose": line(
        "queryPurpose",
        {
            "code": PURPOSE_CODE,
            "name": TEXT,
            "categories": {"type": "array", "items": one_of(Category), "minItems": 1, "uniqueItems": True},
        },
        optional=("categories",),
    ),
    "catalogItem": line(
        "catalogItem",
        {
            "id": ID,
            "name": TEXT,
            "providerCode": CODE,
            "category": one_of(Category),
            "publicity": one_of(Publicity),
            "disclosureMode": one_of(DisclosureMode),
            "dataFormat": {"type": "object"},
            "subjectKinds": {"type": "array", "items": one_of(SubjectKind), "minItems": 1, "uniqueItems": True},
            "repairable": {"type": "boolean"},
        },
        optional=("subjectKinds", "repairable"),
    ),
    "document": line(
        "document",
        {
            "id": ID,
            "type": one_of(DocumentType),
            "number": TEXT,
            "issuerCode": CODE,
            "issuedAt": DATE,
            "subjectCode": CODE,
        },
    ),
    "record": line(
        "record",
        {
            "id": ID,
            "subjectCode": CODE,
            "providerCode": CODE,
            "catalogItemId": ID,
            "title": TEXT,
            "nature": one_of(Nature),
            "severity": {"enum": [*(member.value for member in Severity), None]},
            "confirmedAt": DATE,
            "documentIds": {"type": "array", "items": ID, "maxItems": 50, "uniqueItems": True},
            "content": {"type": "object"},
        },
        optional=("severity", "documentIds"),
    ),
    "measure": line(
        "measure",
        {
            "id": ID,
            "type": one_of(MeasureType),
            "subjectCode": CODE,
            "implementedByCode": CODE,
            "item": TEXT,
            "means": TEXT,
            "basis": TEXT,
            "startsAt": DATE,
            "endsAt": DATE,
            "recordIds": {"type": "array", "items": ID, "maxItems": 200, "uniqueItems": True},
        },
        optional=("recordIds",),
    ),
    "consent": line(
        "consent",
        {
            "id": ID,
            "subjectCode": CODE,
            "granteeCode": CODE,
            "purpose": PURPOSE_CODE,
            "categories": {"type": "array", "items": one_of(Category), "minItems": 1, "uniqueItems": True},
            "validFrom": DATETIME,
            "validUntil": DATETIME,
        },
    ),
}

VALIDATORS = {kind: Draft202012Validator(schema) for kind, schema in LINE_SCHEMAS.items()}
COMPILED = {kind: fastjsonschema.compile(schema) for kind, schema in LINE_SCHEMAS.items()}
KINDS = tuple(LINE_SCHEMAS)


def shape_error(kind: str, line: dict[str, Any]) -> ValidationError | None:
    """What is most wrong with the line's shape, or None when it has the shape of its kind."""
    try:
        COMPILED[kind](line)
    except fastjsonschema.JsonSchemaValueException:
        return best_match(VALIDATORS[kind].iter_errors(line))
    return None
