"""Reading the access log: a subject's own view, and the auditors' view of everything."""

import datetime
from typing import TypeVar

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from credit.errors import Forbidden
from graph_store import access_log
from graph_store.access_log import AccessRecordRow, AuditEntryRow

from .context import RequestContext
from .pagination import Page, Total, page_size
from .queries import subject_code

E = TypeVar("E", AccessRecordRow, AuditEntryRow)


def before_seq(ctx: RequestContext, listing: str, after: str | None) -> int | None:
    cursor = ctx.cursors.position(listing, after, length=1)
    return None if cursor is None else int(cursor[0])


def newest_first(ctx: RequestContext, listing: str, entries: list[E], size: int, total: Total) -> Page[E]:
    """A page of entries read newest first, one more than asked for to tell whether more follow."""
    return Page(
        rows=entries[:size],
        has_next_page=len(entries) > size,
        total=total,
        cursor=lambda entry: ctx.cursors.issue(listing, str(entry["seq"])),
    )


async def my_access_log(ctx: RequestContext, *, first: int | None, after: str | None) -> Page[AccessRecordRow]:
    if not is_allowed(viewer_of(ctx.principal, ctx.now), "read", "OWN_ACCESS_LOG") or ctx.principal.unit is None:
        raise Forbidden("only a credit subject reads its own access log: sign in with a SUBJECT token")
    size = page_size(first)
    before = before_seq(ctx, "myAccessLog", after)
    rows = await access_log.entries_touching(ctx.store, ctx.principal.unit, size + 1, before)
    unit = ctx.principal.unit
    return newest_first(ctx, "myAccessLog", rows, size, lambda: access_log.count_touching(ctx.store, unit))


async def full_access_log(
    ctx: RequestContext,
    *,
    subject: str | None,
    actor_id: str | None,
    since: datetime.datetime | None,
    until: datetime.datetime | None,
    first: int | None,
    after: str | None,
) -> Page[AuditEntryRow]:
    if not is_allowed(viewer_of(ctx.principal, ctx.now), "read", "ACCESS_LOG"):
        raise Forbidden("the access log is read by auditors and the competent department only")
    size = page_size(first)
    search = access_log.LogSearch(
        subject_code=subject_code(subject) if subject else None, actor_id=actor_id, since=since, until=until
    )
    rows = await access_log.search(ctx.store, search, size + 1, before_seq(ctx, "accessLog", after))
    return newest_first(ctx, "accessLog", rows, size, lambda: access_log.count_matching(ctx.store, search))
