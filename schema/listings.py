"""The inputs that change the serious-dishonesty list (Arts. 24-26); `Listing` itself is in types."""

import strawberry

from .enums import ListingGround
from .types import MutationInput


@strawberry.input(description="An agency's decision to list a subject as seriously dishonest (Art. 24).")
class ListSeriousDishonestyInput(MutationInput):
    subject_code: str = strawberry.field(description="The subject listed: USCC or resident ID.")
    ground: ListingGround = strawberry.field(description="Art. 24's ground; the same as the notice's.")
    basis: str = strawberry.field(description="The legal basis.")
    removal_conditions: str = strawberry.field(description="How the subject gets off the list.")
    record_ids: list[strawberry.ID] = strawberry.field(description="The dishonesty records it rests on (1 to 50).")
    notice_id: strawberry.ID = strawberry.field(description="The PRE_LISTING notice served on the subject first.")


@strawberry.input(description="Take a subject off the serious-dishonesty list.")
class RemoveListingInput(MutationInput):
    listing_id: strawberry.ID = strawberry.field(description="The listing.")
    reason: str = strawberry.field(description="Why: kept with the listing.")
