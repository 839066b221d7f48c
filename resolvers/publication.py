"""The subject's own publication (Art. 16): the subject publishes its SUBJECT_PUBLISHED records, or withdraws them.

Unpublished, such a record is read as an authorized query (policy.polar): by the subject, its provider, the department
and holders of the subject's consent. Publishing a published record, or withdrawing an unpublished one, is CONFLICT:
the subject asked for a change that is not one (a repeat of the same request is answered by its clientMutationId).
"""

from authz.resources import Record
from credit.errors import Conflict
from credit.model import DisclosureMode
from graph_store import publication
from graph_store.reads import RecordRow

from .changes import Mutation, permitted
from .context import RequestContext
from .records import record_by_id

PUBLISHED_BY = "a credit subject publishes its own records, and withdraws their publication (Art. 16)"
PUBLISH = Mutation("publishRecord", "record", record_by_id)
WITHDRAW = Mutation("withdrawPublication", "record", record_by_id)


async def own_publishable(ctx: RequestContext, record_id: str) -> RecordRow:
    """The viewer's own record, if the policy lets it publish it, disclosed by the subject's own publication."""
    found = await ctx.loaders.record.load(record_id)
    record = permitted(
        ctx, "publish", found, lambda row: Record(**row), thing="record", key=record_id, rule=PUBLISHED_BY
    )
    if record["disclosureMode"] != DisclosureMode.SUBJECT_PUBLISHED.value:
        raise Conflict(
            f"record {record_id} is disclosed by {record['disclosureMode']}, as its catalog item says: only "
            f"{DisclosureMode.SUBJECT_PUBLISHED.value} records are published by their subject (Art. 16)"
        )
    return record


async def publish(ctx: RequestContext, *, record_id: str, client_mutation_id: str | None) -> RecordRow:
    async def perform() -> dict[str, str]:
        record = await own_publishable(ctx, record_id)
        if record["publishedBySubjectAt"] is not None:
            raise Conflict(f"record {record_id} is published already, since {record['publishedBySubjectAt']}")
        if await publication.publish(ctx.store, record_id, ctx.principal.id or "-", ctx.now) is None:
            raise Conflict(f"record {record_id} was published just now")
        return {"id": record_id}

    return await PUBLISH.run(ctx, {"recordId": record_id}, client_mutation_id, perform)


async def withdraw(ctx: RequestContext, *, record_id: str, client_mutation_id: str | None) -> RecordRow:
    async def perform() -> dict[str, str]:
        record = await own_publishable(ctx, record_id)
        if record["publishedBySubjectAt"] is None:
            raise Conflict(f"record {record_id} is not published: there is no publication to withdraw")
        if await publication.withdraw(ctx.store, record_id, ctx.principal.id or "-", ctx.now) is None:
            raise Conflict(f"record {record_id}'s publication was withdrawn just now")
        return {"id": record_id}

    return await WITHDRAW.run(ctx, {"recordId": record_id}, client_mutation_id, perform)
