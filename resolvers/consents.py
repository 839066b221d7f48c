"""A subject's consents: grant, revoke, list (Arts. 15, 16). Each step is a single decision of the policy."""

import datetime
import uuid

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from authz.resources import Consent, Subject
from credit.errors import BadInput, Conflict, Forbidden, NotFound
from credit.identifiers import normalize
from credit.model import COLLECTION_PURPOSE, Category
from graph_store import consents, reads
from graph_store.consents import ConsentRow

from .changes import change, permitted
from .context import RequestContext

NOT_A_SUBJECT = "only a credit subject grants and revokes its consents: sign in with a SUBJECT token"
OWN_CONSENTS = "a subject revokes its own consents"


async def grant(
    ctx: RequestContext,
    *,
    grantee_code: str,
    purpose: str,
    categories: list[Category],
    expires_at: datetime.datetime,
    client_mutation_id: str | None = None,
) -> ConsentRow:
    async def perform() -> dict[str, str]:
        if ctx.principal.unit is None or ctx.principal.role != "SUBJECT":
            raise Forbidden(NOT_A_SUBJECT)
        found = await reads.findable_subjects_by_code(ctx.store, [ctx.principal.unit], ctx.read_filter)
        subject = found.get(ctx.principal.unit)  # the viewer's own record: the policy reveals it to them
        if subject is None:
            raise NotFound(f"subject {ctx.principal.unit} is not on the platform")
        if not is_allowed(viewer_of(ctx.principal, ctx.now), "grant_consent", Subject(**subject)):
            raise Forbidden(NOT_A_SUBJECT)
        if expires_at <= ctx.now:
            raise BadInput(f"expiresAt {expires_at.isoformat()} is not in the future")
        if not categories:
            raise BadInput("categories must name at least one category")
        if purpose != COLLECTION_PURPOSE and purpose not in await reads.query_purpose_codes(ctx.store):
            raise BadInput(f"purpose {purpose!r} is neither {COLLECTION_PURPOSE} nor in the query application catalog")
        grantee = await reads.provider_by_code(ctx.store, normalize(grantee_code))
        if grantee is None:
            raise BadInput(f"granteeCode {grantee_code!r} is not a provider on the platform")
        granted = await consents.create(
            ctx.store,
            subject["id"],
            {
                "id": f"CON-{uuid.uuid4().hex[:16].upper()}",
                "granteeCode": grantee["code"],
                "purpose": purpose,
                "categories": sorted({category.value for category in categories}),
                "validFrom": ctx.now,
                "validUntil": expires_at,
            },
        )
        return {"id": granted["id"]}

    input = {"granteeCode": grantee_code, "purpose": purpose, "categories": [category.value for category in categories],
             "validUntil": expires_at.isoformat()}  # fmt: skip
    done = await change(ctx, "grantConsent", input, client_mutation_id, perform)
    consent = await consents.by_id(ctx.store, done["id"])
    if consent is None:
        raise NotFound(f"consent {done['id']} is gone")
    return consent


async def revoke(ctx: RequestContext, *, consent_id: str, client_mutation_id: str | None = None) -> ConsentRow:
    async def perform() -> dict[str, str]:
        if ctx.principal.role != "SUBJECT":
            raise Forbidden(NOT_A_SUBJECT)
        found = await consents.by_id(ctx.store, consent_id)
        consent = permitted(
            ctx, "revoke", found, lambda row: Consent(**row), thing="consent", key=consent_id, rule=OWN_CONSENTS
        )
        if consent["status"] != "ACTIVE":
            raise Conflict(f"consent {consent_id} is already {consent['status']} (since {consent['revokedAt']})")
        revoked = await consents.revoke(ctx.store, consent_id, ctx.now, ctx.principal.id)
        if revoked is None:
            raise Conflict(f"consent {consent_id} was revoked by another request just now")
        return {"id": consent_id}

    done = await change(ctx, "revokeConsent", {"consentId": consent_id}, client_mutation_id, perform)
    consent = await consents.by_id(ctx.store, done["id"])
    if consent is None:
        raise NotFound(f"consent {done['id']} is gone")
    return consent


async def mine(ctx: RequestContext) -> list[ConsentRow]:
    if ctx.principal.unit is None or not is_allowed(viewer_of(ctx.principal, ctx.now), "read", "OWN_CONSENTS"):
        raise Forbidden("only a credit subject lists its own consents: sign in with a SUBJECT token")
    return await consents.of_subject(ctx.store, ctx.principal.unit)
