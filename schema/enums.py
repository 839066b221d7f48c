"""The model's enumerations as GraphQL enums, with what each means for the people who read them."""

import strawberry

from graph_store.model import (
    Category,
    DeclarationKind,
    DisclosureMode,
    DocumentStatus,
    DocumentType,
    ListingGround,
    ListingStatus,
    MeasureType,
    Nature,
    NoticeKind,
    ProviderType,
    Publicity,
    RecordStatus,
    Relation,
    Role,
    Severity,
    SubjectKind,
)

__all__ = [
    "Category",
    "DeclarationKind",
    "DisclosureMode",
    "DocumentStatus",
    "DocumentType",
    "ListingGround",
    "ListingStatus",
    "MeasureType",
    "Nature",
    "NoticeKind",
    "ProviderType",
    "Publicity",
    "RecordStatus",
    "Relation",
    "Role",
    "Severity",
    "SubjectKind",
]

strawberry.enum(
    SubjectKind,
    description="What a credit subject is (Art. 3): a natural person, a legal person or an "
    "unincorporated organization.",
)
strawberry.enum(
    Publicity,
    description="Public information comes from state organs and authorized bodies; non-public from credit service "
    "agencies, industry associations and enterprises (Art. 3).",
)
strawberry.enum(
    Category,
    description="Kinds of credit information (Art. 11): registration; tax and social-insurance payment; "
    "administrative licence, penalty and inspection; refusal to perform effective court judgments; commendations "
    "and awards; other lawful categories.",
)
strawberry.enum(
    DisclosureMode,
    description="How information may be disclosed (Art. 16): public notice, government sharing or authorized query "
    "for public information; the subject's own publication or authorized query for non-public information.",
)
strawberry.enum(
    Nature,
    description="Whether a record shows dishonesty, trustworthiness, neither, or is a subject's own declaration "
    "(Art. 14).",
)
strawberry.enum(Severity, description="How serious a dishonesty record is; it sets how long the record is disclosed.")
strawberry.enum(
    RecordStatus,
    description="ACTIVE records may be disclosed; REPAIRED (Art. 36) and REVOKED (Art. 34) records no longer are.",
)
strawberry.enum(DocumentType, description="The legal document that establishes a record (Art. 12).")
strawberry.enum(DocumentStatus, description="Whether the document is in force or has been revoked (Art. 34).")
strawberry.enum(
    MeasureType, description="Incentive for the trustworthy, regulatory or punitive for violators (Arts. 19-27)."
)
strawberry.enum(ProviderType, description="What kind of body supplies information.")
strawberry.enum(
    NoticeKind,
    description="The written notice an agency serves before acting: before a regulatory measure (Art. 23) or before "
    "listing a subject as seriously dishonest (Art. 24).",
)
strawberry.enum(
    ListingGround,
    description="Art. 24's grounds for the serious-dishonesty list: harm to public health and safety; serious damage "
    "to market order; refusing lawful obligations (court judgments, taxes); national defence obligations; other "
    "grounds set by law.",
)
strawberry.enum(ListingStatus, description="ACTIVE listings are on the public list; REMOVED ones no longer are.")
strawberry.enum(
    DeclarationKind,
    description="What a subject declares about itself (Art. 14): a statement, self-reported information, or a public "
    "credit commitment (信用承诺).",
)
strawberry.enum(
    Relation,
    description="How subjects are related: a natural person REPRESENTS an organization (legal representative or "
    "responsible person), a subject INVESTS_IN an organization, an organization is a BRANCH_OF another.",
)
strawberry.enum(
    Role,
    description="In what capacity a principal asks: an AGENCY (a state organ, acting for its agency), a PROVIDER of "
    "information, a CREDIT_SERVICE agency, a credit SUBJECT itself, the competent department (ADMIN) or an AUDITOR.",
)
