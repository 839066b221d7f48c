"""A subject's consents: grant, revoke, list (Arts. 15, 16). Each step is a single decision of the policy."""

import datetime

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from authz.resources import Consent, Subject
from credit.errors import BadInput, Conflict, Forbidden, NotFound
from credit.identifiers import normalize
from credit.model import COLLECTION_PURPOSE, Category
from graph_store import consents, reads
from graph_store.consents import ConsentRow

from .changes import Gate, Mutation, Result, minted, permitted
from .context import RequestContext

NOT_A_SUBJECT = "only a credit subject grants and revokes its consents: sign in with a SUBJECT token"
OWN_CONSENTS = "a subject revokes its own consents"


async def consent_by_id(ctx: RequestContext, done: Result) -> ConsentRow | None:
    return await consents.by_id(ctx.store, done["id"])  # the subject's own: not read through a filter


GRANT = Mutation("grantConsent", "consent", consent_by_id, Gate("grant_consent", "OWN_SUBJECT", NOT_A_SUBJECT))
REVOKE = Mutation("revokeConsent", "consent", consent_by_id, Gate("revoke", "OWN_CONSENTS", NOT_A_SUBJECT))


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
        code = ctx.principal.unit or ""  # the gate let in only a subject, whose unit is its own code
        subject = (await reads.findable_subjects_by_code(ctx.store, [code], ctx.read_filter)).get(code)
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
                "id": minted("CON"),
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
    return await GRANT.run(ctx, input, client_mutation_id, perform)


async def revoke(ctx: RequestContext, *, consent_id: str, client_mutation_id: str | None = None) -> ConsentRow:
    async def perform() -> dict[str, str]:
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

    return await REVOKE.run(ctx, {"consentId": consent_id}, client_mutation_id, perform)


async def mine(ctx: RequestContext) -> list[ConsentRow]:
    if ctx.principal.unit is None or not is_allowed(viewer_of(ctx.principal, ctx.now), "read", "OWN_CONSENTS"):
        raise Forbidden("only a credit subject lists its own consents: sign in with a SUBJECT token")
    return await consents.of_subject(ctx.store, ctx.principal.unit)
