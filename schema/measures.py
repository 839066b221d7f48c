"""The input an agency applies a measure with (Arts. 19, 22-27); `Measure` itself is in types."""

import datetime

import strawberry

from .enums import MeasureType
from .types import MutationInput


@strawberry.input(
    description="A measure an agency applies: a REGULATORY one after a PRE_MEASURE notice naming its records "
    "(Art. 23); a PUNITIVE one on a SERIOUS dishonesty record or a listing (Art. 27)."
)
class ApplyMeasureInput(MutationInput):
    subject_code: str = strawberry.field(description="Whom it applies to: USCC or resident ID.")
    type: MeasureType = strawberry.field(description="Incentive, regulatory or punitive.")
    item: str = strawberry.field(description="The measure item.")
    means: str = strawberry.field(description="How it is carried out.")
    basis: str = strawberry.field(description="The legal basis.")
    starts_on: datetime.date = strawberry.field(description="First day.")
    ends_on: datetime.date = strawberry.field(description="Last day, on or after the first.")
    record_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The records it is based on; required for a REGULATORY measure."
    )
    notice_id: strawberry.ID | None = strawberry.field(
        default=None, description="REGULATORY: the PRE_MEASURE notice served on the subject, naming recordIds."
    )
    listing_id: strawberry.ID | None = strawberry.field(
        default=None, description="PUNITIVE: the subject's serious-dishonesty listing it is taken under (Art. 25)."
    )
