"""Relay's clientMutationId: repeating a mutation with the same id returns the first result and does nothing more."""

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from graph_store import receipts
from graph_store.errors import Conflict

from .context import RequestContext


async def once(
    ctx: RequestContext,
    mutation: str,
    client_mutation_id: str | None,
    perform: Callable[[], Awaitable[dict[str, Any]]],
) -> dict[str, Any]:
    """Run `perform` the first time this principal sends this mutation with this id; afterwards, its result.

    `perform` returns what identifies its result (ids), small and JSON-serializable.
    """
    if client_mutation_id is None:
        return await perform()
    key = json.dumps([ctx.principal.id, mutation, client_mutation_id], ensure_ascii=False)
    token = uuid.uuid4().hex
    claim = await receipts.claim(ctx.store, key, token, ctx.now)
    if not claim.won:
        if claim.result is None:
            raise Conflict(
                f"{mutation} with clientMutationId {client_mutation_id!r} is still running; ask again shortly"
            )
        result: dict[str, Any] = json.loads(claim.result)
        return result
    try:
        result = await perform()
    except BaseException:
        await receipts.release(ctx.store, key, token)
        raise
    await receipts.complete(ctx.store, key, json.dumps(result, ensure_ascii=False))
    return result
