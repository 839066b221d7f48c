"""The serious-dishonesty list (Arts. 24-26): an agency lists after a PRE_LISTING notice, as the notice said, once
the subject's defence period is over or waived (Arts. 24, 37); the list is public."""

import datetime

from authz.resources import Listing
from credit.errors import BadInput, Conflict
from credit.model import SHORT_TEXT, AgencyNoticeKind, ListingGround, Nature, SubjectKind
from graph_store import listings, notices
from graph_store.listings import ListingRow
from graph_store.notices import ServedNoticeRow

from .changes import Mutation, Result, minted, permitted
from .context import RequestContext
from .notices import (
    agency_acting_on,
    agency_gate,
    checked_record_ids,
    defence_heard,
    records_relied_on,
    required_notice,
)
from .pagination import Page, page_size

REMOVED_BY = "a listing is removed by the agency that decided it, or the competent department"


async def listing_by_id(ctx: RequestContext, done: Result) -> ListingRow | None:
    """The listing, through the viewer's filter."""
    found: ListingRow | None = await ctx.loaders.listing.load(done["id"])
    return found


ADD_WHAT = "listing a subject"
ADD = Mutation("listSeriousDishonesty", "listing", listing_by_id, agency_gate("list", ADD_WHAT))
REMOVE = Mutation("removeListing", "listing", listing_by_id)


async def add(
    ctx: RequestContext,
    *,
    subject_code: str,
    ground: ListingGround,
    basis: str,
    removal_conditions: str,
    record_ids: list[str],
    notice_id: str | None,
    client_mutation_id: str | None,
) -> ListingRow:
    async def perform() -> dict[str, str]:
        texts = {"basis": basis.strip(), "removalConditions": removal_conditions.strip()}
        if not all(texts.values()) or any(len(text) > SHORT_TEXT for text in texts.values()):
            raise BadInput(f"a listing states its basis and removal conditions, each 1 to {SHORT_TEXT} characters")
        checked_record_ids(record_ids, required=True)
        acting = await agency_acting_on(ctx, subject_code, ADD_WHAT)
        records = await records_relied_on(ctx, acting.subject, record_ids)
        if not_dishonest := [record["id"] for record in records if record["nature"] != Nature.DISHONEST.value]:
            raise BadInput(f"a listing rests on dishonesty records; {not_dishonest} are not")
        notice = await required_notice(
            ctx, notice_id, kind=AgencyNoticeKind.PRE_LISTING, acting=acting, record_ids=record_ids, step="listing"
        )
        organization = acting.subject["kind"] != SubjectKind.NATURAL_PERSON.value
        if organization and await ctx.loaders.representative.load(acting.subject["id"]) is None:
            raise Conflict(
                f"{acting.subject['code']} has no legal representative or responsible person on record; the listing "
                "must name one (Art. 26): import the representation first"
            )
        if differs := differences({"ground": ground.value, **texts, "recordIds": sorted(record_ids)}, notice):
            raise Conflict(
                f"the listing must be what notice {notice['id']} told the subject (Art. 24); it differs in "
                + "; ".join(differs)
            )
        defence_heard(ctx, notice, "the listing")
        if not await notices.claim_for_decision(ctx.store, notice["id"], ctx.now):
            raise Conflict(f"notice {notice['id']} was decided on just now: serve a new one")
        listed = await listings.add(
            ctx.store,
            {
                "id": minted("LST"),
                "ground": ground.value,
                **texts,
                "subjectId": acting.subject["id"],
                "decidedByCode": acting.agency["code"],
                "recordIds": record_ids,
                "noticeId": notice["id"],
                "actorId": ctx.principal.id or "-",
            },
            ctx.now,
        )
        if listed is None:
            raise Conflict(f"{acting.subject['code']} is already listed on the ground {ground.value}")
        return {"id": listed["id"]}

    input = {"subjectCode": subject_code, "ground": ground.value, "basis": basis,
             "removalConditions": removal_conditions, "recordIds": record_ids, "noticeId": notice_id}  # fmt: skip
    return await ADD.run(ctx, input, client_mutation_id, perform)


def differences(listing: dict[str, str | list[str]], notice: ServedNoticeRow) -> list[str]:
    """What a listing states otherwise than its PRE_LISTING notice: each field, with both values."""
    told = {"ground": notice["ground"], "basis": notice["basis"], "removalConditions": notice["removalConditions"],
            "recordIds": sorted(notice["recordIds"])}  # fmt: skip
    return [f"{name} (notice: {told[name]}, listing: {it})" for name, it in listing.items() if told[name] != it]


async def remove(ctx: RequestContext, *, listing_id: str, reason: str, client_mutation_id: str | None) -> ListingRow:
    async def perform() -> dict[str, str]:
        if not reason.strip():
            raise BadInput("say why the listing is removed: the reason is kept with it")
        found = await ctx.loaders.listing.load(listing_id)
        listing = permitted(
            ctx, "remove", found, lambda row: Listing(**row), thing="listing", key=listing_id, rule=REMOVED_BY
        )
        if listing["status"] != "ACTIVE":
            raise Conflict(f"listing {listing_id} is already {listing['status']}")
        removed = await listings.remove(
            ctx.store, listing_id, reason=reason.strip(), actor_id=ctx.principal.id or "-", at=ctx.now
        )
        if not removed:
            raise Conflict(f"listing {listing_id} was removed by someone else just now")
        return {"id": listing_id}

    return await REMOVE.run(ctx, {"listingId": listing_id, "reason": reason}, client_mutation_id, perform)


async def public_list(ctx: RequestContext, *, first: int | None, after: str | None) -> Page[ListingRow]:
    size = page_size(first)
    after_key = ctx.cursors.sort_key("seriousDishonestyList", after, datetime.datetime.fromisoformat)
    rows = await listings.page(ctx.store, ctx.read_filter, first=size + 1, after=after_key)
    return Page(
        rows=rows[:size],
        has_next_page=len(rows) > size,
        total=lambda: listings.count(ctx.store, ctx.read_filter),
        cursor=lambda row: ctx.cursors.issue("seriousDishonestyList", row["listedAt"].isoformat(), row["id"]),
    )
