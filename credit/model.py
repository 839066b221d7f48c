"""The vocabulary of the credit graph: the enumerations every layer shares.

Values are stored in Neo4j as the enum's name (UPPER_SNAKE_CASE), exactly as
docs/contract.md spells them; the GraphQL schema exposes the same classes.
"""

import datetime
from enum import Enum

SHORT_TEXT = 2000
"""Characters at most in a name, an item, a basis or removal conditions: one field of a form."""
LONG_TEXT = 5000
"""Characters at most in a written text: a notice, a statement or defence, a declaration."""
TITLE = 200
"""Characters at most in a declaration's title."""
REPAIR_DECISION_DAYS = 3
"""Working days to decide a repair application: Art. 36 sets none, so the objections' period (Art. 32) is used."""
MAX_EVIDENCE = 20
"""Items of evidence at most in a repair application (each one field of a form: SHORT_TEXT)."""
MAX_HOPS = 3
"""How many relationships away a relationship lookup reaches at most (Arts. 24-26: who stands behind a subject)."""
DEFENCE_WORKING_DAYS = 5
"""Working days after an agency's notice is served during which the subject states and defends itself (Arts. 24,
37): a listing or a punitive measure on the notice is decided only after them, unless the subject waives the rest."""


class SubjectKind(Enum):
    NATURAL_PERSON = "NATURAL_PERSON"
    LEGAL_PERSON = "LEGAL_PERSON"
    UNINCORPORATED_ORG = "UNINCORPORATED_ORG"


class Publicity(Enum):
    """Art. 3: public information comes from state organs and authorized bodies."""

    PUBLIC = "PUBLIC"
    NON_PUBLIC = "NON_PUBLIC"


class ProviderType(Enum):
    """Who supplies information; the first three are public providers (Art. 3)."""

    GOVERNMENT_AGENCY = "GOVERNMENT_AGENCY"
    COURT = "COURT"
    AUTHORIZED_ORGANIZATION = "AUTHORIZED_ORGANIZATION"
    CREDIT_SERVICE_AGENCY = "CREDIT_SERVICE_AGENCY"
    INDUSTRY_ASSOCIATION = "INDUSTRY_ASSOCIATION"
    ENTERPRISE = "ENTERPRISE"


PUBLIC_PROVIDER_TYPES = frozenset(
    {ProviderType.GOVERNMENT_AGENCY, ProviderType.COURT, ProviderType.AUTHORIZED_ORGANIZATION}
)


class Category(Enum):
    """Art. 11, with licence, penalty and inspection kept apart."""

    REGISTRATION = "REGISTRATION"
    TAX_AND_SOCIAL_INSURANCE = "TAX_AND_SOCIAL_INSURANCE"
    ADMINISTRATIVE_LICENCE = "ADMINISTRATIVE_LICENCE"
    ADMINISTRATIVE_PENALTY = "ADMINISTRATIVE_PENALTY"
    ADMINISTRATIVE_INSPECTION = "ADMINISTRATIVE_INSPECTION"
    JUDGMENT_DEFAULT = "JUDGMENT_DEFAULT"
    COMMENDATION = "COMMENDATION"
    OTHER = "OTHER"


class DisclosureMode(Enum):
    """Art. 16: how a piece of information may be disclosed."""

    PUBLIC_NOTICE = "PUBLIC_NOTICE"
    GOVERNMENT_SHARING = "GOVERNMENT_SHARING"
    AUTHORIZED_QUERY = "AUTHORIZED_QUERY"
    SUBJECT_PUBLISHED = "SUBJECT_PUBLISHED"


DISCLOSURE_MODES_BY_PUBLICITY = {
    Publicity.PUBLIC: frozenset(
        {DisclosureMode.PUBLIC_NOTICE, DisclosureMode.GOVERNMENT_SHARING, DisclosureMode.AUTHORIZED_QUERY}
    ),
    Publicity.NON_PUBLIC: frozenset({DisclosureMode.SUBJECT_PUBLISHED, DisclosureMode.AUTHORIZED_QUERY}),
}


class Nature(Enum):
    DISHONEST = "DISHONEST"
    TRUSTWORTHY = "TRUSTWORTHY"
    NEUTRAL = "NEUTRAL"
    SELF_DECLARED = "SELF_DECLARED"


class Severity(Enum):
    MINOR = "MINOR"
    GENERAL = "GENERAL"
    SERIOUS = "SERIOUS"


class RecordStatus(Enum):
    ACTIVE = "ACTIVE"
    REPAIRED = "REPAIRED"
    REVOKED = "REVOKED"


class DocumentType(Enum):
    JUDGMENT = "JUDGMENT"
    RULING = "RULING"
    PENALTY_DECISION = "PENALTY_DECISION"
    OTHER = "OTHER"


class DocumentStatus(Enum):
    EFFECTIVE = "EFFECTIVE"
    REVOKED = "REVOKED"


class MeasureType(Enum):
    INCENTIVE = "INCENTIVE"
    REGULATORY = "REGULATORY"
    PUNITIVE = "PUNITIVE"


