"""Objections to records (Art. 32)."""

import datetime

import strawberry
from strawberry.scalars import JSON

from graph_store.objections import ObjectionRow

from .enums import ObjectionKind, ObjectionOutcome, ObjectionStatus, ObjectionTarget
from .notices import Notice, notice_of
from .types import CreditRecord, Info, Listing, Measure, MutationInput, Provider, maybe, provider_of


@strawberry.type(
    description="A subject's objection to a record, listing, measure or provider (Art. 32): reviewed in 3 working "
    "days, 5 with help."
)
class Objection:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    status: ObjectionStatus = strawberry.field(description="OPEN until decided, then UPHELD or REJECTED.")
    kind: ObjectionKind = strawberry.field(description="An ERROR, an OMISSION or an INFRINGEMENT.")
    target: ObjectionTarget = strawberry.field(
        description="What it is about, and so who decides it: the one of record, listing, measure, provider set."
    )
    reason: str = strawberry.field(description="Why the subject objects.")
    received_at: datetime.datetime = strawberry.field(description="When it was received.")
    due_date: datetime.date = strawberry.field(
        description="Decision due by: 3 working days after receipt, 5 when other units help verify."
    )
    due_date_provisional: bool = strawberry.field(
        description="True when the due date crosses a year without an official holiday schedule (Monday-Friday)."
    )
    reply: str | None = strawberry.field(description="The handler's written reply, once decided.")
    record_id: strawberry.Private[str | None]
    listing_id: strawberry.Private[str | None]
    measure_id: strawberry.Private[str | None]
    provider_id: strawberry.Private[str | None]
    notice_id: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: ObjectionRow) -> "Objection":
        return cls(
            id=strawberry.ID(row["id"]),
            status=ObjectionStatus(row["status"]),
            kind=ObjectionKind(row["kind"]),
            target=ObjectionTarget(row["targetKind"]),
            reason=row["reason"],
            received_at=row["receivedAt"],
            due_date=row["dueDate"],
            due_date_provisional=row["dueDateProvisional"],
            reply=row["reply"],
            record_id=row["recordId"],
            listing_id=row["listingId"],
            measure_id=row["measureId"],
            provider_id=row["providerId"],
            notice_id=row["noticeId"],
        )

    @strawberry.field(description="The record objected to; null for another target or if the viewer may not see it.")
    async def record(self, info: Info) -> CreditRecord | None:
        if self.record_id is None:
            return None
        return maybe(CreditRecord.from_row, await info.context.loaders.record.load(self.record_id))

    @strawberry.field(description="The listing objected to; null for another target or if the viewer may not see it.")
    async def listing(self, info: Info) -> Listing | None:
        if self.listing_id is None:
            return None
        return maybe(Listing.from_row, await info.context.loaders.listing.load(self.listing_id))

    @strawberry.field(description="The measure objected to; null for another target or if the viewer may not see it.")
    async def measure(self, info: Info) -> Measure | None:
        if self.measure_id is None:
            return None
        return maybe(Measure.from_row, await info.context.loaders.measure.load(self.measure_id))

    @strawberry.field(description="The provider objected to (an OMISSION or INFRINGEMENT); null for another target.")
    async def provider(self, info: Info) -> Provider | None:
        return await provider_of(info, self.provider_id) if self.provider_id is not None else None

    @strawberry.field(description="The written result served on the subject, once decided.")
    async def notice(self, info: Info) -> Notice | None:
        return await notice_of(info, self.notice_id)


@strawberry.input(description="The record's corrected title and content, when an objection is upheld.")
class CorrectionInput:
    title: str = strawberry.field(description="The corrected title.")
    content: JSON = strawberry.field(description="The corrected content, in the record's catalog item format.")


@strawberry.input(
    description="A subject's objection (Art. 32), to exactly one thing: one of its records, listings or measures, or a "
    "provider. None or more than one is BAD_USER_INPUT."
)
class FileObjectionInput(MutationInput):
    record_id: strawberry.ID | None = strawberry.field(default=None, description="One of your records.")
    listing_id: strawberry.ID | None = strawberry.field(
        default=None, description="A serious-dishonesty listing of you: decided by the agency that listed you."
    )
    measure_id: strawberry.ID | None = strawberry.field(
        default=None, description="A measure taken against you: decided by the implementing agency."
    )
    provider_code: str | None = strawberry.field(
        default=None, description="A provider: what it left out (OMISSION) or how it infringed your rights."
    )
    kind: ObjectionKind = strawberry.field(
        default=ObjectionKind.ERROR,
        description="ERROR (the default), OMISSION (give providerCode) or INFRINGEMENT.",
    )
    reason: str = strawberry.field(description="Why: what is wrong, what was left out, or how your rights were hurt.")


@strawberry.input(description="The handler's decision on an objection.")
class DecideObjectionInput(MutationInput):
    objection_id: strawberry.ID = strawberry.field(description="The objection decided.")
    outcome: ObjectionOutcome = strawberry.field(description="UPHELD (the record was wrong) or REJECTED.")
    reply: str = strawberry.field(description="The written reply served on the subject.")
    correction: CorrectionInput | None = strawberry.field(default=None, description="For UPHELD: the corrected record.")


@strawberry.input(description="The handler's word that other units help verify an objection.")
class RequestAssistanceInput(MutationInput):
    objection_id: strawberry.ID = strawberry.field(description="The objection.")
