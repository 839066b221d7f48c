"""Credit repair (Art. 36): the subject applies with evidence; the provider or the department decides."""

import datetime

from authz.policy import allowed, is_allowed
from authz.read_filter import disclosed_on, viewer_of
from authz.resources import Record
from credit.disclosure import repair_possible_from
from credit.errors import BadInput, Conflict, Forbidden
from credit.model import (
    MAX_EVIDENCE,
    REPAIR_DECISION_DAYS,
    SHORT_TEXT,
    Category,
    Nature,
    NoticeKind,
    RecordStatus,
    RepairStatus,
    Severity,
)
from credit.working_days import add_working_days
from graph_store import reads, repairs
from graph_store.reads import RecordRow
from graph_store.repairs import ApplicationRow

from .changes import Mutation, Result, minted, permitted
from .context import RequestContext
from .objections import own_cases
from .pagination import Page, page_size

APPLIED_BY = "the subject a record is about applies to repair it (Art. 36)"
DECIDED_BY = "repair is decided by the record's provider or the competent department (Art. 36)"


async def in_sight(ctx: RequestContext, found: ApplicationRow | None) -> ApplicationRow | None:
    """A repair application, if the viewer may read the record it concerns: out of the viewer's sight with its record
    (the record is read through the viewer's filter)."""
    if found is not None and await ctx.loaders.record.load(found["recordId"]) is None:
        return None
    return found


def as_record(application: ApplicationRow) -> Record:
    """The record a repair application concerns, as the policy sees it."""
    return Record(
        id=application["recordId"], subjectCode=application["subjectCode"], providerCode=application["providerCode"]
    )


async def application_by_id(ctx: RequestContext, done: Result) -> ApplicationRow | None:
    return await in_sight(ctx, await repairs.by_id(ctx.store, done["id"]))


APPLY = Mutation("applyForRepair", "repair application", application_by_id)
DECIDE = Mutation("decideRepair", "repair application", application_by_id)


def repairable(record: RecordRow, today: datetime.date) -> str | None:
    """Why this record cannot be repaired now, or None."""
    if record["nature"] != Nature.DISHONEST.value:
        return f"only dishonesty records are repaired; this one is {record['nature']}"
    if record["status"] != RecordStatus.ACTIVE.value:
        return f"the record is {record['status']}: it is no longer disclosed"
    if not disclosed_on(today, record):  # the window of every read (policy.polar, "disclosable"), not a copy of it
        if record["confirmedAt"] > today:
            return f"it is disclosed from {record['confirmedAt']}: not yet"
        return f"its disclosure ended on {record['disclosureUntil']}: it is no longer disclosed"
    severity = Severity(record["severity"]) if record["severity"] else None
    possible_from = repair_possible_from(Category(record["category"]), severity, record["confirmedAt"])
    if today < possible_from:
        return f"a {record['severity']} administrative penalty can be repaired from {possible_from} (Art. 36)"
    return None


async def apply(
    ctx: RequestContext, *, record_id: str, statement: str, evidence: list[str], client_mutation_id: str | None
) -> ApplicationRow:
    async def perform() -> dict[str, str]:
        if not statement.strip():
            raise BadInput("say how the behaviour was corrected: the statement is empty")
        if not 1 <= len(evidence) <= MAX_EVIDENCE or not all(0 < len(item.strip()) <= SHORT_TEXT for item in evidence):
            raise BadInput(
                f"a repair application needs evidence (Art. 36): 1 to {MAX_EVIDENCE} items of 1 to {SHORT_TEXT} "
                "characters, e.g. the number of the document that shows the behaviour was corrected"
            )
        found = await ctx.loaders.record.load(record_id)
        record = permitted(
            ctx, "apply_for_repair", found, lambda row: Record(**row), thing="record", key=record_id, rule=APPLIED_BY
        )
        under = (await reads.catalog_items_by_id(ctx.store, [record["catalogItemId"]]))[record["catalogItemId"]]
        if not under["repairable"]:
            raise Conflict(f"records of {under['name']!r} ({under['id']}) may not be repaired by law (Art. 36)")
        if problem := repairable(record, ctx.now.date()):
            raise Conflict(problem)
        deadline = add_working_days(ctx.now.date(), REPAIR_DECISION_DAYS, ctx.calendar)
        filed = await repairs.apply(
            ctx.store,
            {
                "id": minted("REP"),
                "recordId": record_id,
                "statement": statement.strip(),
                "evidence": [item.strip() for item in evidence],
                "appliedAt": ctx.now,
                "dueDate": deadline.due,
                "dueDateProvisional": deadline.provisional,
            },
        )
        if filed is None:
            raise Conflict(f"record {record_id} already has a pending repair application")
        return {"id": filed["id"]}

    input = {"recordId": record_id, "statement": statement, "evidence": evidence}
    return await APPLY.run(ctx, input, client_mutation_id, perform)


