"""Written notices: the subject reads those served on it; agencies serve one before a measure or a listing.

Arts. 23-24: before a regulatory measure the agency tells the subject in writing which information it relies on and
who provided it; before listing, also the reason, basis, the subject's rights and the conditions for removal.
`agency_gate`, `agency_acting_on` and `records_relied_on` are the checks every agency step shares.

Arts. 24, 37: the subject states and defends itself from the notice's service. Its defence period is
DEFENCE_WORKING_DAYS working days after the day of service, `defenceUntil` its last day; a listing or a punitive
measure on the notice is decided from the day after, or once the subject waived the rest (`waiveDefence`). One
notice, one decision: the listing or measure decided on it ends its defence (statements go to that decision then).
"""

import datetime
from dataclasses import dataclass

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from authz.resources import Notice
from credit.errors import BadInput, Conflict, Forbidden
from credit.model import (
    DEFENCE_WORKING_DAYS,
    LISTING_GROUND_NAMES,
    LONG_TEXT,
    AgencyNoticeKind,
    ListingGround,
    Publicity,
)
from credit.working_days import add_working_days
from graph_store import notices, reads
from graph_store.notices import NoticeRow, ServedNoticeRow
from graph_store.reads import ProviderRow, RecordRow, SubjectRow

from .changes import Gate, Mutation, Result, absent, minted, permitted
from .context import RequestContext
from .queries import subject as subject_by_code

MAX_RECORDS = 50
RIGHTS = (
    "您有权自收到本告知书之日起就上述事项进行陈述和申辩（《湖南省社会信用信息管理办法》第三十七条）；"
    "认为所依据的信用信息有错误、遗漏的，可以提出异议申请（第三十二条）。"
)


async def mine(ctx: RequestContext) -> list[NoticeRow]:
    if ctx.principal.unit is None or not is_allowed(viewer_of(ctx.principal, ctx.now), "read", "OWN_NOTICES"):
        raise Forbidden("only a credit subject reads the notices served on it: sign in with a SUBJECT token")
    return await notices.served_on(ctx.store, ctx.principal.unit)


@dataclass(frozen=True)
class Acting:
    subject: SubjectRow
    agency: ProviderRow
    """The agency the principal acts for: a state organ among the providers (Art. 19)."""


def agency_gate(action: str, what: str) -> Gate:
    """Who may take an agency's step at all, whatever the subject: AGENCY users, acting for their agency."""
    return Gate(action, "SUBJECTS", f"{what} is for AGENCY users, acting for their agency")


async def agency_acting_on(ctx: RequestContext, subject_code: str, what: str) -> Acting:
    """The agency the principal acts for, and the subject it acts on.

    Who the principal is came first (the step's `agency_gate`) and answered FORBIDDEN whatever the subject; a
    subject the principal may not find answers like one that does not exist.
    """
    agency = await reads.provider_by_code(ctx.store, ctx.principal.unit or "")
    if agency is None or agency["publicity"] != Publicity.PUBLIC.value:
        raise Forbidden(f"{what} is for state organs: {ctx.principal.unit} is not one of the platform's agencies")
    found = await subject_by_code(ctx, subject_code)
    if found is None:
        raise absent("subject", subject_code, f"{what} is for a subject your agency may find")
    return Acting(subject=found, agency=agency)


def checked_record_ids(record_ids: list[str], *, required: bool) -> None:
    if required and not record_ids:
        raise BadInput("name the records relied on in recordIds: the subject must know what the step rests on")
    if len(record_ids) > MAX_RECORDS or len(set(record_ids)) != len(record_ids):
        raise BadInput(f"recordIds names up to {MAX_RECORDS} different records")


async def records_relied_on(ctx: RequestContext, subject: SubjectRow, record_ids: list[str]) -> list[RecordRow]:
    """The records an agency step relies on, as this agency may read them; all about `subject`."""
    found: list[RecordRow | None] = await ctx.loaders.record.load_many(record_ids)
    for record_id, record in zip(record_ids, found, strict=True):
        if record is None:
            raise absent("record", record_id, "declare a catalogued purpose (X-Query-Purpose) to read it")
        if record["subjectId"] != subject["id"]:
            raise BadInput(f"record {record_id} is not about {subject['code']}")
    return [record for record in found if record is not None]


