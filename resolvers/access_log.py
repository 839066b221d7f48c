"""Reading the access log: a subject's own view, and the auditors' view of everything."""

import datetime

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from graph_store import access_log
from graph_store.connection import Row
from graph_store.errors import BadInput, Forbidden

from .context import RequestContext
from .pagination import Page, decode_cursor, encode_cursor, page_size
from .queries import subject_code


def before_seq(after: str | None) -> int | None:
    cursor = decode_cursor(after, length=1)
    if cursor is None:
        return None
    if not cursor[0].isdigit():
        raise BadInput("after is not a cursor from this list; pass back an endCursor or cursor you received")
    return int(cursor[0])


def newest_first(rows: list[Row], size: int, total: int) -> Page:
    """A page of entries read newest first, one more than asked for to tell whether more follow."""
    shown = [row["entry"] for row in rows[:size]]
    return Page(
        rows=shown,
        has_next_page=len(rows) > size,
        total_count=total,
        cursors=[encode_cursor(str(entry["seq"])) for entry in shown],
    )


async def my_access_log(ctx: RequestContext, *, first: int | None, after: str | None) -> Page:
    if not is_allowed(viewer_of(ctx.principal, ctx.now), "read", "OWN_ACCESS_LOG") or ctx.principal.unit is None:
        raise Forbidden("only a credit subject reads its own access log: sign in with a SUBJECT token")
    size = page_size(first)
    rows = await access_log.entries_touching(ctx.store, ctx.principal.unit, size + 1, before_seq(after))
    return newest_first(rows, size, await access_log.count_touching(ctx.store, ctx.principal.unit))


async def full_access_log(
    ctx: RequestContext,
    *,
    subject: str | None,
    actor_id: str | None,
    since: datetime.datetime | None,
    until: datetime.datetime | None,
    first: int | None,
    after: str | None,
) -> Page:
    if not is_allowed(viewer_of(ctx.principal, ctx.now), "read", "ACCESS_LOG"):
        raise Forbidden("the access log is read by auditors and the competent department only")
    size = page_size(first)
    search = access_log.LogSearch(
        subject_code=subject_code(subject) if subject else None, actor_id=actor_id, since=since, until=until
    )
    rows = await access_log.search(ctx.store, search, size + 1, before_seq(after))
    return newest_first(rows, size, await access_log.count_matching(ctx.store, search))