async def decide(
    ctx: RequestContext, *, application_id: str, approve: bool, reason: str, client_mutation_id: str | None
) -> ApplicationRow:
    async def perform() -> dict[str, str]:
        if not reason.strip():
            raise BadInput("a decision needs a reason: it is served on the applicant")
        found = await in_sight(ctx, await repairs.by_id(ctx.store, application_id))
        application = permitted(
            ctx, "handle", found, as_record, thing="repair application", key=application_id, rule=DECIDED_BY
        )
        if application["status"] != RepairStatus.PENDING.value:
            raise Conflict(f"repair application {application_id} was already decided: {application['status']}")
        result = "准予信用修复" if approve else "不予信用修复"
        decided = await repairs.decide(
            ctx.store,
            application_id,
            approve=approve,
            reason=reason.strip(),
            notice={
                "id": minted("NOT"),
                "kind": NoticeKind.REPAIR_RESULT.value,
                "text": f"您就信用记录 {application['recordId']} 提出的信用修复申请：{result}。理由：{reason.strip()}",
            },
            actor_id=ctx.principal.id or "-",
            at=ctx.now,
        )
        if decided is None:
            raise Conflict(f"repair application {application_id} was decided by someone else just now")
        return {"id": application_id}

    input = {"applicationId": application_id, "approve": approve, "reason": reason}
    return await DECIDE.run(ctx, input, client_mutation_id, perform)


async def for_handlers(
    ctx: RequestContext, *, status: RepairStatus | None, overdue: bool, first: int | None, after: str | None
) -> Page[ApplicationRow]:
    """The applications the viewer decides (the policy's `handle` on their records), soonest due first."""
    viewer = viewer_of(ctx.principal, ctx.now)
    if not is_allowed(viewer, "read", "REPAIR_APPLICATIONS"):
        raise Forbidden("repair applications are listed for those who decide them: the providers and the department")
    handles = allowed(viewer, "handle", Record)
    size = page_size(first)
    after_key = ctx.cursors.sort_key("repairApplications", after, datetime.date.fromisoformat)
    overdue_on = ctx.now.date() if overdue else None
    status_value = status.value if status else None
    rows = await repairs.for_handlers(
        ctx.store, handles, status=status_value, overdue_on=overdue_on, first=size + 1, after=after_key
    )
    return Page(
        rows=rows[:size],
        has_next_page=len(rows) > size,
        total=lambda: repairs.count_for_handlers(ctx.store, handles, status=status_value, overdue_on=overdue_on),
        cursor=lambda row: ctx.cursors.issue("repairApplications", row["dueDate"].isoformat(), row["id"]),
    )


async def mine(
    ctx: RequestContext, *, status: RepairStatus | None, first: int | None, after: str | None
) -> Page[ApplicationRow]:
    """The subject's own applications, newest first."""
    subject_code = own_cases(ctx, "repair applications")
    size = page_size(first)
    after_key = ctx.cursors.sort_key("myRepairApplications", after, datetime.datetime.fromisoformat)
    status_value = status.value if status else None
    rows = await repairs.filed_by(ctx.store, subject_code, status=status_value, first=size + 1, after=after_key)
    return Page(
        rows=rows[:size],
        has_next_page=len(rows) > size,
        total=lambda: repairs.count_filed_by(ctx.store, subject_code, status=status_value),
        cursor=lambda row: ctx.cursors.issue("myRepairApplications", row["appliedAt"].isoformat(), row["id"]),
    )
