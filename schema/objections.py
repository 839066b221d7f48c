"""Objections to records (Art. 32)."""

import datetime

import strawberry
from strawberry.scalars import JSON

from graph_store.objections import ObjectionRow

from .enums import ObjectionOutcome, ObjectionStatus
from .notices import Notice, notice_of
from .types import CreditRecord, Info, MutationInput, maybe


@strawberry.type(description="A subject's objection to a record (Art. 32): reviewed in 3 working days, 5 with help.")
class Objection:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    status: ObjectionStatus = strawberry.field(description="OPEN until decided, then UPHELD or REJECTED.")
    reason: str = strawberry.field(description="Why the subject objects.")
    received_at: datetime.datetime = strawberry.field(description="When it was received.")
    due_date: datetime.date = strawberry.field(
        description="Decision due by: 3 working days after receipt, 5 when other units help verify."
    )
    due_date_provisional: bool = strawberry.field(
        description="True when the due date crosses a year without an official holiday schedule (Monday-Friday)."
    )
    reply: str | None = strawberry.field(description="The handler's written reply, once decided.")
    record_id: strawberry.Private[str]
    notice_id: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: ObjectionRow) -> "Objection":
        return cls(
            id=strawberry.ID(row["id"]),
            status=ObjectionStatus(row["status"]),
            reason=row["reason"],
            received_at=row["receivedAt"],
            due_date=row["dueDate"],
            due_date_provisional=row["dueDateProvisional"],
            reply=row["reply"],
            record_id=row["recordId"],
            notice_id=row["noticeId"],
        )

    @strawberry.field(description="The record objected to; null if the viewer may not see it.")
    async def record(self, info: Info) -> CreditRecord | None:
        return maybe(CreditRecord.from_row, await info.context.loaders.record.load(self.record_id))

    @strawberry.field(description="The written result served on the subject, once decided.")
    async def notice(self, info: Info) -> Notice | None:
        return await notice_of(info, self.notice_id)


@strawberry.input(description="The record's corrected title and content, when an objection is upheld.")
class CorrectionInput:
    title: str = strawberry.field(description="The corrected title.")
    content: JSON = strawberry.field(description="The corrected content, in the record's catalog item format.")


@strawberry.input(description="The subject's objection to one of its records.")
class FileObjectionInput(MutationInput):
    record_id: strawberry.ID = strawberry.field(description="The record objected to.")
    reason: str = strawberry.field(description="Why the information is wrong.")


@strawberry.input(description="The handler's decision on an objection.")
class DecideObjectionInput(MutationInput):
    objection_id: strawberry.ID = strawberry.field(description="The objection decided.")
    outcome: ObjectionOutcome = strawberry.field(description="UPHELD (the record was wrong) or REJECTED.")
    reply: str = strawberry.field(description="The written reply served on the subject.")
    correction: CorrectionInput | None = strawberry.field(default=None, description="For UPHELD: the corrected record.")


@strawberry.input(description="The handler's word that other units help verify an objection.")
class RequestAssistanceInput(MutationInput):
    objection_id: strawberry.ID = strawberry.field(description="The objection.")
