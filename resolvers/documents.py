"""Revoked legal documents (Art. 34), decided by the policy."""

from typing import TypedDict

from authz.resources import Document
from credit.errors import BadInput, Conflict
from graph_store import documents
from graph_store.documents import DocumentStatusRow

from .changes import Mutation, Result, permitted
from .context import RequestContext

REVOKED_BY = "a document is revoked by its issuer or the competent department (Art. 34)"


class Revoked(TypedDict):
    document: DocumentStatusRow
    revokedRecordIds: list[str]


async def revoked_document(ctx: RequestContext, done: Result) -> Revoked | None:
    """The document (no credit data: not read through a filter) and the records revoked with it, from the result."""
    document = await documents.by_id(ctx.store, str(done["id"]))
    return None if document is None else {"document": document, "revokedRecordIds": list(done["revokedRecordIds"])}


REVOKE = Mutation("revokeDocument", "document", revoked_document)


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
        return {"id": document_id, "revokedRecordIds": revoked}

    revoked = await REVOKE.run(ctx, {"documentId": document_id, "reason": reason}, client_mutation_id, perform)
    return revoked["document"], revoked["revokedRecordIds"]
