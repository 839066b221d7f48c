"""Revoked legal documents (Art. 34), decided by the policy."""

from authz.resources import Document
from credit.errors import BadInput, Conflict, NotFound
from graph_store import documents
from graph_store.documents import DocumentStatusRow

from .changes import change, permitted
from .context import RequestContext

REVOKED_BY = "a document is revoked by its issuer or the competent department (Art. 34)"


async def revoke(
    ctx: RequestContext, *, document_id: str, reason: str, client_mutation_id: str | None = None
) -> tuple[DocumentStatusRow, list[str]]:
    """The revoked document and the ids of the records that stop being disclosed with it."""

    async def perform() -> dict[str, str | list[str]]:
        if not reason.strip():
            raise BadInput("say why the document is revoked or changed: the records based on it will show it")
        found = await documents.by_id(ctx.store, document_id)
        document = permitted(
            ctx, "revoke", found, lambda row: Document(**row), thing="document", key=document_id, rule=REVOKED_BY
        )
        if document["status"] != "EFFECTIVE":
            raise Conflict(f"document {document_id} is already {document['status']} (since {document['revokedAt']})")
        revoked = await documents.revoke(
            ctx.store, document_id, reason=reason.strip(), actor_id=ctx.principal.id or "-", at=ctx.now
        )
        if revoked is None:
            raise Conflict(f"document {document_id} was revoked by another request just now")
        for record_id in revoked:
            ctx.loaders.record.clear(record_id)
        return {"id": document_id, "revokedRecordIds": revoked}

    input = {"documentId": document_id, "reason": reason}
    done = await change(ctx, "revokeDocument", input, client_mutation_id, perform)
    document = await documents.by_id(ctx.store, str(done["id"]))
    if document is None:
        raise NotFound(f"document {done['id']} is gone")
    return document, list(done["revokedRecordIds"])
