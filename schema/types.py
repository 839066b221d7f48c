"""The object types of the API. Nested fields read through the request's DataLoaders.

Each type is built from a row the resolvers return (already filtered and masked
for the viewer); the row's link ids stay private and feed the nested fields.
"""

import datetime
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Generic, TypeVar, cast, overload

import strawberry
from strawberry.scalars import JSON

from graph_store.listings import ListingRow
from graph_store.reads import (
    CatalogItemRow,
    DocumentRow,
    MeasureRow,
    ProviderRow,
    RecordRow,
    SubjectRow,
    VersionRow,
)
from graph_store.statements import StatementRow
from graph_store.versions import ObjectVersionRow
from resolvers import queries
from resolvers.context import RequestContext
from resolvers.pagination import DEFAULT_PAGE, MAX_PAGE, Page

from .enums import (
    Category,
    DisclosureMode,
    DocumentStatus,
    DocumentType,
    ListingGround,
    ListingStatus,
    MeasureType,
    Nature,
    ProviderType,
    Publicity,
    RecordStatus,
    Severity,
    SubjectKind,
)

Info = strawberry.Info[RequestContext, None]
T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C", bound="Connection[Any]")


def maybe(make: Callable[[R], T], row: R | None) -> T | None:
    """`make(row)`, or None when there is no row: an id that names nothing the viewer may see."""
    return None if row is None else make(row)


def later(fetch: Awaitable[T]) -> T:
    """A fetch handed over where a field's value is expected. A field the translation read with its parent
    (graph_store/projection.py) answers at once, from the parent's `selected`: a plain resolver, so graphql-core
    makes no task for it, which for a page of records is most of its work. Otherwise the resolver returns its
    DataLoader's awaitable, and graphql-core awaits whatever a resolver returns."""
    return cast(T, fetch)


FIRST = f"How many items to return, 0 to {MAX_PAGE}."
AFTER = "Return items after this cursor (an `endCursor` or `cursor` from the previous page)."


