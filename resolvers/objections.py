"""Objections (Art. 32): file, ask for assistance, decide; each step decided by the policy and logged."""

import datetime
from typing import Any, cast

from authz.policy import allowed, is_allowed
from authz.read_filter import viewer_of
from authz.resources import Listing, Measure, Objection, Record
from credit.errors import BadInput, Conflict, Forbidden, NotFound
from credit.model import SHORT_TEXT, NoticeKind, ObjectionKind, ObjectionOutcome, ObjectionStatus, ObjectionTarget
from credit.record_content import content_problem
from credit.working_days import add_working_days
from graph_store import objections, reads
from graph_store.objections import ObjectionRow, TargetLabel, TargetRow
from graph_store.reads import RecordRow

from .changes import Mutation, Result, absent, minted, permitted
from .context import RequestContext
from .pagination import Page, page_size
from .records import covers_people

REVIEW_DAYS = 3
REVIEW_DAYS_WITH_ASSISTANCE = 5
FILED_BY = "the subject a record is about objects to it, or to a listing or measure against it, or to a provider"
HANDLED_BY = (
    "an objection is decided by the record's provider, the agency that decided the listing or implements the measure, "
    "the provider objected to, or the competent department (Art. 32)"
)
TARGET_WORDS = {
    ObjectionTarget.RECORD: "信用记录",
    ObjectionTarget.LISTING: "严重失信主体名单认定",
    ObjectionTarget.MEASURE: "信用惩戒措施",
    ObjectionTarget.PROVIDER: "信用信息提供单位",
}
"""How the written result names what was objected to."""


def as_objection(objection: ObjectionRow) -> Objection:
    """An objection, as the policy sees it."""
    return Objection(
        id=objection["id"],
        status=objection["status"],
        targetKind=objection["targetKind"],
        subjectCode=objection["subjectCode"],
        handlerCode=objection["handlerCode"],
    )


async def objection_by_id(ctx: RequestContext, done: Result) -> ObjectionRow | None:
    """The objection, if the viewer filed or handles it."""
    found = await objections.by_id(ctx.store, done["id"])
    if found is None or not is_allowed(viewer_of(ctx.principal, ctx.now), "read", as_objection(found)):
        return None
    return found


FILE = Mutation("fileObjection", "objection", objection_by_id)
ASSIST = Mutation("requestAssistance", "objection", objection_by_id)
DECIDE = Mutation("decideObjection", "objection", objection_by_id)


def own_cases(ctx: RequestContext, what: str) -> str:
    """The subject code of a viewer who lists its own objections or repair applications; FORBIDDEN for others."""
    viewer = viewer_of(ctx.principal, ctx.now)
    if ctx.principal.unit is None or not is_allowed(viewer, "read", "OWN_CASES"):
        raise Forbidden(f"only a credit subject lists its own {what}: sign in with a SUBJECT token")
    return ctx.principal.unit


def the_target(
    record_id: str | None, listing_id: str | None, measure_id: str | None, provider_code: str | None
) -> tuple[ObjectionTarget, str]:
    """The one thing objected to; BAD_USER_INPUT for none or more than one."""
    named = [
        (kind, key)
        for kind, key in (
            (ObjectionTarget.RECORD, record_id),
            (ObjectionTarget.LISTING, listing_id),
            (ObjectionTarget.MEASURE, measure_id),
            (ObjectionTarget.PROVIDER, provider_code),
        )
        if key is not None
    ]
    if len(named) != 1:
        raise BadInput(
            "an objection is to exactly one thing: give one of recordId, listingId, measureId or providerCode "
            f"(got {len(named)})"
        )
    return named[0]


def fitting(kind: ObjectionKind, target: ObjectionTarget) -> None:
    """An omission is of something a provider left out: it names the provider. A provider is objected to for what it
    left out or for infringing the subject's rights, not for an error in something it holds (object to that)."""
    if kind is ObjectionKind.OMISSION and target is not ObjectionTarget.PROVIDER:
        raise BadInput("an OMISSION names the provider that left something out: give providerCode")
    if kind is ObjectionKind.ERROR and target is ObjectionTarget.PROVIDER:
        raise BadInput("an ERROR is in a record, listing or measure: object to that (recordId, listingId, measureId)")