def text_of(text: str) -> str:
    if not text.strip() or len(text) > LONG_TEXT:
        raise BadInput(f"the notice text has 1 to {LONG_TEXT} characters")
    return text.strip()


async def written_notice(
    ctx: RequestContext, *, kind: AgencyNoticeKind, text: str, records: list[RecordRow], listing: dict[str, str] | None
) -> str:
    """The notice as served: the agency's text, then what the law says it must name."""
    providers = await reads.providers_by_id(ctx.store, sorted({record["providerId"] for record in records}))
    lines = [text, "", "所依据的信用信息及其提供单位："]
    lines += [
        f"{index}. {record['title']}（{record['id']}），提供单位：{providers[record['providerId']]['name']}"
        for index, record in enumerate(records, start=1)
    ]
    if listing is not None:
        lines += [
            "",
            f"拟列入严重失信主体名单的事由：{LISTING_GROUND_NAMES[ListingGround(listing['ground'])]}",
            f"依据：{listing['basis']}",
            f"移出条件：{listing['removalConditions']}",
        ]
    lines += ["", RIGHTS]
    return "\n".join(lines)


async def notice_by_id(ctx: RequestContext, done: Result) -> NoticeRow | None:
    """A notice has no read rule of its own; the records it names (`Notice.records`) are read through the filter."""
    return (await notices.by_id(ctx.store, [done["id"]])).get(done["id"])


SERVE_WHAT = "serving a written notice"
SERVE = Mutation("serveNotice", "notice", notice_by_id, agency_gate("serve_notice", SERVE_WHAT))


async def serve(
    ctx: RequestContext,
    *,
    subject_code: str,
    kind: AgencyNoticeKind,
    record_ids: list[str],
    text: str,
    listing: dict[str, str | None],
    client_mutation_id: str | None,
) -> NoticeRow:
    """`listing` holds the ground, basis and removal conditions a PRE_LISTING notice must state."""

    async def perform() -> dict[str, str]:
        checked_record_ids(record_ids, required=True)
        stated: dict[str, str] | None = None
        if kind is AgencyNoticeKind.PRE_LISTING:
            missing = [name for name, value in listing.items() if not (value or "").strip()]
            if missing:
                raise BadInput(f"a PRE_LISTING notice states the ground, basis and removal conditions: give {missing}")
            stated = {name: (value or "").strip() for name, value in listing.items()}
        own_text = text_of(text)
        acting = await agency_acting_on(ctx, subject_code, SERVE_WHAT)
        records = await records_relied_on(ctx, acting.subject, record_ids)
        defence = add_working_days(ctx.now.date(), DEFENCE_WORKING_DAYS, ctx.calendar)
        served = await notices.serve_before_acting(
            ctx.store,
            {
                "id": minted("NOT"),
                "kind": kind.value,
                "text": await written_notice(ctx, kind=kind, text=own_text, records=records, listing=stated),
                "subjectId": acting.subject["id"],
                "servedByCode": acting.agency["code"],
                "recordIds": record_ids,
                "rights": RIGHTS,
                "defenceUntil": defence.due,
                "defenceUntilProvisional": defence.provisional,
                **(stated or {"ground": None, "basis": None, "removalConditions": None}),
            },
            ctx.now,
        )
        return {"id": served["id"]}

    input = {"subjectCode": subject_code, "kind": kind.value, "recordIds": record_ids, "text": text, **listing}
    return await SERVE.run(ctx, input, client_mutation_id, perform)


