"""The credit report (Art. 31): everything about a subject the viewer may see, in one document.

It is a read like any other: the same filter decides what is in it, and the
access log records every subject and record it showed.
"""

import datetime
from dataclasses import dataclass

from credit.model import Category
from graph_store.reads import RecordRow, SubjectRow

from .context import RequestContext
from .loaders import RecordsKey
from .queries import subject as subject_by_code

MAX_RECORDS = 1000
"""A report lists up to this many records, newest first, and says when there are more."""


@dataclass(frozen=True)
class Report:
    subject: SubjectRow
    records_by_category: list[tuple[Category, list[RecordRow]]]
    record_count: int
    made_at: datetime.datetime


async def credit_report(ctx: RequestContext, code: str) -> Report | None:
    subject = await subject_by_code(ctx, code)
    if subject is None:
        return None
    page = await ctx.loaders.records_of_subject.load(RecordsKey(subject["id"], None, MAX_RECORDS, None))
    grouped = [
        (category, [record for record in page.records if record["category"] == category.value]) for category in Category
    ]
    return Report(
        subject=subject,
        records_by_category=[(category, records) for category, records in grouped if records],
        record_count=page.total,
        made_at=ctx.now,
    )