async def objected_to(ctx: RequestContext, target: ObjectionTarget, key: str) -> TargetRow:
    """What the viewer objects to, if the policy lets it object: else NOT_FOUND, the same as for nothing there."""
    thing = target.value.lower()
    if target is ObjectionTarget.RECORD:
        found = await ctx.loaders.record.load(key)
        record = permitted(ctx, "object", found, lambda row: Record(**row), thing=thing, key=key, rule=FILED_BY)
        return {"id": record["id"], "subjectCode": record["subjectCode"], "handlerCode": record["providerCode"]}
    label = cast(TargetLabel, target.value.title())
    found_target = await objections.target(ctx.store, label, key)
    if target is ObjectionTarget.PROVIDER:
        if not is_allowed(viewer_of(ctx.principal, ctx.now), "object", "PROVIDERS"):
            raise absent(thing, key, FILED_BY, concealed=found_target is not None)
        if found_target is None:
            raise absent(thing, key, FILED_BY)
        return found_target
    resource = Listing if target is ObjectionTarget.LISTING else Measure
    return permitted(ctx, "object", found_target, lambda row: resource(**row), thing=thing, key=key, rule=FILED_BY)


async def file(
    ctx: RequestContext,
    *,
    record_id: str | None = None,
    listing_id: str | None = None,
    measure_id: str | None = None,
    provider_code: str | None = None,
    kind: ObjectionKind = ObjectionKind.ERROR,
    reason: str,
    client_mutation_id: str | None = None,
) -> ObjectionRow:
    async def perform() -> dict[str, str]:
        target, key = the_target(record_id, listing_id, measure_id, provider_code)
        fitting(kind, target)
        if not reason.strip() or len(reason) > SHORT_TEXT:
            raise BadInput(f"an objection needs a reason of 1 to {SHORT_TEXT} characters")
        found = await objected_to(ctx, target, key)
        subject_code = cast(str, ctx.principal.unit)  # the policy let only a subject, as itself, object
        deadline = add_working_days(ctx.now.date(), REVIEW_DAYS, ctx.calendar)
        filed = await objections.file(
            ctx.store,
            cast(TargetLabel, target.value.title()),
            {
                "id": minted("OBJ"),
                "kind": kind.value,
                "targetKind": target.value,
                "targetId": key,
                "subjectCode": subject_code,
                "handlerCode": found["handlerCode"],
                "reason": reason.strip(),
                "receivedAt": ctx.now,
                "dueDate": deadline.due,
                "dueDateProvisional": deadline.provisional,
            },
        )
        if filed is None:
            raise Conflict(f"you already have an open objection to {target.value.lower()} {key}; wait for its result")
        return {"id": filed["id"]}

    input = {"recordId": record_id, "listingId": listing_id, "measureId": measure_id, "providerCode": provider_code,
             "kind": kind.value, "reason": reason}  # fmt: skip
    return await FILE.run(ctx, input, client_mutation_id, perform)


async def handled(ctx: RequestContext, objection_id: str) -> ObjectionRow:
    """The objection, if the viewer handles it; to anyone else, as if there were none."""
    objection = await objections.by_id(ctx.store, objection_id)
    return permitted(ctx, "handle", objection, as_objection, thing="objection", key=objection_id, rule=HANDLED_BY)


async def request_assistance(
    ctx: RequestContext, *, objection_id: str, client_mutation_id: str | None = None
) -> ObjectionRow:
    async def perform() -> dict[str, str]:
        objection = await handled(ctx, objection_id)
        received = objection["receivedAt"].astimezone(ctx.now.tzinfo).date()
        deadline = add_working_days(received, REVIEW_DAYS_WITH_ASSISTANCE, ctx.calendar)
        extended = await objections.extend(ctx.store, objection_id, deadline.due, deadline.provisional)
        if extended is None:
            raise Conflict(f"objection {objection_id} is already {objection['status']}")
        return {"id": objection_id}

    return await ASSIST.run(ctx, {"objectionId": objection_id}, client_mutation_id, perform)


