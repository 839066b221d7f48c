"""The viewer: who is asking, and which operations the policy lets them use."""

import strawberry

from graph_store.reads import PurposeRow
from resolvers.viewer import ViewerRow

from .enums import Category, Role
from .types import maybe


@strawberry.type(description="A purpose of the query application catalog (Art. 20), as the catalog names it.")
class QueryPurpose:
    id: strawberry.ID = strawberry.field(description="Stable id: the purpose's code.")
    code: str = strawberry.field(description="The code a client declares in X-Query-Purpose.")
    name: str = strawberry.field(description="What the purpose is, in words.")
    categories: list[Category] = strawberry.field(
        description="The record categories it serves (Arts. 20-21): an AGENCY querying for it reads GOVERNMENT_SHARING "
        "records in these categories only."
    )

    @classmethod
    def from_row(cls, row: PurposeRow) -> "QueryPurpose":
        return cls(
            id=strawberry.ID(row["code"]),
            code=row["code"],
            name=row["name"],
            categories=[Category(category) for category in row["categories"]],
        )


@strawberry.type(
    description="Which operations the policy lets the viewer use, each named after its operation: true when it can "
    "succeed for this viewer (for one that acts on an object, on some object: the policy still decides each one when "
    "the viewer acts, and the law's conditions still apply); false when it is refused whatever the arguments. "
    "Operations not named here (subject, subjects, record, creditReport, catalog, queryPurposes, provider, "
    "providers, seriousDishonestyList, viewer) are open to everyone."
)
class Capabilities:
    my_access_log: bool = strawberry.field(description="Read who accessed one's own data (a SUBJECT).")
    access_log: bool = strawberry.field(description="Read the whole access log (AUDITOR, ADMIN).")
    my_consents: bool = strawberry.field(description="List one's own consents (a SUBJECT).")
    my_notices: bool = strawberry.field(description="Read the written notices served on one (a SUBJECT).")
    objections: bool = strawberry.field(
        description="List objections to handle (those it decides: providers, agencies; ADMIN)."
    )
    repair_applications: bool = strawberry.field(description="List repair applications to decide (providers, ADMIN).")
    my_objections: bool = strawberry.field(description="List one's own objections (a SUBJECT).")
    my_repair_applications: bool = strawberry.field(description="List one's own repair applications (a SUBJECT).")
    related_subjects: bool = strawberry.field(description="Relationship lookups (AGENCY with a purpose, ADMIN).")
    connection: bool = strawberry.field(description="Paths between two subjects (AGENCY with a purpose, ADMIN).")
    risk_network: bool = strawberry.field(description="The risk network (AGENCY with a purpose, ADMIN).")
    grant_consent: bool = strawberry.field(description="Grant a consent (a SUBJECT, its own).")
    revoke_consent: bool = strawberry.field(description="Revoke a consent (a SUBJECT, its own).")
    declare: bool = strawberry.field(description="Declare about oneself (a SUBJECT, Art. 14).")
    publish_record: bool = strawberry.field(
        description="Publish one's own SUBJECT_PUBLISHED records to everyone (a SUBJECT, Art. 16)."
    )
    withdraw_publication: bool = strawberry.field(
        description="Withdraw the publication of one's own records (a SUBJECT, Art. 16)."
    )
    file_objection: bool = strawberry.field(
        description="Object to a record, listing or measure (a SUBJECT, its own) or to a provider (a SUBJECT)."
    )
    apply_for_repair: bool = strawberry.field(description="Apply to repair a record (a SUBJECT, its own records).")
    submit_statement: bool = strawberry.field(
        description="Make a statement on a measure, listing or agency's notice (a SUBJECT, those against it)."
    )
    waive_defence: bool = strawberry.field(
        description="Waive the rest of the defence period on an agency's notice (a SUBJECT, those served on it)."
    )
    correct_record: bool = strawberry.field(description="Correct a record (a PROVIDER, the records it supplied).")
    request_assistance: bool = strawberry.field(
        description="Ask other units to help verify an objection (its handler: the record's provider, the listing's or "
        "measure's agency, the provider objected to; ADMIN)."
    )
    decide_objection: bool = strawberry.field(
        description="Decide an objection (its handler: the record's provider, the listing's or measure's agency, the "
        "provider objected to; ADMIN)."
    )
    decide_repair: bool = strawberry.field(
        description="Decide a repair application (its handler: the record's provider, ADMIN)."
    )
    revoke_document: bool = strawberry.field(
        description="Report that a document was revoked (its issuing AGENCY or PROVIDER, a provider of a record based "
        "on it, ADMIN)."
    )
    amend_document: bool = strawberry.field(
        description="Report that a document was changed (its issuing AGENCY or PROVIDER, a provider of a record based "
        "on it, ADMIN)."
    )
    serve_notice: bool = strawberry.field(description="Serve a written notice before acting (an AGENCY).")
    apply_measure: bool = strawberry.field(description="Apply a measure (an AGENCY).")
    list_serious_dishonesty: bool = strawberry.field(
        description="Put a subject on the serious-dishonesty list (an AGENCY)."
    )
    remove_listing: bool = strawberry.field(description="Remove a listing (the AGENCY that decided it, ADMIN).")


@strawberry.type(
    description="Who is asking (the principal of the bearer token, or an anonymous visitor), with the purpose "
    "declared and what the policy lets them do. Not credit data about anyone: reading it writes no access-log entry."
)
class Viewer:
    anonymous: bool = strawberry.field(description="True without a token.")
    role: Role | None = strawberry.field(description="The token's role; null when anonymous.")
    unit: str | None = strawberry.field(
        description="The token's unit: an agency's or organization's code, a SUBJECT's own code; null when none."
    )
    name: str | None = strawberry.field(description="The person the token names; null when anonymous.")
    purpose: QueryPurpose | None = strawberry.field(
        description="The purpose declared in X-Query-Purpose, as the catalog names it; null when none is declared."
    )
    can: Capabilities = strawberry.field(description="Which operations the policy lets this viewer use.")

    @classmethod
    def from_row(cls, row: ViewerRow) -> "Viewer":
        return cls(
            anonymous=row["anonymous"],
            role=Role(row["role"]) if row["role"] else None,
            unit=row["unit"],
            name=row["name"],
            purpose=maybe(QueryPurpose.from_row, row["purpose"]),
            can=Capabilities(**row["can"]),
        )
