"""Measures an agency applies (Arts. 19, 22-27): an incentive freely; a regulatory or punitive measure after a
written PRE_MEASURE notice naming what it relies on (Art. 23); a punitive one only on a SERIOUS dishonesty record or a
listing (Art. 27), on records alone no longer than they are disclosed (Art. 35), and once the subject's defence
period on the notice is over or waived (Arts. 24, 37)."""

import datetime

from authz.read_filter import standing_on
from credit.errors import BadInput, Conflict
from credit.model import SHORT_TEXT, AgencyNoticeKind, MeasureType, Nature, Severity
from graph_store import measures, notices, reads
from graph_store.listings import ListingRow
from graph_store.reads import MeasureRow, RecordRow

from .changes import Mutation, Result, absent, minted
from .context import RequestContext
from .notices import (
    agency_acting_on,
    agency_gate,
    checked_record_ids,
    defence_heard,
    records_relied_on,
    required_notice,
)


async def measure_by_id(ctx: RequestContext, done: Result) -> MeasureRow | None:
    return (await reads.measures_by_id(ctx.store, [done["id"]], ctx.read_filter)).get(done["id"])


APPLY_WHAT = "applying a measure"
APPLY = Mutation("applyMeasure", "measure", measure_by_id, agency_gate("impose", APPLY_WHAT))


async def apply(
    ctx: RequestContext,
    *,
    subject_code: str,
    type: MeasureType,
    item: str,
    means: str,
    basis: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    record_ids: list[str],
    notice_id: str | None,
    listing_id: str | None,
    client_mutation_id: str | None,
) -> MeasureRow:
    async def perform() -> dict[str, str]:
        texts = {"item": item.strip(), "means": means.strip(), "basis": basis.strip()}
        if not all(texts.values()) or any(len(text) > SHORT_TEXT for text in texts.values()):
            raise BadInput(f"a measure states its item, means and basis (Art. 19), each 1 to {SHORT_TEXT} characters")
        if ends_on < starts_on:
            raise BadInput(f"endsOn {ends_on} is before startsOn {starts_on}")
        checked_record_ids(record_ids, required=type is MeasureType.REGULATORY)
        acting = await agency_acting_on(ctx, subject_code, APPLY_WHAT)
        records = await records_relied_on(ctx, acting.subject, record_ids)
        if listing_id is not None:
            listing: ListingRow | None = await ctx.loaders.listing.load(listing_id)
            if listing is None or listing["subjectId"] != acting.subject["id"]:
                raise absent("listing", listing_id, f"a measure is taken under a listing of {acting.subject['code']}")
            if listing["status"] != "ACTIVE":
                raise Conflict(f"listing {listing_id} is {listing['status']}: no measure is taken under it")
            if not standing_on(ctx.now.date(), listing):
                raise Conflict(
                    f"listing {listing_id}'s query period ended on {listing['disclosureUntil']} (Art. 35): no measure "
                    "is taken under it"
                )
        if type is MeasureType.PUNITIVE and listing_id is None:
            if not any(serious(record) for record in records):
                raise Conflict(
                    "a PUNITIVE measure rests on a SERIOUS dishonesty record in recordIds or on the subject's "
                    "serious-dishonesty listing in listingId (Art. 27); neither was given"
                )
            if (last := last_disclosed_day(records)) is not None and ends_on > last:
                raise Conflict(
                    f"a PUNITIVE measure on records alone runs no longer than they are disclosed (Art. 35): the last "
                    f"day of the latest is {last}; end it by then, or take it under the subject's listing"
                )
        noticed = type in (MeasureType.REGULATORY, MeasureType.PUNITIVE)
        if noticed:
            notice = await required_notice(
                ctx, notice_id, kind=AgencyNoticeKind.PRE_MEASURE, acting=acting, record_ids=record_ids,
                step=f"a {type.value} measure",
            )  # fmt: skip
            if type is MeasureType.PUNITIVE:
                defence_heard(ctx, notice, "the PUNITIVE measure")
            if not await notices.claim_for_decision(ctx.store, notice["id"], ctx.now):
                raise Conflict(f"notice {notice['id']} was decided on just now: serve a new one")
        measure_id = await measures.apply(
            ctx.store,
            {
                "id": minted("MEA"),
                "type": type.value,
                **texts,
                "startsAt": starts_on,
                "endsAt": ends_on,
                "subjectId": acting.subject["id"],
                "implementedByCode": acting.agency["code"],
                "recordIds": record_ids,
                "noticeId": notice_id if noticed else None,
                "listingId": listing_id,
                "actorId": ctx.principal.id or "-",
            },
            ctx.now,
        )
        return {"id": measure_id}

    input = {"subjectCode": subject_code, "type": type.value, "item": item, "means": means, "basis": basis,
             "startsAt": starts_on, "endsAt": ends_on, "recordIds": record_ids, "noticeId": notice_id,
             "listingId": listing_id}  # fmt: skip
    return await APPLY.run(ctx, input, client_mutation_id, perform)


def last_disclosed_day(records: list[RecordRow]) -> datetime.date | None:
    """The last day one of these records is disclosed (their `disclosureUntil`, kept by graph_store/measures.py), or
    None when one of them is disclosed without end."""
    ends = [record["disclosureUntil"] for record in records]
    return None if None in ends else max(end for end in ends if end is not None)


def serious(record: RecordRow) -> bool:
    return record["nature"] == Nature.DISHONEST.value and record["severity"] == Severity.SERIOUS.value
