"""Self-declaration (Art. 14): a subject publishes a statement, self-reported information or a commitment."""

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from authz.resources import Subject
from credit.errors import BadInput, Forbidden
from credit.model import TITLE, DeclarationKind, SubjectKind
from credit.record_content import canonical_json, content_problem
from graph_store import declarations
from graph_store.reads import RecordRow

from .changes import Gate, Mutation, minted
from .context import RequestContext
from .queries import subject as subject_by_code
from .records import record_by_id

SELF_ONLY = "a credit subject declares about itself: sign in with a SUBJECT token (Art. 14)"
DECLARE = Mutation("declare", "declaration", record_by_id, Gate("declare", "OWN_SUBJECT", SELF_ONLY))


async def declare(
    ctx: RequestContext, *, kind: DeclarationKind, title: str, text: str, client_mutation_id: str | None
) -> RecordRow:
    async def perform() -> dict[str, str]:
        found = await subject_by_code(ctx, ctx.principal.unit or "")  # the gate let in only a subject, with its code
        if found is None or not is_allowed(viewer_of(ctx.principal, ctx.now), "declare", Subject(code=found["code"])):
            raise Forbidden(SELF_ONLY)
        if not title.strip() or len(title) > TITLE:
            raise BadInput(f"a declaration has a title of 1 to {TITLE} characters")
        content = {"kind": kind.value, "text": text.strip()}
        item = declarations.CATALOG_ITEM
        about_person = found["kind"] == SubjectKind.NATURAL_PERSON.value
        if problem := content_problem(
            canonical_json(item["dataFormat"]), content, str(item["id"]), about_person=about_person
        ):
            raise BadInput(problem)
        written = await declarations.declare(
            ctx.store,
            {"id": minted("DEC"), "subjectId": found["id"], "title": title.strip(),
             "content": content, "actorId": ctx.principal.id or "-"},
            ctx.now,
        )  # fmt: skip
        return {"id": written["id"]}

    input = {"kind": kind.value, "title": title, "content": text}
    return await DECLARE.run(ctx, input, client_mutation_id, perform)
