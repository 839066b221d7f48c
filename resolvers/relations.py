"""Relationship lookups for agencies (Arts. 24-26): related subjects, shortest connections, the risk network.

Only AGENCY users with a catalogued purpose and ADMIN may trace relations. A
lookup that would reach more subjects than `LookupLimits.max_subjects` is
refused before an answer is built; each traversal has its own time limit.
Every subject a lookup returns, on a path or at its end, goes to the access log.
"""

from collections.abc import Coroutine
from contextlib import closing
from dataclasses import dataclass
from typing import Any, TypeGuard, TypeVar

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from credit.errors import BadInput, Forbidden, LimitExceeded, StoreTimeout
from credit.model import MAX_HOPS, Relation
from graph_store import relations
from graph_store.reads import SubjectRow
from graph_store.relations import PathRow, ReachedRow, StepRow

from .context import RequestContext
from .pagination import Page, known, page_size
from .queries import subject_code

T = TypeVar("T")
P = TypeVar("P", bound=PathRow)


@dataclass(frozen=True)
class RelatedPage:
    """A page of related subjects, and what it takes to draw every tie among them."""

    page: Page[ReachedRow]
    subjects: dict[str, SubjectRow]
    """Everyone the page shows (the one looked up, the page's subjects and those on their paths), masked."""
    relations: tuple[Relation, ...]
    """The relations followed."""


def allowed_to_trace(ctx: RequestContext) -> None:
    ctx.read_filter.check()  # an AGENCY without a purpose hears PURPOSE_REQUIRED here, as on every read
    if not is_allowed(viewer_of(ctx.principal, ctx.now), "trace", "RELATIONS"):
        raise Forbidden(
            "relationship lookups are for AGENCY users with a catalogued purpose (X-Query-Purpose) and ADMIN"
        )


def hops_of(max_hops: int) -> int:
    if not 1 <= max_hops <= MAX_HOPS:
        raise BadInput(f"maxHops is 1 to {MAX_HOPS}, not {max_hops}")
    return max_hops


def relations_of(chosen: list[Relation] | None) -> tuple[Relation, ...]:
    if chosen is not None and not chosen:
        raise BadInput("relations is empty: leave it out to follow every relation, or name some")
    return tuple(sorted(set(chosen or Relation), key=list(Relation).index))


def traversal(ctx: RequestContext, code: str, max_hops: int, chosen: list[Relation] | None) -> relations.Traversal:
    """What to traverse, checked; it reaches one subject more than allowed, to tell a lookup that is too wide."""
    return relations.Traversal(
        subject_code(code), hops_of(max_hops), relations_of(chosen), ctx.lookup_limits.max_subjects + 1
    )


async def in_time(ctx: RequestContext, code: str, lookup: Coroutine[Any, Any, T]) -> T:
    """A traversal held to the lookups' limits: no more than `concurrent` at once for one principal, and no longer
    than the time limit; past either, the refusal says what to do. Every lookup goes through here."""
    who = ctx.principal.id or ctx.source
    with closing(lookup), ctx.running_lookups.one_more(who, ctx.lookup_limits.concurrent):
        try:
            return await lookup
        except StoreTimeout:
            raise LimitExceeded(
                f"looking up {code} took longer than {ctx.lookup_limits.timeout:g} s; "
                "lower maxHops or follow fewer relations"
            ) from None


def is_reached(row: PathRow) -> TypeGuard[ReachedRow]:
    """A row of a subject reached (related subjects, the risk network), not a path between two."""
    return "subjectId" in row


