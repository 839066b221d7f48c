"""Written notices served on subjects: the results of objections and repair applications."""

import datetime
from typing import Any

import strawberry

from .types import Info


@strawberry.type(description="A written notice served on a subject, e.g. the result of its objection or application.")
class Notice:
    id: strawberry.ID = strawberry.field(description="Stable id.")
    kind: str = strawberry.field(description="What the notice is: OBJECTION_RESULT, REPAIR_RESULT.")
    text: str = strawberry.field(description="The notice as served.")
    served_at: datetime.datetime = strawberry.field(description="When it was served.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Notice":
        return cls(id=strawberry.ID(row["id"]), kind=row["kind"], text=row["text"], served_at=row["servedAt"])


async def notice_of(info: Info, notice_id: str | None) -> Notice | None:
    """The notice answering an objection or application the viewer already sees (batched per request)."""
    if notice_id is None:
        return None
    row = await info.context.loaders.notice.load(notice_id)
    return Notice.from_row(row) if row else None