@strawberry.type(description="Where a page of a list stands (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(description="Always false: lists are paged forwards with `after`.")
    page: strawberry.Private[Page[Any]]
    """Cursors are signatures, made only when a client selects them."""

    @strawberry.field(description="Cursor of the first item on this page.")
    def start_cursor(self) -> str | None:
        return self.page.start_cursor

    @strawberry.field(description="Cursor of the last item on this page: pass it as `after`.")
    def end_cursor(self) -> str | None:
        return self.page.end_cursor


@strawberry.type(description="One item of a list and its cursor.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    row: strawberry.Private[Any]
    """The row `node` was made from, a row of `page`'s type."""
    page: strawberry.Private[Page[Any]]

    @strawberry.field(description="Opaque position of this item; pass it as `after` to continue.")
    def cursor(self) -> str:
        return self.page.cursor(self.row)


@strawberry.type(description="A page of a list (Relay connection): at most 100 items.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, in list order.")
    page_info: PageInfo = strawberry.field(description="Whether more items follow, and where to continue.")
    page: strawberry.Private[Page[Any]]

    @strawberry.field(description="How many items the whole list has for this viewer.")
    def total_count(self) -> int:
        return self.page.total()  # type: ignore[return-value]  # an awaitable when it costs a query: graphql awaits it


@overload
def connection(page: Page[R], node: Callable[[R], T]) -> Connection[T]: ...
@overload
def connection(page: Page[R], node: Callable[[R], Any], kind: type[C], **private: Any) -> C: ...
def connection(page: Page[R], node: Callable[[R], Any], kind: type[Any] = Connection, **private: Any) -> Any:
    """A page as a `kind` of connection (a subclass adds fields, and `private` what they need)."""
    return kind(
        edges=[Edge(node=node(row), row=row, page=page) for row in page.rows],
        page_info=PageInfo(has_next_page=page.has_next_page, has_previous_page=False, page=page),
        page=page,
        **private,
    )


@strawberry.input(description="What every mutation's input carries (Relay's convention).")
class MutationInput:
    client_mutation_id: str | None = strawberry.field(
        default=None,
        description="Your id for this change, echoed back in the payload. Repeated with the same input, the mutation "
        "answers its first result and changes nothing; with another input, it is refused with CONFLICT.",
    )


@strawberry.type(description="A body that supplies credit information: an agency, a court, or a non-public source.")
class Provider:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    code: str = strawberry.field(description="Unified social credit code.")
    name: str = strawberry.field(description="Official name.")
    publicity: Publicity = strawberry.field(description="Whether it supplies public or non-public information.")
    type: ProviderType = strawberry.field(description="What kind of body it is.")
    region: str = strawberry.field(description="Region code (430000 for the province, 430100 Changsha, ...).")

    @classmethod
    def from_row(cls, row: ProviderRow) -> "Provider":
        return cls(
            id=strawberry.ID(row["id"]),
            code=row["code"],
            name=row["name"],
            publicity=Publicity(row["publicity"]),
            type=ProviderType(row["type"]),
            region=row["region"],
        )


async def provider_of(info: Info, provider_id: str) -> Provider | None:
    return maybe(Provider.from_row, await info.context.loaders.provider.load(provider_id))


async def subject_of(info: Info, subject_id: str) -> "Subject | None":
    return maybe(Subject.from_row, await info.context.loaders.subject.load(subject_id))


@strawberry.type(
    description="What a catalog item, legal document or measure was before a change: kept for every change that "
    "re-import made (graph_store/versions.py)."
)
class Version:
    at: datetime.datetime = strawberry.field(description="When it changed.")
    reason: str = strawberry.field(description="Why, e.g. re-imported.")
    changed: list[str] = strawberry.field(
        description="The fields that changed, named as in import lines (issuedAt, endsAt, ...)."
    )
    before: JSON = strawberry.field(description="Each changed field's value before the change.")

    @classmethod
    def from_row(cls, row: ObjectVersionRow) -> "Version":
        return cls(at=row["at"], reason=row["reason"], changed=row["changed"], before=json.loads(row["before"]))


def versions_from(rows: list[ObjectVersionRow]) -> list[Version]:
    return [Version.from_row(row) for row in rows]


@strawberry.type(
    description="An entry of the published catalog (Art. 10): who supplies which category of information, how it is "
    "disclosed, and the format its content must have."
)
class CatalogItem:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    name: str = strawberry.field(description="Name of the information item.")
    category: Category = strawberry.field(description="Category of the information (Art. 11).")
    publicity: Publicity = strawberry.field(description="Public or non-public information.")
    disclosure_mode: DisclosureMode = strawberry.field(description="How records under this item are disclosed.")
    data_format: JSON = strawberry.field(description="JSON Schema that every record's `content` must match.")
    subject_kinds: list[SubjectKind] = strawberry.field(
        description="The kinds of subject its records may be about (Art. 11: some information, such as the "
        "registration of religious venues, is about organizations only). Banned data (Art. 15) is a natural person's."
    )
    repairable: bool = strawberry.field(
        description="False when the law says its records are not repaired (Art. 36): applying is CONFLICT."
    )
    provider_id: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: CatalogItemRow) -> "CatalogItem":
        return cls(
            id=strawberry.ID(row["id"]),
            name=row["name"],
            category=Category(row["category"]),
            publicity=Publicity(row["publicity"]),
            disclosure_mode=DisclosureMode(row["disclosureMode"]),
            data_format=json.loads(row["dataFormat"]),
            subject_kinds=[SubjectKind(kind) for kind in row["subjectKinds"]],
            repairable=row["repairable"],
            provider_id=row["providerId"],
        )

    @strawberry.field(description="The provider that supplies this item.")
    async def provider(self, info: Info) -> Provider | None:
        return await provider_of(info, self.provider_id)

    @strawberry.field(description="What it was before each change, newest first (Arts. 10, 16).")
    async def versions(self, info: Info) -> list[Version]:
        return versions_from(await info.context.loaders.catalog_item_versions.load(str(self.id)))


@strawberry.type(
    description="A legal document that establishes a record (Art. 12): judgment, ruling, penalty decision."
)
class Document:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    type: DocumentType = strawberry.field(description="What kind of document it is.")
    number: str = strawberry.field(description="Its official number (文号), e.g. （2024）湘0102民初1234号.")
    issued_on: datetime.date = strawberry.field(description="Date of issue.")
    status: DocumentStatus = strawberry.field(description="In force, or revoked (Art. 34).")
    issuer_id: strawberry.Private[str]
    selected: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: DocumentRow) -> "Document":
        return cls(
            id=strawberry.ID(row["id"]),
            type=DocumentType(row["type"]),
            number=row["number"],
            issued_on=row["issuedAt"],
            status=DocumentStatus(row["status"]),
            issuer_id=row["issuerId"],
            selected=row.get("selected", {}),
        )

    @strawberry.field(description="The court or agency that issued it.")
    def issuer(self, info: Info) -> Provider | None:
        if info.path.key in self.selected:
            return maybe(Provider.from_row, self.selected[info.path.key])
        return later(provider_of(info, self.issuer_id))

    @strawberry.field(description="What it was before each change, newest first (Art. 34).")
    async def versions(self, info: Info) -> list[Version]:
        return versions_from(await info.context.loaders.document_versions.load(str(self.id)))


