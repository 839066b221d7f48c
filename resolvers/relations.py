"""Relationship lookups for agencies (Arts. 24-26): related subjects, shortest connections, the risk network.

Only AGENCY users with a catalogued purpose and ADMIN may trace relations. A
lookup that would reach more subjects than `LookupLimits.max_subjects` is
refused before an answer is built; each traversal has its own time limit.
Every subject a lookup returns, on a path or at its end, goes to the access log.
"""

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from graph_store import relations
from graph_store.connection import Row
from graph_store.errors import BadInput, Forbidden, LimitExceeded, NotFound
from graph_store.model import Relation

from .context import RequestContext
from .pagination import Page, decode_cursor, encode_cursor, page_size
from .queries import subject as subject_by_code

MAX_HOPS = 3


def allowed_to_trace(ctx: RequestContext) -> None:
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


async def origin(ctx: RequestContext, code: str) -> Row:
    found = await subject_by_code(ctx, code)
    if found is None:
        raise NotFound(f"there is no subject {code!r}")
    return found


def within_limit(ctx: RequestContext, reached: int, code: str, max_hops: int) -> None:
    if reached > ctx.lookup_limits.max_subjects:
        raise LimitExceeded(
            f"{code} reaches more than {ctx.lookup_limits.max_subjects:,} subjects within {max_hops} hops; "
            "lower maxHops or follow fewer relations"
        )


def saw_paths(ctx: RequestContext, rows: list[Row]) -> None:
    ids = {row["subjectId"] for row in rows if "subjectId" in row}
    ids.update(step[end] for row in rows for step in row["steps"] for end in ("fromId", "toId"))
    ctx.access.saw_subjects([{"id": subject_id} for subject_id in ids])


async def related_subjects(
    ctx: RequestContext,
    *,
    code: str,
    max_hops: int,
    relations_followed: list[Relation] | None,
    first: int | None,
    after: str | None,
) -> Page:
    allowed_to_trace(ctx)
    size = page_size(first)
    key = decode_cursor(after, length=2)
    if key is not None and not key[0].isdigit():
        raise BadInput("after is not a cursor from this list; pass back an endCursor or cursor you received")
    start = await origin(ctx, code)
    traversal = relations.Traversal(
        start["code"], hops_of(max_hops), relations_of(relations_followed), ctx.lookup_limits.max_subjects + 1
    )
    found = await relations.related(
        ctx.store,
        traversal,
        first=size + 1,
        after=(int(key[0]), key[1]) if key else None,
        timeout=ctx.lookup_limits.timeout,
    )
    within_limit(ctx, found.count, start["code"], max_hops)
    shown = found.rows[:size]
    saw_paths(ctx, shown)
    return Page(
        rows=shown,
        has_next_page=len(found.rows) > size,
        total_count=found.count,
        cursors=[encode_cursor(str(row["hops"]), row["code"]) for row in shown],
    )


async def connection(
    ctx: RequestContext, *, from_code: str, to_code: str, max_hops: int, relations_followed: list[Relation] | None
) -> list[Row]:
    allowed_to_trace(ctx)
    start, end = await origin(ctx, from_code), await origin(ctx, to_code)
    paths = await relations.shortest_paths(
        ctx.store,
        start["code"],
        end["code"],
        max_hops=hops_of(max_hops),
        relations=relations_of(relations_followed),
        timeout=ctx.lookup_limits.timeout,
    )
    saw_paths(ctx, paths)
    return paths


async def risk_network(ctx: RequestContext, *, code: str, max_hops: int) -> list[Row]:
    allowed_to_trace(ctx)
    start = await origin(ctx, code)
    traversal = relations.Traversal(
        start["code"], hops_of(max_hops), tuple(Relation), ctx.lookup_limits.max_subjects + 1
    )
    found = await relations.risky(
        ctx.store,
        traversal,
        records=ctx.read_filter.records,
        listings=ctx.read_filter.listings,
        today=ctx.now.date(),
        timeout=ctx.lookup_limits.timeout,
    )
    within_limit(ctx, found.count, start["code"], max_hops)
    saw_paths(ctx, found.rows)
    return found.rows
