"""Statements and defence (Art. 37)."""

from authz.resources import Listing, Measure
from credit.errors import BadInput
from credit.model import LONG_TEXT
from graph_store import statements
from graph_store.statements import StatementRow, TargetRow

from .changes import Mutation, Result, minted, permitted
from .context import RequestContext

MADE_BY = "the subject a measure or listing is about makes statements on it (Art. 37)"


async def statement_by_id(ctx: RequestContext, done: Result) -> StatementRow | None:
    return await statements.by_id(ctx.store, done["id"])  # public with its measure or listing (Art. 37)


SUBMIT = Mutation("submitStatement", "statement", statement_by_id)


def as_resource(target: TargetRow) -> Measure | Listing:
    return Measure(**target) if target["label"] == "Measure" else Listing(**target)


async def submit(ctx: RequestContext, *, target_id: str, text: str, client_mutation_id: str | None) -> StatementRow:
    async def perform() -> dict[str, str]:
        if not text.strip() or len(text) > LONG_TEXT:
            raise BadInput(f"a statement has 1 to {LONG_TEXT} characters")
        found = await statements.target(ctx.store, target_id)
        target = permitted(ctx, "state", found, as_resource, thing="measure or listing", key=target_id, rule=MADE_BY)
        added = await statements.add(
            ctx.store, target["label"], {"id": minted("STM"), "targetId": target_id,
                                         "subjectId": target["subjectId"], "text": text.strip(),
                                         "actorId": ctx.principal.id}, ctx.now
        )  # fmt: skip
        return {"id": added["id"]}

    return await SUBMIT.run(ctx, {"targetId": target_id, "text": text}, client_mutation_id, perform)
