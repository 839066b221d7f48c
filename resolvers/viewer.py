"""Who is asking, and what the policy lets them do: what a client needs to choose the screens and actions it offers.

Nothing `viewer` answers is credit data about anyone: the principal's own token (role, unit, name), the declared
purpose as the public catalog names it, and the policy's decisions for the principal's role. Its rows carry no
entity tag, so, like `catalog` and `provider`, it writes no access-log entry.
"""

from typing import Any, TypedDict

from authz.policy import allowed_at_all, is_allowed
from authz.read_filter import viewer_of
from authz.resources import Consent, Document, Listing, Measure, Node, Notice, Objection, Record, Subject
from graph_store import reads
from graph_store.reads import PurposeRow

from . import (
    consents,
    declarations,
    documents,
    listings,
    measures,
    notices,
    objections,
    publication,
    records,
    repairs,
    statements,
)
from .changes import Mutation
from .context import RequestContext

RESTRICTED: dict[str, tuple[str, tuple[type[Node] | str, ...]]] = {
    "my_access_log": ("read", ("OWN_ACCESS_LOG",)),
    "access_log": ("read", ("ACCESS_LOG",)),
    "my_consents": ("read", ("OWN_CONSENTS",)),
    "my_notices": ("read", ("OWN_NOTICES",)),
    "objections": ("read", ("OBJECTIONS",)),
    "repair_applications": ("read", ("REPAIR_APPLICATIONS",)),
    "my_objections": ("read", ("OWN_CASES",)),
    "my_repair_applications": ("read", ("OWN_CASES",)),
    "related_subjects": ("trace", ("RELATIONS",)),
    "connection": ("trace", ("RELATIONS",)),
    "risk_network": ("trace", ("RELATIONS",)),
    "grant_consent": ("grant_consent", (Subject,)),
    "revoke_consent": ("revoke", (Consent,)),
    "declare": ("declare", (Subject,)),
    "publish_record": ("publish", (Record,)),
    "withdraw_publication": ("publish", (Record,)),
    "file_objection": ("object", (Record, Listing, Measure, "PROVIDERS")),
    "apply_for_repair": ("apply_for_repair", (Record,)),
    "submit_statement": ("state", (Measure, Listing, Notice)),
    "waive_defence": ("waive", (Notice,)),
    "correct_record": ("correct", (Record,)),
    "request_assistance": ("handle", (Objection,)),
    "decide_objection": ("handle", (Objection,)),
    "decide_repair": ("handle", (Record,)),
    "revoke_document": ("revoke", (Document,)),
    "amend_document": ("revoke", (Document,)),
    "serve_notice": ("serve_notice", ("SUBJECTS",)),
    "apply_measure": ("impose", ("SUBJECTS",)),
    "list_serious_dishonesty": ("list", ("SUBJECTS",)),
    "remove_listing": ("remove", (Listing,)),
}
"""Every operation that is not open to everyone, and the question its resolver asks the policy: the action, on what
kind of thing (a whole kind, or the types of object it acts on); a mutation's gate, if it has one, is asked too."""


MUTATIONS: tuple[Mutation[Any], ...] = (
    consents.GRANT, consents.REVOKE, declarations.DECLARE, records.CORRECT, objections.FILE, objections.ASSIST,
    objections.DECIDE, repairs.APPLY, repairs.DECIDE, statements.SUBMIT, documents.REVOKE, documents.AMEND,
    notices.SERVE, measures.APPLY, listings.ADD, listings.REMOVE, publication.PUBLISH, publication.WITHDRAW,
    notices.WAIVE,
)  # fmt: skip
"""Every mutation (resolvers/changes.py): one whose gate refuses the viewer is refused whatever it acts on."""

GATES = {mutation.name: mutation.gate for mutation in MUTATIONS if mutation.gate is not None}


def camel(operation: str) -> str:
    first, *rest = operation.split("_")
    return first + "".join(word.title() for word in rest)


READ_CREDIT_DATA = {
    "related_subjects", "connection", "risk_network", "serve_notice", "apply_measure", "list_serious_dishonesty",
    "remove_listing", "objections",
}  # fmt: skip
"""Operations that read subjects or records on the way (through the request's read filter): an AGENCY may use them
only with a declared purpose, as every read of credit data (authz/read_filter.py)."""


def capabilities(ctx: RequestContext) -> dict[str, bool]:
    """For each restricted operation, whether the policy lets the principal use it (on some object, for those that
    act on one) as the request stands, its declared purpose or want of one included."""
    viewer = viewer_of(ctx.principal, ctx.now)
    reads_credit_data = is_allowed(viewer, "read", "CREDIT_DATA")
    gates_open = {name: is_allowed(viewer, gate.action, gate.kind) for name, gate in GATES.items()}
    return {
        operation: any(allowed_at_all(viewer, action, resource) for resource in resources)
        and gates_open.get(camel(operation), True)
        and (reads_credit_data or operation not in READ_CREDIT_DATA)
        for operation, (action, resources) in RESTRICTED.items()
    }


class ViewerRow(TypedDict):
    anonymous: bool
    role: str | None
    unit: str | None
    name: str | None
    purpose: PurposeRow | None
    can: dict[str, bool]
    """Each operation of RESTRICTED: whether the policy lets the viewer use it."""


async def viewer(ctx: RequestContext) -> ViewerRow:
    principal = ctx.principal
    purpose = await reads.query_purpose(ctx.store, principal.purpose) if principal.purpose else None
    return {
        "anonymous": principal.is_anonymous,
        "role": principal.role,
        "unit": principal.unit,
        "name": principal.name,
        "purpose": purpose,
        "can": capabilities(ctx),
    }
