"""The credit report (Art. 31) as a GraphQL type; server/reports.py prints the same query as a page."""

import datetime

import strawberry

from resolvers.reports import Report

from .enums import Category
from .types import CreditRecord, Info, Listing, Measure, Subject


@strawberry.type(description="The records of one category in a credit report, newest first.")
class ReportSection:
    category: Category = strawberry.field(description="The category (Art. 11).")
    records: list[CreditRecord] = strawberry.field(
        description="Each with its sources (provider, documents) and the reasons for its changes (versions)."
    )


@strawberry.type(
    description="A credit report (Art. 31): what the viewer may see of a subject, with sources and reasons for "
    "changes, measures, listings and statements, and when it was made."
)
class CreditReport:
    subject: Subject = strawberry.field(description="The subject (a natural person masked unless the viewer may know).")
    made_at: datetime.datetime = strawberry.field(description="When the report was made: it shows that moment.")
    sections: list[ReportSection] = strawberry.field(description="Records grouped by category, in the law's order.")
    record_count: int = strawberry.field(description="How many records the viewer may see.")
    truncated: bool = strawberry.field(description="True when there are more records than the report lists (1,000).")

    @classmethod
    def from_report(cls, report: Report) -> "CreditReport":
        sections = [
            ReportSection(category=category, records=[CreditRecord.from_row(row) for row in rows])
            for category, rows in report.records_by_category
        ]
        return cls(
            subject=Subject.from_row(report.subject),
            made_at=report.made_at,
            sections=sections,
            record_count=report.record_count,
            truncated=report.record_count > sum(len(section.records) for section in sections),
        )

    @strawberry.field(description="Measures applied to the subject (Art. 19), with the subject's statements.")
    async def measures(self, info: Info) -> list[Measure]:
        return [Measure.from_row(row) for row in await info.context.loaders.measures.load(str(self.subject.id))]

    @strawberry.field(description="The subject's serious-dishonesty listings the viewer may see, with statements.")
    async def listings(self, info: Info) -> list[Listing]:
        return [Listing.from_row(row) for row in await info.context.loaders.listings.load(str(self.subject.id))]
