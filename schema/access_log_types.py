"""What the access log shows: to a subject, who touched its data; to auditors, everything."""

import datetime
from typing import Any

import strawberry


@strawberry.type(description="One access to a subject's data, as the subject sees it (Art. 31): who, not by name.")
class AccessRecord:
    at: datetime.datetime = strawberry.field(description="When.")
    unit: str | None = strawberry.field(description="The organization that accessed the data (its code).")
    role: str | None = strawberry.field(description="In what capacity: AGENCY, CREDIT_SERVICE, PROVIDER, ...")
    purpose: str | None = strawberry.field(description="The declared purpose, from the query application catalog.")
    operation: str = strawberry.field(description="What was asked: operation type, name and root fields.")
    decision: str = strawberry.field(description="ALLOWED, or DENIED when the request was refused.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "AccessRecord":
        return cls(
            at=row["at"],
            unit=row["unit"],
            role=row["role"],
            purpose=row["purpose"],
            operation=row["operation"],
            decision=row["decision"],
        )


@strawberry.type(description="An access-log entry with everything it records (Art. 21), for auditors.")
class AccessLogEntry:
    seq: int = strawberry.field(description="Position in the log: 1, 2, 3, ... without gaps.")
    at: datetime.datetime = strawberry.field(description="When.")
    request_id: str = strawberry.field(description="The request's id (X-Request-Id).")
    actor_id: str | None = strawberry.field(description="Who: the token's subject; null for anonymous requests.")
    actor_name: str | None = strawberry.field(description="Who, by name.")
    unit: str | None = strawberry.field(description="Their organization's code.")
    role: str | None = strawberry.field(description="Their role.")
    purpose: str | None = strawberry.field(description="The declared purpose.")
    operation: str = strawberry.field(description="What was asked: operation type, name and root fields.")
    decision: str = strawberry.field(description="ALLOWED or DENIED.")
    subject_codes: list[str] = strawberry.field(description="Codes of the subjects whose data was returned.")
    record_ids: list[str] = strawberry.field(description="Ids of the records returned.")
    hash: str = strawberry.field(description="SHA-256 over this entry and the previous entry's hash.")
    prev_hash: str = strawberry.field(description="The previous entry's hash (empty for the first entry).")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "AccessLogEntry":
        return cls(
            seq=row["seq"],
            at=row["at"],
            request_id=row["requestId"],
            actor_id=row.get("actorId"),
            actor_name=row.get("actorName"),
            unit=row.get("unit"),
            role=row.get("role"),
            purpose=row.get("purpose"),
            operation=row["operation"],
            decision=row["decision"],
            subject_codes=sorted(row.get("subjectCodes", [])),
            record_ids=row.get("recordIds", []),
            hash=row["hash"],
            prev_hash=row["prevHash"],
        )