def version_id(record_id: str, version: int) -> strawberry.ID:
    """A version never changes once made (the current one keeps its number when a change supersedes it), and record
    ids never hold an `@` (intake/import_format.py): so the id is stable, one per version, and shows only what
    the version and its record already show."""
    return strawberry.ID(f"{record_id}@{version}")


@strawberry.type(description="One version of a record: every change keeps the old one, with who, when and why.")
class RecordVersion:
    id: strawberry.ID = strawberry.field(
        description="Stable id: the record's id and the version's number (`REC-0001@2`); treat it as opaque."
    )
    version: int = strawberry.field(description="1 for the record as first supplied, then one more per change.")
    at: datetime.datetime = strawberry.field(description="When this version was made.")
    actor_id: str | None = strawberry.field(
        description="Who made it: the provider's code or the user's actor id (never a name or resident ID). Shown "
        "to the department, auditors and the record's provider; null for everyone else."
    )
    reason: str = strawberry.field(description="Why it was made.")
    title: str | None = strawberry.field(
        description="The record's title in this version. An earlier version's is shown to the record's subject, its "
        "provider, the department and auditors (Arts. 32-33); null for everyone else. The last version's is the "
        "record's."
    )
    content: JSON | None = strawberry.field(
        description="The record's content in this version, as the record's (its people masked alike). An earlier "
        "version's is shown to the record's subject, its provider, the department and auditors (Arts. 32-33); null "
        "for everyone else. The last version's is the record's."
    )

    @classmethod
    def from_row(cls, row: VersionRow, record_id: str) -> "RecordVersion":
        return cls(
            id=version_id(record_id, row["version"]),
            version=row["version"],
            at=row["at"],
            actor_id=row["actorId"],
            reason=row["reason"],
            title=row["title"],
            content=maybe(JSON, row["content"]),
        )


