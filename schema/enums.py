"""The model's enumerations as GraphQL enums, with what each means for the people who read them."""

import strawberry

from credit.model import (
    AccessDecision,
    AgencyNoticeKind,
    Category,
    ConsentStatus,
    DeclarationKind,
    DisclosureMode,
    DocumentStatus,
    DocumentType,
    ListingGround,
    ListingStatus,
    MeasureType,
    Nature,
    NoticeKind,
    ObjectionKind,
    ObjectionOutcome,
    ObjectionStatus,
    ObjectionTarget,
    ProviderType,
    Publicity,
    RecordStatus,
    Relation,
    RepairStatus,
    Role,
    Severity,
    SubjectKind,
)

__all__ = [
    "AccessDecision",
    "AgencyNoticeKind",
    "Category",
    "ConsentStatus",
    "DeclarationKind",
    "DisclosureMode",
    "DocumentStatus",
    "DocumentType",
    "ListingGround",
    "ListingStatus",
    "MeasureType",
    "Nature",
    "NoticeKind",
    "ObjectionKind",
    "ObjectionOutcome",
    "ObjectionStatus",
    "ObjectionTarget",
    "ProviderType",
    "Publicity",
    "RecordStatus",
    "Relation",
    "RepairStatus",
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
    description="What a written notice is: OBJECTION_RESULT and REPAIR_RESULT answer the subject's objection "
    "(Art. 32) or repair application (Art. 36); PRE_MEASURE and PRE_LISTING are served by an agency before a "
    "regulatory measure (Art. 23) or before listing the subject as seriously dishonest (Art. 24).",
)
strawberry.enum(
    AgencyNoticeKind,
    description="The written notices an agency serves before it acts: PRE_MEASURE before a regulatory measure "
    "(Art. 23), PRE_LISTING before listing a subject as seriously dishonest (Art. 24).",
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
    ConsentStatus,
    description="ACTIVE consents hold while in their validity; a REVOKED one stops holding from the next request on.",
)
strawberry.enum(
    ObjectionStatus,
    description="OPEN until its handler decides it (3 working days, 5 with other units' help); then UPHELD (the "
    "record was wrong, and is corrected or no longer disclosed) or REJECTED (the record stands) (Art. 32).",
)
strawberry.enum(
    ObjectionKind,
    description="What a subject objects to (Art. 32): ERROR (the information is wrong), OMISSION (something was left "
    "out: the objection names the provider that left it out), INFRINGEMENT (collecting, disclosing or using it "
    "infringes the subject's lawful rights).",
)
strawberry.enum(
    ObjectionTarget,
    description="What an objection is about: a RECORD (decided by its provider), a LISTING (by the agency that "
    "decided it), a MEASURE (by the implementing agency) or a PROVIDER (by that provider); ADMIN decides any.",
)
strawberry.enum(
    ObjectionOutcome,
    description="A handler's decision on an objection: UPHELD (the record was wrong) or REJECTED (it stands).",
)
strawberry.enum(
    RepairStatus,
    description="PENDING until decided; APPROVED (the record is REPAIRED and no longer disclosed) or REJECTED "
    "(Art. 36).",
)
strawberry.enum(
    Role,
    description="The capacity a user acts in, as their token says: AGENCY (a government department; its unit is its "
    "provider code), PROVIDER (a body that supplies information), CREDIT_SERVICE (a credit service agency), SUBJECT "
    "(a credit subject; its unit is its own code), ADMIN (the competent department), AUDITOR (reads the access log).",
)
strawberry.enum(
    AccessDecision,
    description="What became of a request: ALLOWED; DENIED when the policy refused it, or part of it; FAILED when "
    "a change was allowed but failed (bad input, a conflict, something not found) and nothing changed.",
)
