"""The root Mutation: every change is authorized by the policy and written to the access log."""

from typing import Annotated

import strawberry

from resolvers import consents

from .consents import Consent, GrantConsentInput
from .types import Info


@strawberry.type(description="Change the credit graph. Every change is authorized by the policy and logged.")
class Mutation:
    @strawberry.mutation(description="As a SUBJECT, consent to an organization's collecting or querying your data.")
    async def grant_consent(self, info: Info, input: GrantConsentInput) -> Consent:
        row = await consents.grant(
            info.context,
            grantee_code=input.grantee_code,
            purpose=input.purpose,
            categories=input.categories,
            valid_until=input.valid_until,
        )
        return Consent.from_row(row)

    @strawberry.mutation(description="As a SUBJECT, revoke one of your consents; it stops holding on the next request.")
    async def revoke_consent(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The consent's id.")]
    ) -> Consent:
        return Consent.from_row(await consents.revoke(info.context, str(id)))