@strawberry.type(description="A piece of credit information about one subject, from one provider.")
class CreditRecord:
    id: strawberry.ID = strawberry.field(description="Stable id, as supplied by the provider.")
    title: str = strawberry.field(description="Short title.")
    category: Category = strawberry.field(description="Category (Art. 11), from its catalog item.")
    nature: Nature = strawberry.field(description="Dishonest, trustworthy, neutral or self-declared.")
    severity: Severity | None = strawberry.field(description="For dishonesty records: how serious.")
    publicity: Publicity = strawberry.field(description="Public or non-public information.")
    disclosure_mode: DisclosureMode = strawberry.field(description="How it may be disclosed (Art. 16).")
    confirmed_on: datetime.date = strawberry.field(description="The day the information was confirmed.")
    disclosure_ends_on: datetime.date | None = strawberry.field(
        description="Last day it is disclosed (Art. 35): 3 years for dishonesty records (3 months or 1 year for minor "
        "or general administrative penalties), longer while a punitive measure based on it runs; null means no end."
    )
    published_by_subject_at: datetime.datetime | None = strawberry.field(
        description="For a SUBJECT_PUBLISHED record: since when its subject has published it, so that everyone may "
        "read it (Art. 16). Null while unpublished: it is then read as an AUTHORIZED_QUERY record."
    )
    status: RecordStatus = strawberry.field(description="Active, repaired or revoked.")
    under_objection: bool = strawberry.field(description="True while the subject's objection is open (Art. 32).")
    content: JSON = strawberry.field(description="The information itself, in its catalog item's format.")
    subject_id: strawberry.Private[str]
    provider_id: strawberry.Private[str]
    catalog_item_id: strawberry.Private[str]
    selected: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: RecordRow) -> "CreditRecord":
        """A row read through a selection has its content only if it was selected (graph_store/projection.py)."""
        return cls(
            id=strawberry.ID(row["id"]),
            title=row["title"],
            category=Category(row["category"]),
            nature=Nature(row["nature"]),
            severity=Severity(row["severity"]) if row["severity"] else None,
            publicity=Publicity(row["publicity"]),
            disclosure_mode=DisclosureMode(row["disclosureMode"]),
            confirmed_on=row["confirmedAt"],
            disclosure_ends_on=row["disclosureUntil"],
            published_by_subject_at=row["publishedBySubjectAt"],
            status=RecordStatus(row["status"]),
            under_objection=row["underObjection"],
            content=JSON(row["content"]) if "content" in row else None,  # type: ignore[arg-type]  # never asked of it then
            subject_id=row["subjectId"],
            provider_id=row["providerId"],
            catalog_item_id=row["catalogItemId"],
            selected=row.get("selected", {}),
        )

    @strawberry.field(description="Who the record is about.")
    def subject(self, info: Info) -> "Subject | None":
        if info.path.key in self.selected:
            return maybe(Subject.from_row, self.selected[info.path.key])
        return later(subject_of(info, self.subject_id))

    @strawberry.field(description="Who supplied it.")
    def provider(self, info: Info) -> Provider | None:
        if info.path.key in self.selected:
            return maybe(Provider.from_row, self.selected[info.path.key])
        return later(provider_of(info, self.provider_id))

    @strawberry.field(description="The catalog item it was supplied under.")
    async def catalog_item(self, info: Info) -> CatalogItem | None:
        return maybe(CatalogItem.from_row, await info.context.loaders.catalog_item.load(self.catalog_item_id))

    @strawberry.field(description="The legal documents it is based on (Art. 12); at most 100.")
    def documents(self, info: Info) -> list[Document]:
        if info.path.key in self.selected:
            return [Document.from_row(row) for row in self.selected[info.path.key]]
        return later(self.loaded_documents(info))

    async def loaded_documents(self, info: Info) -> list[Document]:
        return [Document.from_row(row) for row in await info.context.loaders.documents.load(str(self.id))]

    @strawberry.field(
        description="Every version, oldest first, up to the last 100; the last is the record as it is now "
        "(Arts. 18, 31)."
    )
    async def versions(self, info: Info) -> list[RecordVersion]:
        rows = await queries.versions(info.context, str(self.id))
        return [RecordVersion.from_row(row, str(self.id)) for row in rows]


@strawberry.type(
    description="What a subject said on a measure or listing against it: its statement or defence (Art. 37)."
)
class Statement:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    text: str = strawberry.field(description="The statement, as the subject wrote it.")
    at: datetime.datetime = strawberry.field(description="When it was made.")

    @classmethod
    def from_row(cls, row: StatementRow) -> "Statement":
        return cls(id=strawberry.ID(row["id"]), text=row["text"], at=row["at"])


@strawberry.type(
    description="An incentive, regulatory or punitive measure (Art. 19): item, implementing body, target, means, "
    "basis and duration."
)
class Measure:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    type: MeasureType = strawberry.field(description="Incentive, regulatory or punitive.")
    item: str = strawberry.field(description="The measure item.")
    means: str = strawberry.field(description="How it is carried out.")
    basis: str = strawberry.field(description="The legal basis.")
    starts_on: datetime.date = strawberry.field(description="First day.")
    ends_on: datetime.date = strawberry.field(description="Last day; brought forward when a repair or removal ends it.")
    end_reason: str | None = strawberry.field(description="Why it ended early, if it did.")
    historical: bool = strawberry.field(
        description="True for a REGULATORY or PUNITIVE measure that was imported: taken outside the platform, so "
        "the written notice it required (Arts. 23-24) is not here to read. False for every measure applied through "
        "the API, which carries its notice or listing."
    )
    under_objection: bool = strawberry.field(description="True while the subject's objection to it is open (Art. 32).")
    subject_id: strawberry.Private[str]
    implemented_by_id: strawberry.Private[str]
    record_ids: strawberry.Private[list[str]]
    listing_id: strawberry.Private[str | None]
    selected: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: MeasureRow) -> "Measure":
        return cls(
            id=strawberry.ID(row["id"]),
            type=MeasureType(row["type"]),
            item=row["item"],
            means=row["means"],
            basis=row["basis"],
            starts_on=row["startsAt"],
            ends_on=row["endsAt"],
            end_reason=row["endReason"],
            historical=row["historical"],
            under_objection=row["underObjection"],
            subject_id=row["subjectId"],
            implemented_by_id=row["implementedById"],
            record_ids=row["recordIds"],
            listing_id=row["listingId"],
            selected=row.get("selected", {}),
        )

    @strawberry.field(description="The records it is based on, as far as the viewer may see them.")
    async def records(self, info: Info) -> list[CreditRecord]:
        rows = await info.context.loaders.record.load_many(self.record_ids)
        return [CreditRecord.from_row(row) for row in rows if row]

    @strawberry.field(description="The serious-dishonesty listing a punitive measure is taken under (Art. 25).")
    async def listing(self, info: Info) -> "Listing | None":
        row = await info.context.loaders.listing.load(self.listing_id) if self.listing_id else None
        return maybe(Listing.from_row, row)

    @strawberry.field(description="The agency that implements it.")
    def implemented_by(self, info: Info) -> Provider | None:
        if info.path.key in self.selected:
            return maybe(Provider.from_row, self.selected[info.path.key])
        return later(provider_of(info, self.implemented_by_id))

    @strawberry.field(description="What it was before each change, newest first (Art. 19).")
    async def versions(self, info: Info) -> list[Version]:
        return versions_from(await info.context.loaders.measure_versions.load(str(self.id)))

    @strawberry.field(description="The subject's statements and defence on this measure (Art. 37), oldest first.")
    async def statements(self, info: Info) -> list[Statement]:
        return [Statement.from_row(row) for row in await info.context.loaders.statements.load(str(self.id))]

    @strawberry.field(description="Who it applies to.")
    async def subject(self, info: Info) -> "Subject | None":
        return await subject_of(info, self.subject_id)


