"""Statements and defence (Art. 37)."""

import uuid

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from authz.resources import Listing, Measure
from graph_store import statements
from graph_store.connection import Row
from graph_store.errors import BadInput, Forbidden, NotFound

from .context import RequestContext
from .idempotency import once

MAX_LENGTH = 5000


async def submit(ctx: RequestContext, *, target_id: str, text: str, client_mutation_id: str | None) -> Row:
    async def perform() -> dict[str, str]:
        target = await statements.target(ctx.store, target_id)
        if target is None:
            raise NotFound(f"there is no measure or listing {target_id!r}")
        resource = Measure(**target) if target["label"] == "Measure" else Listing(**target)
        if not is_allowed(viewer_of(ctx.principal, ctx.now), "state", resource):
            raise Forbidden("only the subject a measure or listing is about makes statements on it (Art. 37)")
        if not text.strip() or len(text) > MAX_LENGTH:
            raise BadInput(f"a statement has 1 to {MAX_LENGTH} characters")
        ctx.access.saw_subjects([{"id": target["subjectId"]}])
        added = await statements.add(
            ctx.store, target["label"], {"id": f"STM-{uuid.uuid4().hex[:16].upper()}", "targetId": target_id,
                                         "subjectId": target["subjectId"], "text": text.strip(),
                                         "actorId": ctx.principal.id}, ctx.now
        )  # fmt: skip
        return {"id": added["id"]}

    result = await once(ctx, "submitStatement", client_mutation_id, perform)
    statement = await statements.by_id(ctx.store, result["id"])
    if statement is None:
        raise NotFound(f"statement {result['id']} is gone")
    return statement
