"""Written notices served on subjects: results of objections and repair applications, and agencies' notices before
a measure or a listing (Arts. 23-24), with the subject's defence on them (Art. 37)."""

import datetime

import strawberry

from credit.model import DEFENCE_WORKING_DAYS
from graph_store.notices import NoticeRow
from resolvers.notices import defence_until

from .enums import AgencyNoticeKind, ListingGround, NoticeKind
from .types import CreditRecord, Info, MutationInput, Provider, Statement, maybe, provider_of


@strawberry.type(
    description="A written notice served on a subject: the result of its objection or application, or an agency's "
    "notice before a regulatory measure or a listing, naming the records relied on."
)
class Notice:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    kind: NoticeKind = strawberry.field(
        description="What the notice is: OBJECTION_RESULT, REPAIR_RESULT, PRE_MEASURE or PRE_LISTING."
    )
    text: str = strawberry.field(
        description="The notice as served; an agency's notice lists the records relied on, their providers and the "
        "subject's rights."
    )
    served_at: datetime.datetime = strawberry.field(description="When it was served.")
    ground: ListingGround | None = strawberry.field(description="PRE_LISTING: the ground for listing (Art. 24).")
    basis: str | None = strawberry.field(description="PRE_LISTING: the legal basis.")
    removal_conditions: str | None = strawberry.field(description="PRE_LISTING: how the subject gets off the list.")
    rights: str | None = strawberry.field(description="An agency's notice: the subject's rights (Arts. 32, 37).")
    defence_ends_on_provisional: bool | None = strawberry.field(
        description="An agency's notice: true when defenceEndsOn crosses a year without an official holiday schedule "
        "(counted Monday to Friday)."
    )
    defence_waived_at: datetime.datetime | None = strawberry.field(
        description="An agency's notice: when the subject waived the rest of its defence period in writing "
        "(waiveDefence); null if it did not."
    )
    served_by_id: strawberry.Private[str | None]
    stored_defence_until: strawberry.Private[datetime.date | None]

    @classmethod
    def from_row(cls, row: NoticeRow) -> "Notice":
        return cls(
            id=strawberry.ID(row["id"]),
            kind=NoticeKind(row["kind"]),
            text=row["text"],
            served_at=row["servedAt"],
            ground=ListingGround(row["ground"]) if row["ground"] else None,
            basis=row["basis"],
            removal_conditions=row["removalConditions"],
            rights=row["rights"],
            defence_ends_on_provisional=row["defenceUntilProvisional"],
            defence_waived_at=row["defenceWaivedAt"],
            served_by_id=row["servedById"],
            stored_defence_until=row["defenceUntil"],
        )

    @strawberry.field(
        description=f"A PRE_MEASURE or PRE_LISTING notice: the last day of the subject's defence period, "
        f"{DEFENCE_WORKING_DAYS} working days after the day of service (Arts. 24, 37). A listing or a PUNITIVE measure "
        "on the notice is decided only after it, unless the subject waives the rest; null for other notices."
    )
    def defence_ends_on(self, info: Info) -> datetime.date | None:
        if self.kind not in (NoticeKind.PRE_MEASURE, NoticeKind.PRE_LISTING):
            return None
        return defence_until(info.context, self.served_at, self.stored_defence_until)

    @strawberry.field(
        description="A PRE_MEASURE or PRE_LISTING notice: the subject's statements and defence on it (Art. 37), oldest "
        "first; they are shown with the listing or measure decided on the notice too."
    )
    async def statements(self, info: Info) -> list[Statement]:
        return [Statement.from_row(row) for row in await info.context.loaders.statements.load(str(self.id))]

    @strawberry.field(description="The agency that served it; null for results of objections and applications.")
    async def served_by(self, info: Info) -> Provider | None:
        return await provider_of(info, self.served_by_id) if self.served_by_id else None

    @strawberry.field(description="The records the notice names, as far as the viewer may see them.")
    async def records(self, info: Info) -> list[CreditRecord]:
        record_ids = await info.context.loaders.notice_record_ids.load(str(self.id))
        rows = await info.context.loaders.record.load_many(record_ids)
        return [CreditRecord.from_row(row) for row in rows if row]


async def notice_of(info: Info, notice_id: str | None) -> Notice | None:
    """The notice answering an objection or application the viewer already sees (batched per request)."""
    if notice_id is None:
        return None
    return maybe(Notice.from_row, await info.context.loaders.notice.load(notice_id))


@strawberry.input(description="An agency's written notice to a subject before it acts on the subject (Arts. 23-24).")
class ServeNoticeInput(MutationInput):
    subject_code: str = strawberry.field(description="The subject served: USCC or resident ID.")
    kind: AgencyNoticeKind = strawberry.field(description="PRE_MEASURE before a measure; PRE_LISTING before listing.")
    record_ids: list[strawberry.ID] = strawberry.field(
        description="The records relied on (1 to 50); the notice names each with its provider."
    )
    text: str = strawberry.field(description="The agency's own text: what it intends to do and why.")
    ground: ListingGround | None = strawberry.field(default=None, description="PRE_LISTING: the ground (Art. 24).")
    basis: str | None = strawberry.field(default=None, description="PRE_LISTING: the legal basis.")
    removal_conditions: str | None = strawberry.field(default=None, description="PRE_LISTING: removal conditions.")


@strawberry.input(
    description="The subject gives up, in writing, the rest of its defence period on an agency's notice (Art. 37)."
)
class WaiveDefenceInput(MutationInput):
    notice_id: strawberry.ID = strawberry.field(description="The PRE_MEASURE or PRE_LISTING notice served on you.")