def shown(ctx: RequestContext, found: relations.Reached[P], code: str, max_hops: int) -> relations.Reached[P]:
    """The lookup's answer, once it is known to be within the limit, with its subjects (masked and recorded as they
    left the store) put in place in the rows (`subject`, and `from` and `to` of each step), so no field fetches them
    again."""
    if found.count > ctx.lookup_limits.max_subjects:
        raise LimitExceeded(
            f"{code} reaches more than {ctx.lookup_limits.max_subjects:,} subjects within {max_hops} hops; "
            "lower maxHops or follow fewer relations"
        )
    subjects = {subject["id"]: subject for subject in found.subjects}
    for row in found.rows:
        if is_reached(row):
            row["subject"] = subjects[row["subjectId"]]
        for step in row["steps"]:
            step["from"], step["to"] = subjects[step["fromId"]], subjects[step["toId"]]
    return found


async def related_subjects(
    ctx: RequestContext,
    *,
    code: str,
    max_hops: int,
    relations_followed: list[Relation] | None,
    first: int | None,
    after: str | None,
) -> RelatedPage | None:
    """None if there is no such subject the viewer may find, as for `subject(code)`."""
    allowed_to_trace(ctx)
    size = page_size(first)
    found = await in_time(
        ctx,
        code,
        relations.related(
            ctx.store,
            traversal(ctx, code, max_hops, relations_followed),
            first=size + 1,
            after=ctx.cursors.sort_key("relatedSubjects", after, int),
            filters=ctx.read_filter,
            timeout=ctx.lookup_limits.timeout,
        ),
    )
    if found is None:
        return None
    reached = shown(ctx, found, code, max_hops)
    page = page_of(ctx, "relatedSubjects", reached, size)
    on_page = {reached.subjects[0]["id"]} | {
        step[end] for row in page.rows for step in row["steps"] for end in ("fromId", "toId")
    }
    return RelatedPage(
        page,
        subjects={subject["id"]: subject for subject in reached.subjects if subject["id"] in on_page},
        relations=relations_of(relations_followed),
    )


def page_of(ctx: RequestContext, listing: str, reached: relations.Reached[ReachedRow], size: int) -> Page[ReachedRow]:
    """A lookup's rows as a page: it asked for one row more than `size`, to tell whether more follow."""
    return Page(
        rows=reached.rows[:size],
        has_next_page=len(reached.rows) > size,
        total=known(reached.total),
        cursor=lambda row: ctx.cursors.issue(listing, str(row["hops"]), row["subjectId"]),
    )


async def relationships_among(ctx: RequestContext, related: RelatedPage) -> list[StepRow]:
    """Every relationship followed between two subjects the page shows. They were all logged and masked with
    the page, so no one new is shown."""
    steps = await relations.between(ctx.store, list(related.subjects), related.relations)
    for step in steps:
        step["from"], step["to"] = related.subjects[step["fromId"]], related.subjects[step["toId"]]
    return steps


async def connection(
    ctx: RequestContext, *, from_code: str, to_code: str, max_hops: int, relations_followed: list[Relation] | None
) -> list[PathRow] | None:
    """None if either subject is not one the viewer may find."""
    allowed_to_trace(ctx)
    ends = subject_code(from_code), subject_code(to_code)
    found = await in_time(
        ctx,
        from_code,
        relations.shortest_paths(
            ctx.store,
            *ends,
            max_hops=hops_of(max_hops),
            relations=relations_of(relations_followed),
            filters=ctx.read_filter,
            timeout=ctx.lookup_limits.timeout,
        ),
    )
    if found is None:
        return None
    return shown(ctx, found, from_code, max_hops).rows


async def risk_network(
    ctx: RequestContext, *, code: str, max_hops: int, first: int | None, after: str | None
) -> Page[ReachedRow] | None:
    """None if there is no such subject the viewer may find."""
    allowed_to_trace(ctx)
    size = page_size(first)
    found = await in_time(
        ctx,
        code,
        relations.risky(
            ctx.store,
            traversal(ctx, code, max_hops, None),
            first=size + 1,
            after=ctx.cursors.sort_key("riskNetwork", after, int),
            filters=ctx.read_filter,
            timeout=ctx.lookup_limits.timeout,
        ),
    )
    if found is None:
        return None
    return page_of(ctx, "riskNetwork", shown(ctx, found, code, max_hops), size)
