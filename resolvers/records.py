"""Changes to records: each is a new version, the old one kept, decided by the policy (Arts. 33-36)."""

from typing import Any

from authz.resources import Record
from credit.errors import BadInput, Conflict
from credit.model import SubjectKind
from credit.record_content import content_problem
from graph_store import reads, record_versions
from graph_store.reads import CatalogItemRow, RecordRow

from .changes import Mutation, Result, permitted
from .context import RequestContext

CORRECTED_BY = "only the provider that supplied a record corrects it (Art. 33)"


async def record_by_id(ctx: RequestContext, done: Result) -> RecordRow | None:
    """The record, through the viewer's filter."""
    found: RecordRow | None = await ctx.loaders.record.load(done["id"])
    return found


CORRECT = Mutation("correctRecord", "record", record_by_id)


def covers_people(item: CatalogItemRow) -> bool:
    """Whether records under the item may be about natural persons, so that their content may hold no banned data
    (Art. 15): a correction is checked as strictly as the item's most personal record."""
    return SubjectKind.NATURAL_PERSON.value in item["subjectKinds"]


async def correct(
    ctx: RequestContext, *, record_id: str, title: str, content: Any, reason: str, client_mutation_id: str | None = None
) -> RecordRow:
    """Art. 33: the provider corrects an error it found; the record says what it was, who changed it and why."""

    async def perform() -> dict[str, str]:
        if not title.strip() or not reason.strip():
            raise BadInput("a correction needs a title and a reason")
        found = await ctx.loaders.record.load(record_id)
        record = permitted(
            ctx, "correct", found, lambda row: Record(**row), thing="record", key=record_id, rule=CORRECTED_BY
        )
        item = (await reads.catalog_items_by_id(ctx.store, [record["catalogItemId"]]))[record["catalogItemId"]]
        if problem := content_problem(item["dataFormat"], content, item["id"], about_person=covers_people(item)):
            raise BadInput(problem)
        corrected = await record_versions.correct(
            ctx.store,
            record,
            title=title.strip(),
            content=content,
            reason=reason.strip(),
            actor_id=ctx.principal.id or "-",
            at=ctx.now,
        )
        if corrected is None:
            raise Conflict(f"record {record_id} changed while you corrected it; read it again and retry")
        return {"id": record_id}

    input = {"recordId": record_id, "title": title, "content": content, "reason": reason}
    return await CORRECT.run(ctx, input, client_mutation_id, perform)
