"""Relationship lookups as GraphQL types: paths of steps between subjects (Arts. 24-26).

The lookup's one query brings every subject it shows, already masked for the
viewer, so these types are built whole: no field goes back to the store.
"""

import datetime

import strawberry

from graph_store.reads import RecordRow
from graph_store.relations import PathRow, ReachedRow, StepRow
from resolvers import relations as relations_lookup

from .enums import Relation
from .types import Connection, CreditRecord, Info, Listing, Subject


@strawberry.type(
    description="One relationship on a path, as it points in the graph: from REPRESENTS / INVESTS_IN / BRANCH_OF to."
)
class PathStep:
    from_: Subject = strawberry.field(
        name="from",
        description="Where the relationship starts (the representative, the investor, the branch), masked as usual.",
    )
    relation: Relation = strawberry.field(description="The relationship.")
    to: Subject = strawberry.field(
        description="Where it ends (the organization represented, invested in, or the parent), masked as usual."
    )
    share: float | None = strawberry.field(description="INVESTS_IN: the share held, 0 to 1.")
    started_on: datetime.date | None = strawberry.field(description="The day the relationship began, where known.")

    @classmethod
    def from_row(cls, row: StepRow) -> "PathStep":
        return cls(
            from_=Subject.from_row(row["from"]),
            relation=Relation(row["relation"]),
            to=Subject.from_row(row["to"]),
            share=row["share"],
            started_on=row["since"],
        )


def steps_of(row: PathRow) -> list[PathStep]:
    return [PathStep.from_row(step) for step in row["steps"]]


@strawberry.type(description="A subject within reach of another, with one of the shortest paths to it.")
class RelatedSubject:
    subject: Subject = strawberry.field(description="The related subject, masked as usual.")
    hops: int = strawberry.field(description="How many relationships away.")
    path: list[PathStep] = strawberry.field(description="The steps from the subject looked up to this one.")

    @classmethod
    def from_row(cls, row: ReachedRow) -> "RelatedSubject":
        return cls(subject=Subject.from_row(row["subject"]), hops=row["hops"], path=steps_of(row))


@strawberry.type(
    description="A page of the subjects within reach (Relay connection), and every relationship among those it shows."
)
class RelatedSubjectConnection(Connection[RelatedSubject]):
    related: strawberry.Private[relations_lookup.RelatedPage]

    @strawberry.field(
        description="Every relationship followed between two subjects this page shows (the one looked up, the "
        "page's subjects and those on their paths): paths give one way to each subject, these are all the ties "
        "among them, rings included. One more query, made only when asked for."
    )
    async def relationships(self, info: Info) -> list[PathStep]:
        rows = await relations_lookup.relationships_among(info.context, self.related)
        return [PathStep.from_row(row) for row in rows]


@strawberry.type(description="A shortest path between two subjects.")
class SubjectPath:
    hops: int = strawberry.field(description="How many relationships long.")
    steps: list[PathStep] = strawberry.field(description="The steps, from the first subject to the second.")

    @classmethod
    def from_row(cls, row: PathRow) -> "SubjectPath":
        return cls(hops=row["hops"], steps=steps_of(row))


@strawberry.type(
    description="A subject near the one looked up that is on the serious-dishonesty list or has disclosable "
    "dishonesty records the viewer may see."
)
class RiskSubject:
    subject: Subject = strawberry.field(description="The subject, masked as usual.")
    hops: int = strawberry.field(description="How many relationships away.")
    path: list[PathStep] = strawberry.field(description="The steps from the subject looked up to this one.")
    record_rows: strawberry.Private[list[RecordRow]]
    listing_ids: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: ReachedRow) -> "RiskSubject":
        return cls(
            subject=Subject.from_row(row["subject"]),
            hops=row["hops"],
            path=steps_of(row),
            record_rows=row["records"] or [],  # a list in every row of the risk network
            listing_ids=row["listingIds"] or [],
        )

    @strawberry.field(description="Its disclosable dishonesty records the viewer may see, newest first (up to 20).")
    def records(self) -> list[CreditRecord]:
        return [CreditRecord.from_row(row) for row in self.record_rows]

    @strawberry.field(description="Its standing serious-dishonesty listings.")
    async def listings(self, info: Info) -> list[Listing]:
        rows = await info.context.loaders.listing.load_many(self.listing_ids)
        return [Listing.from_row(row) for row in rows if row]
