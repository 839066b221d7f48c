"""Every change a request makes: one transaction holding the change, its receipt and its own access-log entry.

A mutation's resolver checks and writes inside `change()`. The transaction it opens

1. takes the access log's lock first: changes and log appends all take it
   before anything else, so they queue and never deadlock;
2. claims the receipt of a clientMutationId, keyed by the principal (who, in
   which role, for which unit), the mutation and the id and bound to a hash of
   the input: a repeat with the same input gets the first result back and
   changes nothing, one with another input is CONFLICT;
3. runs the change; its reads and writes go through the same transaction, and
   what their rows reveal is recorded in the change's own `Seen`;
4. appends the entry naming the change and everything it touched;

and commits all of it or none of it. Outside a change the request's store
refuses to write (graph_store/connection.py), so no change commits without its
entry, and no entry claims a change that rolled back.
"""

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from authz.access_log import ALLOWED, entry_fields, seal
from authz.policy import is_allowed
from authz.read_filter import viewer_of
from credit.errors import Concealed, Conflict, NotFound
from graph_store import access_log, receipts
from graph_store.rows import Seen

from .context import RequestContext

Result = dict[str, Any]
"""What identifies a change's result (ids): small and JSON-serializable, kept in its receipt."""
R = TypeVar("R")


def fingerprint(input: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(input, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


async def change(
    ctx: RequestContext,
    mutation: str,
    input: Mapping[str, Any],
    client_mutation_id: str | None,
    perform: Callable[[], Awaitable[Result]],
) -> Result:
    """Run `perform` as one change, or return the first result of this principal's `mutation` sent before with the
    same `client_mutation_id` and input. The caller reads the result back through the viewer's filter."""
    seen = Seen()
    try:
        async with ctx.store.unit(seen) as tx:
            head = await access_log.lock_head(tx, ctx.request_id)
            principal = ctx.principal
            key = json.dumps([principal.id, principal.role, principal.unit, mutation, client_mutation_id])
            if client_mutation_id is not None:
                claim = await receipts.claim(tx, key, uuid.uuid4().hex, fingerprint(input), ctx.now)
                if not claim.first:
                    first_result = repeated(mutation, client_mutation_id, claim, fingerprint(input))
                    ctx.repeats += 1
                    return first_result
            result = await perform()
            if client_mutation_id is not None:
                await receipts.complete(tx, key, json.dumps(result, ensure_ascii=False))
            fields = entry_fields(
                principal=ctx.principal,
                request_id=ctx.request_id,
                correlation_id=ctx.correlation_id,
                at=ctx.now,
                operation=f"{ctx.operation} ({mutation})",
                decision=ALLOWED,
                seen=seen,
            )
            await access_log.append_after(tx, head, [fields], seal)
    except BaseException:
        ctx.store.seen.absorb(seen)  # read, and perhaps told, but not logged: the request's own entry names it
        ctx.fresh_loaders()
        raise
    ctx.logged.absorb(seen)
    ctx.changes += 1
    ctx.fresh_loaders()  # what they cached before or during the change may have changed with it
    return result


def repeated(mutation: str, client_mutation_id: str, claim: receipts.Claim, input_hash: str) -> Result:
    if claim.input_hash is not None and claim.input_hash != input_hash:
        raise Conflict(
            f"clientMutationId {client_mutation_id!r} was already used for {mutation} with another input; "
            "use a new id for a new change"
        )
    if claim.result is None:
        raise Conflict(f"{mutation} with clientMutationId {client_mutation_id!r} is still running; ask again shortly")
    result: Result = json.loads(claim.result)
    return result


def permitted(
    ctx: RequestContext,
    action: str,
    found: R | None,
    resource: Callable[[R], object],
    *,
    thing: str,
    key: str,
    rule: str,
) -> R:
    """`found` (what the viewer named, as the store found it), if the policy lets the viewer `action` it; if there
    is none, or the policy says no, the one answer for both (`absent`)."""
    if found is None:
        raise absent(thing, key, rule)
    if not is_allowed(viewer_of(ctx.principal, ctx.now), action, resource(found)):
        raise absent(thing, key, rule, concealed=True)
    return found


def absent(thing: str, key: str, rule: str, *, concealed: bool = False) -> NotFound:
    """The one answer for something that does not exist and for something the viewer may not see or touch: the same
    code and the same words, so the answer tells nothing; `rule` says who may act, so a lawful caller knows what to
    do. `concealed` (it exists, the policy refused) only reaches the access log, as a denial."""
    message = f"there is no {thing} {key!r} that you may act on: {rule}"
    return Concealed(message) if concealed else NotFound(message)
