"""Objections (Art. 32): file, ask for assistance, decide; each step decided by the policy and logged."""

import datetime
from typing import Any, TypeVar, cast

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from authz.resources import Record
from credit.errors import BadInput, Conflict, Forbidden
from credit.model import NoticeKind, ObjectionOutcome, ObjectionStatus
from credit.record_content import content_problem
from credit.working_days import add_working_days
from graph_store import objections, reads
from graph_store.objections import ObjectionRow
from graph_store.reads import RecordRow
from graph_store.repairs import ApplicationRow

from .changes import Mutation, Result, minted, permitted
from .context import RequestContext
from .pagination import Page, page_size
from .records import covers_people

REVIEW_DAYS = 3
REVIEW_DAYS_WITH_ASSISTANCE = 5
FILED_BY = "the subject a record is about objects to it (Art. 32)"
HANDLED_BY = "objections are handled by the record's provider or the competent department (Art. 32)"


Case = TypeVar("Case", ObjectionRow, ApplicationRow)


async def in_sight(ctx: RequestContext, found: Case | None) -> Case | None:
    """An objection or repair application, if the viewer may read the record it concerns: out of the viewer's sight
    with its record (the record is read through the viewer's filter)."""
    if found is not None and await ctx.loaders.record.load(found["recordId"]) is None:
        return None
    return found


async def objection_by_id(ctx: RequestContext, done: Result) -> ObjectionRow | None:
    return await in_sight(ctx, await objections.by_id(ctx.store, done["id"]))


FILE = Mutation("fileObjection", "objection", objection_by_id)
ASSIST = Mutation("requestAssistance", "objection", objection_by_id)
DECIDE = Mutation("decideObjection", "objection", objection_by_id)


def as_record(objection: ObjectionRow | ApplicationRow) -> Record:
    """The record an objection concerns, as the policy sees it."""
    return Record(
        id=objection["recordId"], subjectCode=objection["subjectCode"], providerCode=objection["providerCode"]
    )


async def file(
    ctx: RequestContext, *, record_id: str, reason: str, client_mutation_id: str | None = None
) -> ObjectionRow:
    async def perform() -> dict[str, str]:
        if not reason.strip():
            raise BadInput("an objection needs a reason")
        found = await ctx.loaders.record.load(record_id)
        permitted(ctx, "object", found, lambda row: Record(**row), thing="record", key=record_id, rule=FILED_BY)
        deadline = add_working_days(ctx.now.date(), REVIEW_DAYS, ctx.calendar)
        filed = await objections.file(
            ctx.store,
            {
                "id": minted("OBJ"),
                "recordId": record_id,
                "reason": reason.strip(),
                "receivedAt": ctx.now,
                "dueDate": deadline.due,
                "dueDateProvisional": deadline.provisional,
            },
        )
        if filed is None:
            raise Conflict(f"record {record_id} already has an open objection; wait for its result")
        return {"id": filed["id"]}

    return await FILE.run(ctx, {"recordId": record_id, "reason": reason}, client_mutation_id, perform)


async def handled(ctx: RequestContext, objection_id: str) -> ObjectionRow:
    """The objection, if the viewer handles it; to anyone else, as if there were none."""
    objection = await in_sight(ctx, await objections.by_id(ctx.store, objection_id))
    return permitted(ctx, "handle", objection, as_record, thing="objection", key=objection_id, rule=HANDLED_BY)


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
        if correction is not None:
            record = cast(RecordRow, await ctx.loaders.record.load(objection["recordId"]))  # handled() saw it
            item = (await reads.catalog_items_by_id(ctx.store, [record["catalogItemId"]]))[record["catalogItemId"]]
            about_person = covers_people(item)
            if problem := content_problem(
                item["dataFormat"], correction.get("content"), item["id"], about_person=about_person
            ):
                raise BadInput(f"correction: {problem}")
        if objection["status"] != ObjectionStatus.OPEN.value:
            raise Conflict(f"objection {objection_id} was already decided: {objection['status']}")
        result = "异议成立" if outcome is ObjectionOutcome.UPHELD else "异议不成立"
        notice_text = f"您对信用记录 {objection['recordId']} 提出的异议已处理，结果：{result}。答复：{reply.strip()}"
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


async def for_handlers(
    ctx: RequestContext, *, status: ObjectionStatus | None, overdue: bool, first: int | None, after: str | None
) -> Page[ObjectionRow]:
    viewer = viewer_of(ctx.principal, ctx.now)
    if not is_allowed(viewer, "read", "OBJECTIONS"):
        raise Forbidden("objections are listed for their handlers: the providers and the competent department")
    size = page_size(first)
    after_key = ctx.cursors.sort_key("objections", after, datetime.date.fromisoformat)
    provider_code = None if is_allowed(viewer, "handle", "ALL_OBJECTIONS") else ctx.principal.unit  # else its own
    overdue_on = ctx.now.date() if overdue else None
    status_value = status.value if status else None
    rows = await objections.for_handlers(
        ctx.store,
        provider_code=provider_code,
        status=status_value,
        overdue_on=overdue_on,
        first=size + 1,
        after=after_key,
    )
    return Page(
        rows=rows[:size],
        has_next_page=len(rows) > size,
        total=lambda: objections.count_for_handlers(
            ctx.store, provider_code=provider_code, status=status_value, overdue_on=overdue_on
        ),
        cursor=lambda row: ctx.cursors.issue("objections", row["dueDate"].isoformat(), row["id"]),
    )
