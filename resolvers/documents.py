"""Revoked or changed legal documents (Art. 34), reported by their issuer, the provider of a record based on them, or
the department, as the policy decides."""

import datetime
from typing import TypedDict

from authz.resources import Document
from credit.errors import BadInput, Conflict
from credit.model import SHORT_TEXT
from graph_store import documents
from graph_store.documents import DocumentStatusRow

from .changes import Mutation, Result, permitted
from .context import RequestContext

REPORTED_BY = (
    "a revoked or changed document is reported by its issuer, the provider of a record based on it, or the competent "
    "department (Art. 34)"
)


class Revoked(TypedDict):
    document: DocumentStatusRow
    revokedRecordIds: list[str]


class Amended(TypedDict):
    document: DocumentStatusRow
    versionedRecordIds: list[str]


async def revoked_document(ctx: RequestContext, done: Result) -> Revoked | None:
    """The document (no credit data: not read through a filter) and the records revoked with it, from the result."""
    document = await documents.by_id(ctx.store, str(done["id"]))
    return None if document is None else {"document": document, "revokedRecordIds": list(done["revokedRecordIds"])}


async def amended_document(ctx: RequestContext, done: Result) -> Amended | None:
    """The document (no credit data: not read through a filter) and the records versioned with it, from the result."""
    document = await documents.by_id(ctx.store, str(done["id"]))
    if document is None:
        return None
    return {"document": document, "versionedRecordIds": list(done["versionedRecordIds"])}


REVOKE = Mutation("revokeDocument", "document", revoked_document)
AMEND = Mutation("amendDocument", "document", amended_document)


def stated(reason: str) -> str:
    if not reason.strip():
        raise BadInput("say why the document is revoked or changed: the records based on it will show it")
    if len(reason) > SHORT_TEXT:
        raise BadInput(f"the reason is {len(reason):,} characters; at most {SHORT_TEXT:,}")
    return reason.strip()


async def in_force(ctx: RequestContext, document_id: str) -> DocumentStatusRow:
    """The document, if this viewer may report on it (else NOT_FOUND, as for none) and it is in force (CONFLICT)."""
    found = await documents.by_id(ctx.store, document_id)
    document = permitted(
        ctx, "revoke", found, lambda row: Document(**row), thing="document", key=document_id, rule=REPORTED_BY
    )
    if document["status"] != "EFFECTIVE":
        raise Conflict(f"document {document_id} is already {document['status']} (since {document['revokedAt']})")
    return document


async def revoke(
    ctx: RequestContext, *, document_id: str, reason: str, client_mutation_id: str | None = None
) -> tuple[DocumentStatusRow, list[str]]:
    """The revoked document and the ids of the records that stop being disclosed with it."""

    async def perform() -> dict[str, str | list[str]]:
        why = stated(reason)
        document = await in_force(ctx, document_id)
        revoked = await documents.revoke(
            ctx.store,
            document,
            reason=why,
            actor_id=ctx.principal.id or "-",
            at=ctx.now,
        )
        if revoked is None:
            raise Conflict(f"document {document_id} was revoked or changed by another request just now")
        return {"id": document_id, "revokedRecordIds": revoked}

    revoked = await REVOKE.run(ctx, {"documentId": document_id, "reason": reason}, client_mutation_id, perform)
    return revoked["document"], revoked["revokedRecordIds"]


async def amend(
    ctx: RequestContext,
    *,
    document_id: str,
    number: str,
    issued_on: datetime.date,
    reason: str,
    client_mutation_id: str | None = None,
) -> tuple[DocumentStatusRow, list[str]]:
    """The changed document and the ids of the records based on it, each with a new version saying why."""

    async def perform() -> dict[str, str | list[str]]:
        why = stated(reason)
        new_number = number.strip()
        if not new_number or len(new_number) > SHORT_TEXT:
            raise BadInput(f"the document's number must be 1 to {SHORT_TEXT:,} characters, not only spaces")
        if issued_on > ctx.now.date():
            raise BadInput(f"issuedOn {issued_on} is in the future: a changed document has been issued already")
        document = await in_force(ctx, document_id)
        if (document["number"], document["issuedAt"]) == (new_number, issued_on):
            raise Conflict(f"document {document_id} already has number {new_number}, issued on {issued_on}")
        versioned = await documents.amend(
            ctx.store,
            document,
            number=new_number,
            issued_on=issued_on,
            reason=why,
            actor_id=ctx.principal.id or "-",
            at=ctx.now,
        )
        if versioned is None:
            raise Conflict(f"document {document_id} was revoked or changed by another request just now")
        return {"id": document_id, "versionedRecordIds": versioned}

    input = {"documentId": document_id, "number": number, "issuedOn": issued_on.isoformat(), "reason": reason}
    amended = await AMEND.run(ctx, input, client_mutation_id, perform)
    return amended["document"], amended["versionedRecordIds"]
