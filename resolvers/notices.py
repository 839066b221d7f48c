"""Written notices: the subject reads those served on it; objections and applications show their answer."""

from authz.policy import is_allowed
from authz.read_filter import viewer_of
from graph_store import notices
from graph_store.connection import Row
from graph_store.errors import Forbidden

from .context import RequestContext


async def mine(ctx: RequestContext) -> list[Row]:
    if ctx.principal.unit is None or not is_allowed(viewer_of(ctx.principal, ctx.now), "read", "OWN_NOTICES"):
        raise Forbidden("only a credit subject reads the notices served on it: sign in with a SUBJECT token")
    return await notices.served_on(ctx.store, ctx.principal.unit)
