"""Credit repair applications (Art. 36)."""

import datetime

import strawberry

from credit.model import MAX_EVIDENCE, SHORT_TEXT
from graph_store.repairs import ApplicationRow

from .enums import RepairStatus
from .notices import Notice, notice_of
from .types import CreditRecord, Info, MutationInput, maybe


@strawberry.type(description="A subject's application to repair a dishonesty record (Art. 36).")
class RepairApplication:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    status: RepairStatus = strawberry.field(description="PENDING until decided, then APPROVED or REJECTED.")
    statement: str = strawberry.field(description="How the subject corrected its behaviour.")
    evidence: list[str] = strawberry.field(description="The evidence offered (document numbers, links, texts).")
    applied_at: datetime.datetime = strawberry.field(description="When it was filed.")
    due_date: datetime.date = strawberry.field(
        description="Decision due by: 3 working days after filing (Art. 36 sets no period; the objections' is used)."
    )
    due_date_provisional: bool = strawberry.field(
        description="True when the due date crosses a year without an official holiday schedule (Monday-Friday)."
    )
    reason: str | None = strawberry.field(description="The decision's reason, once decided.")
    record_id: strawberry.Private[str]
    notice_id: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: ApplicationRow) -> "RepairApplication":
        return cls(
            id=strawberry.ID(row["id"]),
            status=RepairStatus(row["status"]),
            statement=row["statement"],
            evidence=row["evidence"],
            applied_at=row["appliedAt"],
            due_date=row["dueDate"],
            due_date_provisional=row["dueDateProvisional"],
            reason=row["reason"],
            record_id=row["recordId"],
            notice_id=row["noticeId"],
        )

    @strawberry.field(description="The record to repair; null if the viewer may not see it.")
    async def record(self, info: Info) -> CreditRecord | None:
        return maybe(CreditRecord.from_row, await info.context.loaders.record.load(self.record_id))

    @strawberry.field(description="The written result served on the applicant, once decided.")
    async def notice(self, info: Info) -> Notice | None:
        return await notice_of(info, self.notice_id)


@strawberry.input(description="A subject's application to repair one of its dishonesty records.")
class ApplyForRepairInput(MutationInput):
    record_id: strawberry.ID = strawberry.field(description="The dishonesty record, still disclosed.")
    statement: str = strawberry.field(description="How the behaviour was corrected.")
    evidence: list[str] = strawberry.field(
        description=f"The evidence that the behaviour was corrected (Art. 36), required: 1 to {MAX_EVIDENCE} items "
        f"(document numbers, links, texts) of up to {SHORT_TEXT:,} characters each."
    )


@strawberry.input(description="The provider's or department's decision on a repair application.")
class DecideRepairInput(MutationInput):
    application_id: strawberry.ID = strawberry.field(description="The application decided.")
    approve: bool = strawberry.field(description="True: the record is REPAIRED and no longer disclosed.")
    reason: str = strawberry.field(description="Why: served on the applicant.")
