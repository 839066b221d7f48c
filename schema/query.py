"""The root Query: the entry points of the read API (docs/contract.md, GraphQL)."""

import datetime
from typing import Annotated

import strawberry

from credit.model import MAX_HOPS
from resolvers import access_log, consents, listings, notices, queries, reports
from resolvers import objections as objection_handling
from resolvers import relations as relations_lookup
from resolvers import repairs as repair_handling
from resolvers import viewer as viewer_resolver
from resolvers.pagination import DEFAULT_PAGE

from .access_log_types import AccessLogEntry, AccessRecord
from .consents import Consent
from .enums import ObjectionStatus, ProviderType, Relation, RepairStatus, SubjectKind
from .notices import Notice
from .objections import Objection
from .relations import RelatedSubject, RelatedSubjectConnection, RiskSubject, SubjectPath
from .repairs import RepairApplication
from .reports import CreditReport
from .selection import selection
from .types import (
    AFTER,
    FIRST,
    CatalogItem,
    Connection,
    CreditRecord,
    Info,
    Listing,
    Provider,
    Subject,
    connection,
    maybe,
)
from .viewer import QueryPurpose, Viewer


@strawberry.type(
    description="Read the credit graph. Everything returned is what the viewer may see; the rest is absent."
)
class Query:
    @strawberry.field(
        description="One subject by unified social credit code or resident ID, or by its id (a masked person in a "
        "list is opened by id); exactly one of the two, else BAD_USER_INPUT. Null if there is none or the viewer may "
        "not find it."
    )
    async def subject(
        self,
        info: Info,
        code: Annotated[str | None, strawberry.argument(description="USCC or resident ID (18 characters).")] = None,
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The subject's id, as any Subject shows it.")
        ] = None,
    ) -> Subject | None:
        subject_id = None if id is None else str(id)
        return maybe(Subject.from_row, await queries.subject(info.context, code, subject_id, selection(info)))

    @strawberry.field(
        description="Subjects in a stable order that says nothing of their codes. Name searches find natural persons "
        "only for viewers who may know them."
    )
    async def subjects(
        self,
        info: Info,
        name_contains: Annotated[
            str | None, strawberry.argument(description="Only subjects whose name contains this text.")
        ] = None,
        kind: Annotated[SubjectKind | None, strawberry.argument(description="Only subjects of this kind.")] = None,
        region: Annotated[
            str | None,
            strawberry.argument(description="Only subjects of this region: 430100 for a city, 430102 for a district."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Subject] | None:
        page = await queries.subjects(
            info.context,
            name_contains=name_contains,
            kind=kind.value if kind else None,
            region=region,
            first=first,
            after=after,
            selection=selection(info),
        )
        return connection(page, Subject.from_row)

    @strawberry.field(description="One record by id; null if there is none or the viewer may not see it.")
    async def record(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The record's id.")]
    ) -> CreditRecord | None:
        return maybe(CreditRecord.from_row, await queries.record(info.context, str(id), selection(info)))

    @strawberry.field(description="One provider by unified social credit code; null if there is none.")
    async def provider(
        self, info: Info, code: Annotated[str, strawberry.argument(description="The provider's USCC.")]
    ) -> Provider | None:
        return maybe(Provider.from_row, await queries.provider(info.context, code))

    @strawberry.field(description="The published catalog of information items (Art. 10), open to everyone.")
    async def catalog(self, info: Info) -> list[CatalogItem]:
        return [CatalogItem.from_row(row) for row in await queries.catalog(info.context)]

    @strawberry.field(
        description="The published query application catalog (Art. 20), by code, open to everyone: the purposes an "
        "agency may declare in X-Query-Purpose."
    )
    async def query_purposes(self, info: Info) -> list[QueryPurpose]:
        return [QueryPurpose.from_row(row) for row in await queries.query_purposes(info.context)]

    @strawberry.field(
        description="Who accessed my data, newest first (Art. 31). For a SUBJECT; everyone else gets FORBIDDEN."
    )
    async def my_access_log(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[AccessRecord] | None:
        page = await access_log.my_access_log(info.context, first=first, after=after)
        return connection(page, AccessRecord.from_row)

    @strawberry.field(
        description="The whole access log, newest first (Art. 21). For AUDITOR and ADMIN; others get FORBIDDEN."
    )
    async def access_log(
        self,
        info: Info,
        subject_code: Annotated[str | None, strawberry.argument(description="Only entries that touched it.")] = None,
        actor_id: Annotated[str | None, strawberry.argument(description="Only this actor's requests.")] = None,
        start_at: Annotated[
            datetime.datetime | None, strawberry.argument(description="Only entries at or after this instant.")
        ] = None,
        end_at: Annotated[
            datetime.datetime | None, strawberry.argument(description="Only entries before this instant.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[AccessLogEntry] | None:
        page = await access_log.full_access_log(
            info.context,
            subject=subject_code,
            actor_id=actor_id,
            since=start_at,
            until=end_at,
            first=first,
            after=after,
        )
        return connection(page, AccessLogEntry.from_row)

    @strawberry.field(description="My consents, newest first. For a SUBJECT; everyone else gets FORBIDDEN.")
    async def my_consents(self, info: Info) -> list[Consent]:
        return [Consent.from_row(row) for row in await consents.mine(info.context)]

    @strawberry.field(
        description="Objections to handle, soonest due first: those the viewer decides (a provider: to its records and "
        "to itself; an agency: to its listings and measures; ADMIN: all). Others get FORBIDDEN."
    )
    async def objections(
        self,
        info: Info,
        status: Annotated[
            ObjectionStatus | None, strawberry.argument(description="Only objections in this status.")
        ] = None,
        overdue: Annotated[bool, strawberry.argument(description="Only open ones past their due date.")] = False,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Objection] | None:
        page = await objection_handling.for_handlers(
            info.context, status=status, overdue=overdue, first=first, after=after
        )
        return connection(page, Objection.from_row)

    @strawberry.field(
        description="Repair applications to decide, soonest due first: for providers (on their records) and ADMIN; "
        "others get FORBIDDEN."
    )
    async def repair_applications(
        self,
        info: Info,
        status: Annotated[
            RepairStatus | None, strawberry.argument(description="Only applications in this status.")
        ] = None,
        overdue: Annotated[bool, strawberry.argument(description="Only pending ones past their due date.")] = False,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[RepairApplication] | None:
        page = await repair_handling.for_handlers(
            info.context, status=status, overdue=overdue, first=first, after=after
        )
        return connection(page, RepairApplication.from_row)

    @strawberry.field(description="My objections, newest first, with their due dates. For a SUBJECT; others FORBIDDEN.")
    async def my_objections(
        self,
        info: Info,
        status: Annotated[
            ObjectionStatus | None, strawberry.argument(description="Only objections in this status.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Objection] | None:
        page = await objection_handling.mine(info.context, status=status, first=first, after=after)
        return connection(page, Objection.from_row)

    @strawberry.field(
        description="My repair applications, newest first, with their due dates. For a SUBJECT; others FORBIDDEN."
    )
    async def my_repair_applications(
        self,
        info: Info,
        status: Annotated[
            RepairStatus | None, strawberry.argument(description="Only applications in this status.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[RepairApplication] | None:
        page = await repair_handling.mine(info.context, status=status, first=first, after=after)
        return connection(page, RepairApplication.from_row)

    @strawberry.field(description="Written notices served on me, newest first. For a SUBJECT; others get FORBIDDEN.")
    async def my_notices(self, info: Info) -> list[Notice]:
        return [Notice.from_row(row) for row in await notices.mine(info.context)]

    @strawberry.field(
        description="The serious-dishonesty list (Art. 24), newest first: public, natural persons masked as usual."
    )
    async def serious_dishonesty_list(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Listing] | None:
        page = await listings.public_list(info.context, first=first, after=after)
        return connection(page, Listing.from_row)

    @strawberry.field(
        description="A subject's credit report (Art. 31): what you may see of it, grouped by category, with sources, "
        "reasons for changes, measures, listings and statements. Null if there is no such subject."
    )
    async def credit_report(
        self, info: Info, code: Annotated[str, strawberry.argument(description="USCC or resident ID (18 characters).")]
    ) -> CreditReport | None:
        report = await reports.credit_report(info.context, code)
        return CreditReport.from_report(report) if report else None

    @strawberry.field(
        description="Every subject within maxHops of a subject, through the relations named (all by default), "
        "nearest first, each with a shortest path. For AGENCY users with a purpose and ADMIN; LIMIT_EXCEEDED when "
        "it would reach more subjects than the server allows (10,000 by default). Null if there is no such subject."
    )
    async def related_subjects(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="USCC or resident ID of the subject looked up.")],
        max_hops: Annotated[int, strawberry.argument(description=f"How many relationships away: 1 to {MAX_HOPS}.")] = 2,
        relations: Annotated[
            list[Relation] | None, strawberry.argument(description="Follow only these relations; all when left out.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> RelatedSubjectConnection | None:
        related = await relations_lookup.related_subjects(
            info.context, code=code, max_hops=max_hops, relations_followed=relations, first=first, after=after
        )
        if related is None:
            return None
        return connection(related.page, RelatedSubject.from_row, RelatedSubjectConnection, related=related)

    @strawberry.field(
        description="The shortest paths between two subjects within maxHops (up to 25), or none; null if either "
        "subject is not there. For AGENCY users with a purpose and ADMIN."
    )
    async def connection(
        self,
        info: Info,
        from_code: Annotated[str, strawberry.argument(description="USCC or resident ID where paths start.")],
        to_code: Annotated[str, strawberry.argument(description="USCC or resident ID where they end.")],
        max_hops: Annotated[
            int, strawberry.argument(description=f"At most this many relationships: 1 to {MAX_HOPS}.")
        ] = MAX_HOPS,
        relations: Annotated[
            list[Relation] | None, strawberry.argument(description="Follow only these relations; all when left out.")
        ] = None,
    ) -> list[SubjectPath] | None:
        rows = await relations_lookup.connection(
            info.context, from_code=from_code, to_code=to_code, max_hops=max_hops, relations_followed=relations
        )
        return [SubjectPath.from_row(row) for row in rows] if rows is not None else None

    @strawberry.field(
        description="Who around a subject is dishonest: the subjects within maxHops that are listed or have "
        "disclosable dishonesty records the viewer may see, nearest first, a page at a time. For AGENCY users with a "
        "purpose and ADMIN. Null if there is no such subject."
    )
    async def risk_network(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="USCC or resident ID of the subject looked up.")],
        max_hops: Annotated[int, strawberry.argument(description=f"How many relationships away: 1 to {MAX_HOPS}.")] = 2,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[RiskSubject] | None:
        page = await relations_lookup.risk_network(info.context, code=code, max_hops=max_hops, first=first, after=after)
        return connection(page, RiskSubject.from_row) if page is not None else None

    @strawberry.field(
        description="The providers (agencies, courts, credit service agencies, associations, enterprises) in a stable "
        "order, open to everyone: e.g. the organizations a consent may be granted to."
    )
    async def providers(
        self,
        info: Info,
        name_contains: Annotated[
            str | None, strawberry.argument(description="Only providers whose name contains this text.")
        ] = None,
        type: Annotated[ProviderType | None, strawberry.argument(description="Only providers of this type.")] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Provider] | None:
        page = await queries.providers(
            info.context, name_contains=name_contains, type=type.value if type else None, first=first, after=after
        )
        return connection(page, Provider.from_row)

    @strawberry.field(
        description="Who is asking and what the policy lets them do: role, unit, name, declared purpose, and which "
        "operations they may use."
    )
    async def viewer(self, info: Info) -> Viewer:
        return Viewer.from_row(await viewer_resolver.viewer(info.context))
