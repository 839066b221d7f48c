"""Statements and defence (Art. 37)."""

import uuid

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from authz.resources import Listing, Measure
from graph_store import statements
from graph_store.connection import Row
from graph_store.errors import BadInput, NotFound

from .changes import absent, change
from .context import RequestContext

MAX_LENGTH = 5000
MADE_BY = "the subject a measure or listing is about makes statements on it (Art. 37)"


async def submit(ctx: RequestContext, *, target_id: str, text: str, client_mutation_id: str | None) -> Row:
    async def perform() -> dict[str, str]:
        if not text.strip() or len(text) > MAX_LENGTH:
            raise BadInput(f"a statement has 1 to {MAX_LENGTH} characters")
        target = await statements.target(ctx.store, target_id)
        if target is None:
            raise absent("measure or listing", target_id, MADE_BY)
        resource = Measure(**target) if target["label"] == "Measure" else Listing(**target)
        if not is_allowed(viewer_of(ctx.principal, ctx.now), "state", resource):
            raise absent("measure or listing", target_id, MADE_BY, concealed=True)
        added = await statements.add(
            ctx.store, target["label"], {"id": f"STM-{uuid.uuid4().hex[:16].upper()}", "targetId": target_id,
                                         "subjectId": target["subjectId"], "text": text.strip(),
                                         "actorId": ctx.principal.id}, ctx.now
        )  # fmt: skip
        return {"id": added["id"]}

    done = await change(ctx, "submitStatement", {"targetId": target_id, "text": text}, client_mutation_id, perform)
    statement = await statements.by_id(ctx.store, done["id"])
    if statement is None:
        raise NotFound(f"statement {done['id']} is gone")
    return statement
