"""Statements and defence (Art. 37): on a measure or listing against the subject, or, from the service of an agency's
notice until the listing or measure it announced is decided, on that notice (Art. 24). Once decided, the notice's
statements are shown with the decision and further ones go to it: a statement on a decided notice is CONFLICT."""

from authz.resources import Listing, Measure, Notice
from credit.errors import BadInput, Conflict
from credit.model import LONG_TEXT
from graph_store import statements
from graph_store.statements import StatementRow, TargetRow

from .changes import Mutation, Result, minted, permitted
from .context import RequestContext

MADE_BY = (
    "the subject a measure, listing or PRE_MEASURE or PRE_LISTING notice is about makes statements on it (Art. 37)"
)


async def statement_by_id(ctx: RequestContext, done: Result) -> StatementRow | None:
    return await statements.by_id(ctx.store, done["id"])  # public with its measure or listing (Art. 37)


SUBMIT = Mutation("submitStatement", "statement", statement_by_id)
RESOURCES: dict[str, type[Measure | Listing | Notice]] = {"Measure": Measure, "Listing": Listing, "Notice": Notice}


def as_resource(target: TargetRow) -> Measure | Listing | Notice:
    return RESOURCES[target["label"]](**target)


async def submit(ctx: RequestContext, *, target_id: str, text: str, client_mutation_id: str | None) -> StatementRow:
    async def perform() -> dict[str, str]:
        if not text.strip() or len(text) > LONG_TEXT:
            raise BadInput(f"a statement has 1 to {LONG_TEXT} characters")
        found = await statements.target(ctx.store, target_id)
        target = permitted(
            ctx, "state", found, as_resource, thing="measure, listing or notice", key=target_id, rule=MADE_BY
        )
        if target["decisionId"] is not None:
            raise Conflict(
                f"notice {target_id} was decided on ({target['decisionId']}): the defence before the decision is "
                f"closed; make your statement on {target['decisionId']}"
            )
        added = await statements.add(
            ctx.store, target["label"], {"id": minted("STM"), "targetId": target_id,
                                         "subjectId": target["subjectId"], "text": text.strip(),
                                         "actorId": ctx.principal.id}, ctx.now
        )  # fmt: skip
        return {"id": added["id"]}

    return await SUBMIT.run(ctx, {"targetId": target_id, "text": text}, client_mutation_id, perform)
