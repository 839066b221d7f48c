"""Root and nested reads: parse arguments, ask the store through the request's filter, return rows.

Rows are the typed dicts of graph_store (reads.SubjectRow, ...), masked for the viewer and recorded for the access
log as they left the store (graph_store/rows.py); the schema turns them into types.
"""

import datetime
import re
from collections.abc import Callable

from credit.errors import BadInput
from credit.identifiers import InvalidCode, normalize, validate_code
from graph_store import reads
from graph_store.projection import PageRows, Selection, nodes
from graph_store.reads import CatalogItemRow, ProviderRow, PurposeRow, RecordRow, SubjectRow, VersionRow

from .context import RequestContext
from .loaders import RecordsKey
from .pagination import Page, known, page_size

REGION = re.compile(r"^43\d{4}$")


def subject_code(code: str) -> str:
    try:
        return validate_code(code)
    except InvalidCode as exc:
        raise BadInput(f"code is not a valid unified social credit code or resident ID: {exc}") from None


def region_filter(region: str | None) -> dict[str, str | None]:
    """430000 is all of Hunan, 4301 00 a city or prefecture, anything else one district or county."""
    if region is None or region == "430000":
        return {"city": None, "region": None}
    if not REGION.match(region):
        raise BadInput(f"region {region!r} is not a Hunan region code (43 followed by 4 digits, e.g. 430100)")
    if region.endswith("00"):
        return {"city": region, "region": None}
    return {"city": None, "region": region}


async def subject(
    ctx: RequestContext, code: str | None = None, subject_id: str | None = None, selection: Selection | None = None
) -> SubjectRow | None:
    """The subject with this code, or this id, if the viewer may find it: an unknown code or id and a person the
    viewer may not know of are all null. One rule finds a subject either way (reads.findable_subjects). With the
    `selection` below it, read in the same query."""
    if code is not None and subject_id is not None:
        raise BadInput("subject takes its code or its id, not both: give one of them")
    if subject_id is not None:
        found = await reads.findable_subjects_by_id(ctx.store, [subject_id], ctx.read_filter, selection)
        return found.get(subject_id)
    if code is None:
        raise BadInput("subject needs its code or its id: give one of them")
    found = await reads.findable_subjects_by_code(ctx.store, [subject_code(code)], ctx.read_filter, selection)
    return found.get(normalize(code))


async def subjects(
    ctx: RequestContext,
    *,
    name_contains: str | None,
    kind: str | None,
    region: str | None,
    first: int | None,
    after: str | None,
    selection: Selection | None = None,
) -> Page[SubjectRow]:
    """A page of subjects; with the `selection` of the connection, each with what its nodes select below it, read
    in the same query."""
    size = page_size(first)
    cursor = ctx.cursors.position("subjects", after, length=1)
    if name_contains is not None and not name_contains.strip():
        raise BadInput("nameContains must contain at least one character that is not a space")
    search = reads.SubjectSearch(
        name_contains=name_contains.strip() if name_contains else None,
        kind=kind,
        **region_filter(region),
    )
    after_id = cursor[0] if cursor else None
    below = nodes(selection) if selection is not None else None
    page = await reads.subjects_page(ctx.store, search, size, after_id, ctx.read_filter, below)
    return Page(
        rows=page.subjects,
        has_next_page=page.more,
        total=lambda: reads.count_subjects(ctx.store, search, ctx.read_filter),
        cursor=lambda row: ctx.cursors.issue("subjects", row["id"]),
    )


async def records_of_subject(
    ctx: RequestContext, subject_id: str, *, category: str | None, first: int | None, after: str | None
) -> Page[RecordRow]:
    size = page_size(first)
    after_key = ctx.cursors.sort_key("records", after, datetime.date.fromisoformat)
    page = await ctx.loaders.records_of_subject.load(RecordsKey(subject_id, category, size, after_key))
    return Page(rows=page.records, has_next_page=page.more, total=known(page.total), cursor=record_cursor(ctx))


def first_records(ctx: RequestContext, found: PageRows) -> Page[RecordRow]:
    """The first page of a subject's records as the subject's own query read it (graph_store/projection.py)."""
    return Page(
        rows=found["rows"], has_next_page=found["more"], total=known(found["total"] or 0), cursor=record_cursor(ctx)
    )


def record_cursor(ctx: RequestContext) -> Callable[[RecordRow], str]:
    return lambda row: ctx.cursors.issue("records", row["confirmedAt"].isoformat(), row["id"])


async def record(ctx: RequestContext, record_id: str, selection: Selection) -> RecordRow | None:
    """The record, with the `selection` below it read in the same query, if the viewer may read it."""
    return (await reads.records_by_id(ctx.store, [record_id], ctx.read_filter, selection)).get(record_id)


async def providers(
    ctx: RequestContext, *, name_contains: str | None, type: str | None, first: int | None, after: str | None
) -> Page[ProviderRow]:
    size = page_size(first)
    cursor = ctx.cursors.position("providers", after, length=1)
    if name_contains is not None and not name_contains.strip():
        raise BadInput("nameContains must contain at least one character that is not a space")
    search = reads.ProviderSearch(name_contains=name_contains.strip() if name_contains else None, type=type)
    rows = await reads.providers_page(ctx.store, search, size + 1, cursor[0] if cursor else None)
    return Page(
        rows=rows[:size],
        has_next_page=len(rows) > size,
        total=lambda: reads.count_providers(ctx.store, search),
        cursor=lambda row: ctx.cursors.issue("providers", row["id"]),
    )


async def provider(ctx: RequestContext, code: str) -> ProviderRow | None:
    return await reads.provider_by_code(ctx.store, normalize(code))


async def catalog(ctx: RequestContext) -> list[CatalogItemRow]:
    return await reads.catalog(ctx.store)


async def query_purposes(ctx: RequestContext) -> list[PurposeRow]:
    """The query application catalog (Art. 20): no credit data, so through no read filter (open to an AGENCY that
    declared no purpose, which needs it to choose one)."""
    return await reads.query_purposes(ctx.store)


async def versions(ctx: RequestContext, record_id: str) -> list[VersionRow]:
    """Every version, oldest first; the last is the record as it is now."""
    return await ctx.loaders.versions.load(record_id)