async def required_notice(
    ctx: RequestContext,
    notice_id: str | None,
    *,
    kind: AgencyNoticeKind,
    acting: Acting,
    record_ids: list[str],
    step: str,
) -> ServedNoticeRow:
    """The served notice a step rests on; CONFLICT saying what is missing when there is none that fits. A notice
    another agency served is answered like one never served: the message describes only the caller's own."""
    article = "Art. 23" if kind is AgencyNoticeKind.PRE_MEASURE else "Art. 24"
    if notice_id is None:
        raise Conflict(
            f"{step} needs a written {kind.value} notice served on the subject first ({article}): "
            "serve one with serveNotice and pass its id as noticeId"
        )
    notice = await notices.served_before_acting(ctx.store, notice_id)
    if notice is None or notice["servedByCode"] != acting.agency["code"] or notice["subjectId"] != acting.subject["id"]:
        raise Conflict(f"your agency served no notice {notice_id} on {acting.subject['code']} ({article})")
    if notice["kind"] != kind.value:
        raise Conflict(f"notice {notice_id} is a {notice['kind']} notice; {step} needs a {kind.value} one ({article})")
    unnamed = sorted(set(record_ids) - set(notice["recordIds"]))
    if unnamed:
        raise Conflict(f"notice {notice_id} does not name {unnamed}: the subject was not told of them ({article})")
    if notice["decisionId"] is not None:
        raise Conflict(
            f"notice {notice_id} was already decided on ({notice['decisionId']}): a notice announces one decision; "
            "serve a new one"
        )
    return notice


def defence_until(ctx: RequestContext, served_at: datetime.datetime, stored: datetime.date | None) -> datetime.date:
    """The last day of the subject's defence on an agency's notice: as recorded at service, or, for a notice served
    before it was recorded, counted again from the day of service."""
    if stored is not None:
        return stored
    served_on = served_at.astimezone(ctx.now.tzinfo).date()
    return add_working_days(served_on, DEFENCE_WORKING_DAYS, ctx.calendar).due


def defence_heard(ctx: RequestContext, notice: ServedNoticeRow, step: str) -> None:
    """CONFLICT, saying from when `step` may be decided, while the subject's defence period on the notice runs and
    the subject has not waived the rest of it (Arts. 24, 37)."""
    until = defence_until(ctx, notice["servedAt"], notice["defenceUntil"])
    if notice["defenceWaivedAt"] is None and ctx.now.date() <= until:
        raise Conflict(
            f"the subject may state its defence on notice {notice['id']} until {until} (Arts. 24, 37): {step} may be "
            f"decided from {until + datetime.timedelta(days=1)}, or once the subject waives the rest of the period "
            "(waiveDefence)"
        )


WAIVED_BY = "the subject a PRE_MEASURE or PRE_LISTING notice was served on waives its defence (Art. 37)"
WAIVE = Mutation("waiveDefence", "notice", notice_by_id)


async def waive_defence(ctx: RequestContext, *, notice_id: str, client_mutation_id: str | None) -> NoticeRow:
    """The subject gives up, in writing, the rest of its defence period on an agency's notice: the listing or
    measure may be decided at once. Statements on the notice are still taken until the decision."""

    async def perform() -> dict[str, str]:
        found = await notices.defence(ctx.store, notice_id)
        notice = permitted(
            ctx, "waive", found, lambda row: Notice(**row), thing="PRE_MEASURE or PRE_LISTING notice", key=notice_id,
            rule=WAIVED_BY,
        )  # fmt: skip
        if notice["decisionId"] is not None:
            raise Conflict(f"notice {notice_id} was already decided on ({notice['decisionId']}): nothing to waive")
        if notice["defenceWaivedAt"] is not None:
            raise Conflict(f"the defence on notice {notice_id} was already waived at {notice['defenceWaivedAt']}")
        until = defence_until(ctx, notice["servedAt"], notice["defenceUntil"])
        if ctx.now.date() > until:
            raise Conflict(f"the defence period on notice {notice_id} ended on {until}: there is nothing to waive")
        if not await notices.waive_defence(ctx.store, notice_id, actor_id=ctx.principal.id or "-", at=ctx.now):
            raise Conflict(f"notice {notice_id} was waived or decided on just now")
        return {"id": notice_id}

    return await WAIVE.run(ctx, {"noticeId": notice_id}, client_mutation_id, perform)