async def decide(
    ctx: RequestContext,
    *,
    objection_id: str,
    outcome: ObjectionOutcome,
    reply: str,
    correction: dict[str, Any] | None,
    client_mutation_id: str | None = None,
) -> ObjectionRow:
    async def perform() -> dict[str, str]:
        if not reply.strip():
            raise BadInput("a decision needs a written reply to the subject")
        if correction is not None and outcome is not ObjectionOutcome.UPHELD:
            raise BadInput("only an upheld objection corrects the record")
        if correction is not None and not str(correction.get("title", "")).strip():
            raise BadInput("correction: a title is needed")
        objection = await handled(ctx, objection_id)
        if correction is not None and objection["recordId"] is None:
            raise BadInput(f"a correction corrects a record; this objection is to a {objection['targetKind'].lower()}")
        if correction is not None:
            found = await ctx.loaders.record.load(cast(str, objection["recordId"]))
            if found is None:  # its handler reads it (the record's provider, ADMIN); kept for a viewer who does not
                raise NotFound(f"record {objection['recordId']} is not in your sight")
            record: RecordRow = found
            item = (await reads.catalog_items_by_id(ctx.store, [record["catalogItemId"]]))[record["catalogItemId"]]
            about_person = covers_people(item)
            if problem := content_problem(
                item["dataFormat"], correction.get("content"), item["id"], about_person=about_person
            ):
                raise BadInput(f"correction: {problem}")
        if objection["status"] != ObjectionStatus.OPEN.value:
            raise Conflict(f"objection {objection_id} was already decided: {objection['status']}")
        result = "异议成立" if outcome is ObjectionOutcome.UPHELD else "异议不成立"
        what = f"{TARGET_WORDS[ObjectionTarget(objection['targetKind'])]} {target_key(objection)}"
        notice_text = f"您对{what}提出的异议已处理，结果：{result}。答复：{reply.strip()}"
        decided = await objections.decide(
            ctx.store,
            objection_id,
            outcome=outcome.value,
            reply=reply.strip(),
            correction=correction,
            notice={
                "id": minted("NOT"),
                "kind": NoticeKind.OBJECTION_RESULT.value,
                "text": notice_text,
            },
            actor_id=ctx.principal.id or "-",
            at=ctx.now,
        )
        if decided is None:
            raise Conflict(f"objection {objection_id} was decided by someone else just now")
        return {"id": objection_id}

    input = {"objectionId": objection_id, "outcome": outcome.value, "reply": reply, "correction": correction}
    return await DECIDE.run(ctx, input, client_mutation_id, perform)


def target_key(objection: ObjectionRow) -> str:
    keys = (objection["recordId"], objection["listingId"], objection["measureId"], objection["providerCode"])
    return next(key for key in keys if key is not None)


async def for_handlers(
    ctx: RequestContext, *, status: ObjectionStatus | None, overdue: bool, first: int | None, after: str | None
) -> Page[ObjectionRow]:
    """The objections the viewer handles (the policy's `handle`, compiled), soonest due first."""
    viewer = viewer_of(ctx.principal, ctx.now)
    if not is_allowed(viewer, "read", "OBJECTIONS"):
        raise Forbidden("objections are listed for their handlers: providers, agencies and the competent department")
    ctx.read_filter.check()  # they are the subjects' data: an AGENCY lists them for a declared purpose, as it reads
    handles = allowed(viewer, "handle", Objection)
    size = page_size(first)
    after_key = ctx.cursors.sort_key("objections", after, datetime.date.fromisoformat)
    overdue_on = ctx.now.date() if overdue else None
    status_value = status.value if status else None
    rows = await objections.for_handlers(
        ctx.store, handles, status=status_value, overdue_on=overdue_on, first=size + 1, after=after_key
    )
    return Page(
        rows=rows[:size],
        has_next_page=len(rows) > size,
        total=lambda: objections.count_for_handlers(ctx.store, handles, status=status_value, overdue_on=overdue_on),
        cursor=lambda row: ctx.cursors.issue("objections", row["dueDate"].isoformat(), row["id"]),
    )


async def mine(
    ctx: RequestContext, *, status: ObjectionStatus | None, first: int | None, after: str | None
) -> Page[ObjectionRow]:
    """The subject's own objections, newest first."""
    subject_code = own_cases(ctx, "objections")
    size = page_size(first)
    after_key = ctx.cursors.sort_key("myObjections", after, datetime.datetime.fromisoformat)
    status_value = status.value if status else None
    rows = await objections.filed_by(ctx.store, subject_code, status=status_value, first=size + 1, after=after_key)
    return Page(
        rows=rows[:size],
        has_next_page=len(rows) > size,
        total=lambda: objections.count_filed_by(ctx.store, subject_code, status=status_value),
        cursor=lambda row: ctx.cursors.issue("myObjections", row["receivedAt"].isoformat(), row["id"]),
    )
