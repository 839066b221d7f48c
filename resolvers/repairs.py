"""Credit repair (Art. 36): the subject applies with evidence; the provider or the department decides."""

import datetime

from authz.read_filter import disclosed_on
from authz.resources import Record
from credit.disclosure import repair_possible_from
from credit.errors import BadInput, Conflict
from credit.model import Category, Nature, NoticeKind, RecordStatus, RepairStatus, Severity
from graph_store import repairs
from graph_store.reads import RecordRow
from graph_store.repairs import ApplicationRow

from .changes import Mutation, Result, minted, permitted
from .context import RequestContext
from .objections import as_record, in_sight

MAX_EVIDENCE = 20
APPLIED_BY = "the subject a record is about applies to repair it (Art. 36)"
DECIDED_BY = "repair is decided by the record's provider or the competent department (Art. 36)"


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
        if len(evidence) > MAX_EVIDENCE or not all(item.strip() for item in evidence):
            raise BadInput(f"evidence is up to {MAX_EVIDENCE} non-empty items")
        found = await ctx.loaders.record.load(record_id)
        record = permitted(
            ctx, "apply_for_repair", found, lambda row: Record(**row), thing="record", key=record_id, rule=APPLIED_BY
        )
        if problem := repairable(record, ctx.now.date()):
            raise Conflict(problem)
        filed = await repairs.apply(
            ctx.store,
            {
                "id": minted("REP"),
                "recordId": record_id,
                "statement": statement.strip(),
                "evidence": [item.strip() for item in evidence],
                "appliedAt": ctx.now,
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
