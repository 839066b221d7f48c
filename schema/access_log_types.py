"""What the access log shows: to a subject, who touched its data; to auditors, everything."""

import datetime

import strawberry

from graph_store.access_log import AccessRecordRow, AuditEntryRow

from .enums import AccessDecision, Role

ENTRY_ID = (
    "Stable id: the entry's hash, the same in a subject's view and the auditors'. It reveals nothing of what the "
    "entry holds (the hash covers the server's random request id among its fields), and never changes: the chain is "
    "append-only and `credit-graph log verify` checks it."
)


@strawberry.type(description="One access to a subject's data, as the subject sees it (Art. 31): who, not by name.")
class AccessRecord:
    id: strawberry.ID = strawberry.field(description=ENTRY_ID)
    at: datetime.datetime = strawberry.field(description="When.")
    unit: str | None = strawberry.field(
        description="The organization that accessed the data (its code); null when a person (role SUBJECT) or an "
        "anonymous visitor did: one person's access is never shown to another by their resident ID."
    )
    role: Role | None = strawberry.field(description="In what capacity; null for an anonymous visitor.")
    purpose: str | None = strawberry.field(description="The declared purpose, from the query application catalog.")
    operation: str = strawberry.field(description="What was asked: operation type, name and root fields.")
    decision: AccessDecision = strawberry.field(
        description="ALLOWED; DENIED when the request was refused; FAILED when a change was tried and nothing changed."
    )

    @classmethod
    def from_row(cls, row: AccessRecordRow) -> "AccessRecord":
        return cls(
            id=strawberry.ID(row["hash"]),
            at=row["at"],
            unit=row["unit"],
            role=Role(row["role"]) if row["role"] else None,
            purpose=row["purpose"],
            operation=row["operation"],
            decision=AccessDecision(row["decision"]),
        )


@strawberry.type(description="An access-log entry with everything it records (Art. 21), for auditors.")
class AccessLogEntry:
    id: strawberry.ID = strawberry.field(description=ENTRY_ID)
    seq: int = strawberry.field(description="Position in the log: 1, 2, 3, ... without gaps.")
    at: datetime.datetime = strawberry.field(description="When.")
    request_id: str = strawberry.field(description="The request's id, as the server gave it (X-Request-Id).")
    correlation_id: str | None = strawberry.field(
        description="The X-Request-Id the caller sent, if any: its own correlation id, not ours."
    )
    actor_id: str | None = strawberry.field(
        description="Who: the actor id the server derives from the token's subject (never a name or resident ID); "
        "null for anonymous requests."
    )
    actor_name: str | None = strawberry.field(description="Who, by name.")
    unit: str | None = strawberry.field(description="Their organization's code.")
    role: Role | None = strawberry.field(description="Their role; null for anonymous requests.")
    purpose: str | None = strawberry.field(description="The declared purpose.")
    operation: str = strawberry.field(description="What was asked: operation type, name and root fields.")
    decision: AccessDecision = strawberry.field(
        description="ALLOWED, DENIED or FAILED (a change tried, nothing changed)."
    )
    count: int = strawberry.field(
        description="How many requests the entry stands for: 1, or how many refusals before authentication from one "
        "source, for one reason, in one minute."
    )
    subject_codes: list[str] = strawberry.field(description="Codes of the subjects whose data was revealed.")
    record_ids: list[str] = strawberry.field(description="Ids of the records revealed or changed.")
    listing_ids: list[str] = strawberry.field(description="Ids of the serious-dishonesty listings revealed or changed.")
    measure_ids: list[str] = strawberry.field(description="Ids of the measures revealed or changed.")
    objection_ids: list[str] = strawberry.field(description="Ids of the objections revealed or changed.")
    consent_ids: list[str] = strawberry.field(description="Ids of the consents revealed or changed.")
    hash: str = strawberry.field(description="SHA-256 over this entry and the previous entry's hash.")
    prev_hash: str = strawberry.field(description="The previous entry's hash (empty for the first entry).")

    @classmethod
    def from_row(cls, row: AuditEntryRow) -> "AccessLogEntry":
        return cls(
            id=strawberry.ID(row["hash"]),
            seq=row["seq"],
            at=row["at"],
            request_id=row["requestId"],
            correlation_id=row.get("correlationId"),
            actor_id=row.get("actorId"),
            actor_name=row.get("actorName"),
            unit=row.get("unit"),
            role=Role(row["role"]) if row.get("role") else None,
            purpose=row.get("purpose"),
            operation=row["operation"],
            decision=AccessDecision(row["decision"]),
            count=row.get("count", 1),
            subject_codes=sorted(row.get("subjectCodes", [])),
            record_ids=row.get("recordIds", []),
            listing_ids=row.get("listingIds", []),
            measure_ids=row.get("measureIds", []),
            objection_ids=row.get("objectionIds", []),
            consent_ids=row.get("consentIds", []),
            hash=row["hash"],
            prev_hash=row["prevHash"],
        )
