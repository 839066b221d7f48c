"""The classes the policy speaks of, as Oso sees them.

`Viewer` is who asks, with the time and the declared purpose (Polar has no
clock). `Record`, `Subject` and `Consent` stand for graph nodes: their fields
are node properties and their relations are graph relationships, compiled to
Cypher by `cypher_filter`. Instances are only built when a single object is
checked with `is_allowed`.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from polar import Relation


@dataclass(frozen=True)
class Viewer:
    role: str | None
    unit: str | None
    purpose: str | None
    today: datetime.date
    now: datetime.datetime
    categories: tuple[str, ...] = ()
    """The record categories the declared purpose serves, as the query application catalog says (Arts. 20-21)."""


class Node:
    """A node's properties as attributes; a property Neo4j does not store (null) reads as None."""

    def __init__(self, **properties: Any) -> None:
        self.__dict__.update(properties)

    def __getattr__(self, name: str) -> None:
        if name.startswith("__"):
            raise AttributeError(name)
        return None


class Record(Node):
    pass


class Subject(Node):
    pass


class Consent(Node):
    pass


class Document(Node):
    pass


class Measure(Node):
    pass


class Listing(Node):
    pass


class Notice(Node):
    """An agency's written notice (PRE_MEASURE, PRE_LISTING): its subject states its defence on it (Art. 37)."""


class Objection(Node):
    """A subject's objection (Art. 32): who filed it, what it is about and who decides it."""


FIELDS: dict[type[Node], dict[str, Any]] = {
    Record: {
        "id": str,
        "disclosureMode": str,
        "status": str,
        "category": str,
        "confirmedAt": datetime.date,
        "disclosureUntil": datetime.date,
        "publishedBySubjectAt": datetime.datetime,
        "providerCode": str,
        "subjectCode": str,
        "subject": Relation(kind="one", other_type="Subject", my_field="subjectCode", other_field="code"),
    },
    Subject: {
        "code": str,
        "kind": str,
        "consents": Relation(kind="many", other_type="Consent", my_field="code", other_field="subjectCode"),
        "records": Relation(kind="many", other_type="Record", my_field="code", other_field="subjectCode"),
    },
    Consent: {
        "id": str,
        "purpose": str,
        "status": str,
        "categories": list,
        "validFrom": datetime.datetime,
        "validUntil": datetime.datetime,
        "granteeCode": str,
        "subjectCode": str,
    },
    Document: {"id": str, "issuerCode": str, "status": str, "providerCodes": list},
    Measure: {
        "id": str,
        "subjectCode": str,
        "implementedByCode": str,
        "startsAt": datetime.date,
        "endsAt": datetime.date,
        "endReason": str,
    },
    Listing: {"id": str, "status": str, "subjectCode": str, "decidedByCode": str, "disclosureUntil": datetime.date},
    Notice: {"id": str, "subjectCode": str},
    Objection: {"id": str, "status": str, "targetKind": str, "subjectCode": str, "handlerCode": str},
}

LABELS: dict[type[Node], str] = {
    Record: "Record", Subject: "Subject", Consent: "Consent", Document: "Document", Measure: "Measure",
    Listing: "Listing", Notice: "Notice", Objection: "Objection",
}  # fmt: skip
KEYS: dict[type[Node], str] = {
    Record: "id", Subject: "code", Consent: "id", Document: "id", Measure: "id", Listing: "id", Notice: "id",
    Objection: "id",
}  # fmt: skip
"""The property that identifies a node, for conditions on a whole object."""
