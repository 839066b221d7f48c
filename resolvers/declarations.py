"""Self-declaration (Art. 14): a subject publishes a statement, self-reported information or a commitment."""

import uuid

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from authz.resources import Subject
from credit.errors import BadInput, Forbidden, NotFound
from credit.model import TITLE, DeclarationKind
from credit.record_content import canonical_json, content_problem
from graph_store import declarations
from graph_store.reads import RecordRow

from .changes import change
from .context import RequestContext
from .queries import subject as subject_by_code


async def declare(
    ctx: RequestContext, *, kind: DeclarationKind, title: str, text: str, client_mutation_id: str | None
) -> RecordRow:
    async def perform() -> dict[str, str]:
        code = ctx.principal.unit
        found = await subject_by_code(ctx, code) if ctx.principal.role == "SUBJECT" and code else None
        if found is None or not is_allowed(viewer_of(ctx.principal, ctx.now), "declare", Subject(code=found["code"])):
            raise Forbidden("a credit subject declares about itself: sign in with a SUBJECT token (Art. 14)")
        if not title.strip() or len(title) > TITLE:
            raise BadInput(f"a declaration has a title of 1 to {TITLE} characters")
        content = {"kind": kind.value, "text": text.strip()}
        item = declarations.CATALOG_ITEM
        if problem := content_problem(canonical_json(item["dataFormat"]), content, str(item["id"])):
            raise BadInput(problem)
        written = await declarations.declare(
            ctx.store,
            {"id": f"DEC-{uuid.uuid4().hex[:16].upper()}", "subjectId": found["id"], "title": title.strip(),
             "content": content, "actorId": ctx.principal.id or "-"},
            ctx.now,
        )  # fmt: skip
        return {"id": written["id"]}

    input = {"kind": kind.value, "title": title, "content": text}
    done = await change(ctx, "declare", input, client_mutation_id, perform)
    record: RecordRow | None = await ctx.loaders.record.load(done["id"])
    if record is None:
        raise NotFound(f"declaration {done['id']} is gone")
    return record
