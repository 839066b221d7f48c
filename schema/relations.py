"""Relationship lookups as GraphQL types: paths of steps between subjects (Arts. 24-26)."""

import datetime
from typing import Any

import strawberry

from .enums import Relation
from .types import CreditRecord, Info, Listing, Subject


async def subject_by_id(info: Info, subject_id: str) -> Subject | None:
    row = await info.context.loaders.subject.load(subject_id)
    return Subject.from_row(row) if row else None


@strawberry.type(
    description="One relationship on a path, as it points in the graph: from REPRESENTS / INVESTS_IN / BRANCH_OF to."
)
class PathStep:
    relation: Relation = strawberry.field(description="The relationship.")
    share: float | None = strawberry.field(description="INVESTS_IN: the share held, 0 to 1.")
    since: datetime.date | None = strawberry.field(description="Since when, where known.")
    from_id: strawberry.Private[str]
    to_id: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "PathStep":
        return cls(
            relation=Relation(row["relation"]),
            share=row.get("share"),
            since=row.get("since"),
            from_id=row["fromId"],
            to_id=row["toId"],
        )

    @strawberry.field(
        name="from",
        description="Where the relationship starts (the representative, the investor, the branch), masked as usual.",
    )
    async def from_(self, info: Info) -> Subject | None:
        return await subject_by_id(info, self.from_id)

    @strawberry.field(description="Where it ends (the organization represented, invested in, or the parent).")
    async def to(self, info: Info) -> Subject | None:
        return await subject_by_id(info, self.to_id)


def steps_of(row: dict[str, Any]) -> list[PathStep]:
    return [PathStep.from_row(step) for step in row["steps"]]


@strawberry.type(description="A subject within reach of another, with one of the shortest paths to it.")
class RelatedSubject:
    hops: int = strawberry.field(description="How many relationships away.")
    path: list[PathStep] = strawberry.field(description="The steps from the subject looked up to this one.")
    subject_id: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "RelatedSubject":
        return cls(hops=row["hops"], path=steps_of(row), subject_id=row["subjectId"])

    @strawberry.field(description="The related subject, masked as usual.")
    async def subject(self, info: Info) -> Subject | None:
        return await subject_by_id(info, self.subject_id)


@strawberry.type(description="A shortest path between two subjects.")
class SubjectPath:
    hops: int = strawberry.field(description="How many relationships long.")
    steps: list[PathStep] = strawberry.field(description="The steps, from the first subject to the second.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "SubjectPath":
        return cls(hops=row["hops"], steps=steps_of(row))


@strawberry.type(
    description="A subject near the one looked up that is on the serious-dishonesty list or has disclosable "
    "dishonesty records the viewer may see."
)
class RiskSubject:
    hops: int = strawberry.field(description="How many relationships away.")
    path: list[PathStep] = strawberry.field(description="The steps from the subject looked up to this one.")
    subject_id: strawberry.Private[str]
    record_ids: strawberry.Private[list[str]]
    listing_ids: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "RiskSubject":
        return cls(
            hops=row["hops"],
            path=steps_of(row),
            subject_id=row["subjectId"],
            record_ids=row["recordIds"],
            listing_ids=row["listingIds"],
        )

    @strawberry.field(description="The subject, masked as usual.")
    async def subject(self, info: Info) -> Subject | None:
        return await subject_by_id(info, self.subject_id)

    @strawberry.field(description="Its disclosable dishonesty records the viewer may see, newest first (up to 20).")
    async def records(self, info: Info) -> list[CreditRecord]:
        rows = await info.context.loaders.record.load_many(self.record_ids)
        return [CreditRecord.from_row(row) for row in rows if row]

    @strawberry.field(description="Its standing serious-dishonesty listings.")
    async def listings(self, info: Info) -> list[Listing]:
        rows = await info.context.loaders.listing.load_many(self.listing_ids)
        return [Listing.from_row(row) for row in rows if row]