class NoticeKind(Enum):
    """Every written notice served on a subject: the results of its objections and repair applications, the notices
    an agency serves before it acts (Arts. 23-24), and those on a legal document revoked or changed (Art. 34)."""

    OBJECTION_RESULT = "OBJECTION_RESULT"
    REPAIR_RESULT = "REPAIR_RESULT"
    PRE_MEASURE = "PRE_MEASURE"
    PRE_LISTING = "PRE_LISTING"
    DOCUMENT_REVOKED = "DOCUMENT_REVOKED"
    """A legal document a record about the subject rests on was revoked (Art. 34)."""
    DOCUMENT_AMENDED = "DOCUMENT_AMENDED"
    """A legal document a record about the subject rests on was changed (Art. 34)."""


class AgencyNoticeKind(Enum):
    """The written notices an agency serves before it acts (Arts. 23-24): the kinds of NoticeKind it may serve."""

    PRE_MEASURE = "PRE_MEASURE"
    PRE_LISTING = "PRE_LISTING"


class ListingGround(Enum):
    """Art. 24's five grounds for the serious-dishonesty list."""

    HEALTH_AND_SAFETY = "HEALTH_AND_SAFETY"
    MARKET_ORDER = "MARKET_ORDER"
    DEFYING_OBLIGATIONS = "DEFYING_OBLIGATIONS"
    NATIONAL_DEFENSE = "NATIONAL_DEFENSE"
    OTHER = "OTHER"


class ListingStatus(Enum):
    ACTIVE = "ACTIVE"
    REMOVED = "REMOVED"


class DeclarationKind(Enum):
    """What a subject may declare about itself (Art. 14)."""

    STATEMENT = "STATEMENT"
    SELF_REPORT = "SELF_REPORT"
    COMMITMENT = "COMMITMENT"


class Relation(Enum):
    """The relations between subjects that relationship lookups follow, in either direction."""

    REPRESENTS = "REPRESENTS"
    INVESTS_IN = "INVESTS_IN"
    BRANCH_OF = "BRANCH_OF"


class RepresentationRole(Enum):
    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"
    RESPONSIBLE_PERSON = "RESPONSIBLE_PERSON"


class Role(Enum):
    """In what capacity a principal asks (docs/contract.md, authorization model); a token's `role` claim is one."""

    AGENCY = "AGENCY"
    PROVIDER = "PROVIDER"
    CREDIT_SERVICE = "CREDIT_SERVICE"
    SUBJECT = "SUBJECT"
    ADMIN = "ADMIN"
    AUDITOR = "AUDITOR"


class ConsentStatus(Enum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"


class ObjectionStatus(Enum):
    """An objection is OPEN until its handler decides it (Art. 32)."""

    OPEN = "OPEN"
    UPHELD = "UPHELD"
    REJECTED = "REJECTED"


class ObjectionKind(Enum):
    """What a subject objects to (Art. 32): information that is wrong, information left out (an omission names the
    provider that left it out), or collection, disclosure or use that infringes its lawful rights."""

    ERROR = "ERROR"
    OMISSION = "OMISSION"
    INFRINGEMENT = "INFRINGEMENT"


class ObjectionTarget(Enum):
    """What an objection is about: one record, listing, measure or provider."""

    RECORD = "RECORD"
    LISTING = "LISTING"
    MEASURE = "MEASURE"
    PROVIDER = "PROVIDER"


class ObjectionOutcome(Enum):
    """How a handler decides an objection: the status it leaves the objection in."""

    UPHELD = "UPHELD"
    REJECTED = "REJECTED"


class RepairStatus(Enum):
    """A repair application is PENDING until the record's provider or the department decides it (Art. 36)."""

    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class AccessDecision(Enum):
    """What became of a request, as the access log records it (Art. 21)."""

    ALLOWED = "ALLOWED"
    DENIED = "DENIED"
    """The policy refused the request, or part of it."""
    FAILED = "FAILED"
    """A change was allowed but failed (bad input, a conflict, something not found): nothing was changed."""


COLLECTION_PURPOSE = "COLLECTION"
"""The consent purpose that lets a non-public provider collect a person's information (Art. 15)."""


CHINA = datetime.timezone(datetime.timedelta(hours=8), "CST")
"""Dates in the law are Beijing dates; China keeps one offset all year."""


def china_now() -> datetime.datetime:
    return datetime.datetime.now(CHINA)


LISTING_GROUND_NAMES = {
    ListingGround.HEALTH_AND_SAFETY: "严重损害人民群众身体健康和生命安全",
    ListingGround.MARKET_ORDER: "严重破坏市场公平竞争秩序和社会正常秩序",
    ListingGround.DEFYING_OBLIGATIONS: "有履行能力但拒不履行、逃避执行法定义务",
    ListingGround.NATIONAL_DEFENSE: "拒不履行国防义务",
    ListingGround.OTHER: "法律、法规规定的其他严重失信行为",
}
"""Art. 24's grounds in its own words: how notices and the printed report name them."""