@strawberry.type(
    description="A credit subject: a natural person (keyed by resident ID), a legal person or an unincorporated "
    "organization (keyed by unified social credit code). A natural person's name and ID are masked for viewers who "
    "may not know them."
)
class Subject:
    id: strawberry.ID = strawberry.field(
        description="Stable id, random: it says nothing of the subject, masked or not. `subject(id:)` opens it."
    )
    code: str = strawberry.field(description="Unified social credit code, or resident ID (masked: 4301**********1234).")
    name: str = strawberry.field(description="Name (a natural person's masked: 张*丰).")
    kind: SubjectKind = strawberry.field(description="Natural person, legal person or unincorporated organization.")
    region: str = strawberry.field(description="District or county code, e.g. 430102.")
    masked: bool = strawberry.field(description="True when name and code are masked for this viewer.")
    selected: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: SubjectRow) -> "Subject":
        return cls(
            id=strawberry.ID(row["id"]),
            code=row["code"],
            name=row["name"],
            kind=SubjectKind(row["kind"]),
            region=row["region"],
            masked=row["masked"],
            selected=row.get("selected", {}),
        )

    @strawberry.field(
        description="The current legal representative or responsible person of an organization (Art. 26)."
    )
    def legal_representative(self, info: Info) -> "Subject | None":
        if info.path.key in self.selected:
            return maybe(Subject.from_row, self.selected[info.path.key])
        return later(self.loaded_representative(info))

    async def loaded_representative(self, info: Info) -> "Subject | None":
        return maybe(Subject.from_row, await info.context.loaders.representative.load(str(self.id)))

    @strawberry.field(
        description="The organizations a natural person currently represents, in code order; at most 100."
    )
    def represents(self, info: Info) -> list["Subject"]:
        if info.path.key in self.selected:
            return [Subject.from_row(row) for row in self.selected[info.path.key]]
        return later(self.loaded_represented(info))

    async def loaded_represented(self, info: Info) -> list["Subject"]:
        return [Subject.from_row(row) for row in await info.context.loaders.represented.load(str(self.id))]

    @strawberry.field(description="The records about this subject that the viewer may see, newest first.")
    def records(
        self,
        info: Info,
        category: Annotated[Category | None, strawberry.argument(description="Only this category.")] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[CreditRecord]:
        if info.path.key in self.selected:
            return connection(queries.first_records(info.context, self.selected[info.path.key]), CreditRecord.from_row)
        return later(self.loaded_records(info, category, first, after))

    async def loaded_records(
        self, info: Info, category: Category | None, first: int | None, after: str | None
    ) -> Connection[CreditRecord]:
        page = await queries.records_of_subject(
            info.context, str(self.id), category=category.value if category else None, first=first, after=after
        )
        return connection(page, CreditRecord.from_row)

    @strawberry.field(
        description="Incentive, regulatory and punitive measures applied to this subject, newest first; at most 100."
    )
    def measures(self, info: Info) -> list[Measure]:
        if info.path.key in self.selected:
            return [Measure.from_row(row) for row in self.selected[info.path.key]]
        return later(self.loaded_measures(info))

    async def loaded_measures(self, info: Info) -> list[Measure]:
        return [Measure.from_row(row) for row in await info.context.loaders.measures.load(str(self.id))]

    @strawberry.field(
        description="True when the subject stands on the serious-dishonesty list or has dishonesty records disclosed "
        "today that the viewer may see: what riskNetwork counts and the relationship picture rings red."
    )
    async def dishonest(self, info: Info) -> bool:
        return bool(await info.context.loaders.dishonest.load(str(self.id)))

    @strawberry.field(
        description="This subject's serious-dishonesty listings, newest first: standing ones for everyone, removed "
        "ones for the subject, the deciding agency and the department."
    )
    async def listings(self, info: Info) -> list["Listing"]:
        return [Listing.from_row(row) for row in await info.context.loaders.listings.load(str(self.id))]


@strawberry.type(
    description="A subject on the serious-dishonesty list (Art. 24): ground, basis, deciding agency, the notice served "
    "first, removal conditions, and for an organization its legal representative or responsible person (Art. 26)."
)
class Listing:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    ground: ListingGround = strawberry.field(description="Which of Art. 24's grounds.")
    basis: str = strawberry.field(description="The legal basis.")
    removal_conditions: str = strawberry.field(description="How the subject gets off the list.")
    status: ListingStatus = strawberry.field(
        description="ACTIVE until removed; REMOVED after (removeListing, or the repair or revocation of every record "
        "it rested on). An ACTIVE listing is on the public list until disclosureEndsOn."
    )
    listed_at: datetime.datetime = strawberry.field(description="When the subject was listed.")
    disclosure_ends_on: datetime.date = strawberry.field(
        description="The last day it is on the public list unless removed first: three years from the listing, "
        "later while a punitive measure under it runs (Art. 35). After it, it is read as a removed one is."
    )
    notice_served_at: datetime.datetime | None = strawberry.field(description="When the PRE_LISTING notice was served.")
    removed_at: datetime.datetime | None = strawberry.field(description="When it was removed, if it was.")
    removal_reason: str | None = strawberry.field(description="Why it was removed, if it was.")
    under_objection: bool = strawberry.field(description="True while the subject's objection to it is open (Art. 32).")
    subject_id: strawberry.Private[str]
    decided_by_id: strawberry.Private[str]
    representative_id: strawberry.Private[str | None]
    notice_id: strawberry.Private[str | None]
    record_ids: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: ListingRow) -> "Listing":
        return cls(
            id=strawberry.ID(row["id"]),
            ground=ListingGround(row["ground"]),
            basis=row["basis"],
            removal_conditions=row["removalConditions"],
            status=ListingStatus(row["status"]),
            listed_at=row["listedAt"],
            disclosure_ends_on=row["disclosureUntil"],
            notice_served_at=row["noticeServedAt"],
            removed_at=row["removedAt"],
            removal_reason=row["removalReason"],
            under_objection=row["underObjection"],
            subject_id=row["subjectId"],
            decided_by_id=row["decidedById"],
            representative_id=row["representativeId"],
            notice_id=row["noticeId"],
            record_ids=row["recordIds"],
        )

    @strawberry.field(description="The listed subject (a natural person masked as usual).")
    async def subject(self, info: Info) -> Subject | None:
        return await subject_of(info, self.subject_id)

    @strawberry.field(
        description="For an organization: its legal representative or responsible person when listed (Art. 26)."
    )
    async def representative(self, info: Info) -> Subject | None:
        if self.representative_id is None:
            return None
        return await subject_of(info, self.representative_id)

    @strawberry.field(description="The agency that decided the listing.")
    async def decided_by(self, info: Info) -> Provider | None:
        return await provider_of(info, self.decided_by_id)

    @strawberry.field(description="The records it rests on, as far as the viewer may see them.")
    async def records(self, info: Info) -> list[CreditRecord]:
        rows = await info.context.loaders.record.load_many(self.record_ids)
        return [CreditRecord.from_row(row) for row in rows if row]

    @strawberry.field(description="The subject's statements and defence on this listing (Art. 37), oldest first.")
    async def statements(self, info: Info) -> list[Statement]:
        return [Statement.from_row(row) for row in await info.context.loaders.statements.load(str(self.id))]
