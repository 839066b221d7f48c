"""Consent in GraphQL: the type and the grant input."""

import datetime

import strawberry

from graph_store.consents import ConsentRow

from .enums import Category, ConsentStatus
from .types import Info, MutationInput, Provider, provider_of


@strawberry.type(
    description="A subject's consent for an organization to collect or query its information (Arts. 15, 16)."
)
class Consent:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    purpose: str = strawberry.field(description="COLLECTION, or a purpose of the query application catalog.")
    categories: list[Category] = strawberry.field(description="The categories of information it covers.")
    starts_at: datetime.datetime = strawberry.field(description="From when it holds.")
    expires_at: datetime.datetime = strawberry.field(description="Until when it holds.")
    status: ConsentStatus = strawberry.field(description="ACTIVE, or REVOKED (from the next request on).")
    revoked_at: datetime.datetime | None = strawberry.field(description="When it was revoked.")
    grantee_id: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: ConsentRow) -> "Consent":
        return cls(
            id=strawberry.ID(row["id"]),
            purpose=row["purpose"],
            categories=[Category(category) for category in row["categories"]],
            starts_at=row["validFrom"],
            expires_at=row["validUntil"],
            status=ConsentStatus(row["status"]),
            revoked_at=row["revokedAt"],
            grantee_id=row["granteeId"],
        )

    @strawberry.field(description="The organization the consent is granted to.")
    async def grantee(self, info: Info) -> Provider | None:
        return await provider_of(info, self.grantee_id)


@strawberry.input(description="What a subject consents to.")
class GrantConsentInput(MutationInput):
    grantee_code: str = strawberry.field(description="Code of the organization (a provider) the consent is for.")
    purpose: str = strawberry.field(description="COLLECTION, or a purpose of the query application catalog.")
    categories: list[Category] = strawberry.field(description="The categories of information it covers.")
    expires_at: datetime.datetime = strawberry.field(description="Until when it holds; in the future, with offset.")


@strawberry.input(description="Which of a subject's consents to revoke.")
class RevokeConsentInput(MutationInput):
    consent_id: strawberry.ID = strawberry.field(description="The consent's id.")
