"""Every change a request makes: one transaction holding the change, its receipt and its own access-log entry.

Every mutation is a `Mutation`, run by `Mutation.run`, the one way to write one:

- who may use it at all (`Gate`: an action on a whole kind, asked of the policy before anything is read);
- the change (`perform`: its input checks, the object-level decisions of the policy, its reads and writes) inside
  `change()`, with its receipt and its access-log entry;
- the result read back once, after the change, as the viewer may see it (`read_back`); gone is NOT_FOUND.

The transaction `change()` opens

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
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from authz.access_log import ALLOWED, entry_fields, seal
from authz.policy import is_allowed
from authz.read_filter import viewer_of
from credit.errors import Concealed, Conflict, Forbidden, NotFound
from graph_store import access_log, receipts
from graph_store.rows import Seen

from .context import RequestContext

Result = dict[str, Any]
"""What identifies a change's result (ids): small and JSON-serializable, kept in its receipt."""
R = TypeVar("R")


def minted(prefix: str) -> str:
    """A new object's id: its kind's prefix (CON, OBJ, NOT, ...) and 16 random hexadecimal digits."""
    return f"{prefix}-{uuid.uuid4().hex[:16].upper()}"


@dataclass(frozen=True)
class Gate:
    """Who may use a mutation at all: the policy's decision on an action over a whole kind of thing ("SUBJECTS",
    "OWN_CONSENTS"), which speaks only of the viewer (role, unit, purpose), so it is asked before anything is read.
    `refusal` tells a caller refused what to do; resolvers/viewer.py asks the same question for `viewer.can`."""

    action: str
    kind: str
    refusal: str

    def check(self, ctx: RequestContext) -> None:
        if not is_allowed(viewer_of(ctx.principal, ctx.now), self.action, self.kind):
            raise Forbidden(self.refusal)


@dataclass(frozen=True)
class Mutation(Generic[R]):
    """A mutation, described once in its resolver's module; `run` is the one way every mutation runs:

    1. `gate`: FORBIDDEN, before anything is read, for whoever the policy does not let use it at all;
    2. `perform` as one `change()`: its input checks, the policy's decisions on the objects it acts on, its reads
       and writes; the receipt of the clientMutationId (a repeat gets the first result and changes nothing); the
       access-log entry in the same transaction; fresh loaders after it;
    3. `read_back`: the result (a repeat's: the first one) read once, through the viewer's filter where the thing
       has one; NOT_FOUND when it is gone ("the {thing} ... is gone").
    """

    name: str
    """The root field ("grantConsent"): what the receipt and the access-log entry name."""
    thing: str
    """What it makes or changes, as NOT_FOUND names it."""
    read_back: Callable[[RequestContext, Result], Awaitable[R | None]]
    """How it reads its result back, from what identifies it (its id): as the viewer may see it."""
    gate: Gate | None = None

    async def run(
        self,
        ctx: RequestContext,
        input: Mapping[str, Any],
        client_mutation_id: str | None,
        perform: Callable[[], Awaitable[Result]],
    ) -> R:
        """`input`: every argument but the clientMutationId, as the client sent it; the receipt binds the id to it."""
        if self.gate is not None:
            self.gate.check(ctx)
        done = await change(ctx, self.name, input, client_mutation_id, perform)
        found = await self.read_back(ctx, done)
        if found is None:
            raise NotFound(f"{self.thing} {done['id']} is gone")
        return found


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
    same `client_mutation_id` and input. Resolvers call it through `Mutation.run`, which reads the result back."""
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
