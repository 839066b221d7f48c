"""Per-request DataLoaders: every nested field is one batched query per tick, whatever the page size.

Loaders are made for one request and one principal: their caches hold what
that principal may see, so they must never be shared between requests.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from aiodataloader import DataLoader

from authz.access_log import Collector
from authz.masking import mask_subject
from authz.read_filter import ReadFilter
from graph_store import listings, notices, reads, statements
from graph_store.connection import Row, Store

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class RecordsKey:
    subject_id: str
    category: str | None
    first: int
    after: tuple[datetime.date, str] | None


def in_order(keys: Sequence[K], found: dict[K, V], default: V) -> list[V]:
    return [found.get(key, default) for key in keys]


def batch(load: Callable[[list[Any]], Awaitable[dict[Any, Any]]], default: Any) -> DataLoader:
    async def load_in_order(keys: list[Any]) -> list[Any]:
        return in_order(keys, await load(list(keys)), default)

    return DataLoader(load_in_order)


def record_row(row: Row) -> Row:
    """Content is stored as JSON text (Neo4j has no nested maps); clients get the object."""
    return {**row, "content": json.loads(row["content"])}


class Loaders:
    """The loaders of one request, all reading through the same compiled filter.

    Each is made on first use: a request needs a few of them, and every one made
    for nothing was garbage for the cycle collector, whose pauses hold up every
    request in flight.
    """

    def __init__(self, store: Store, read_filter: ReadFilter, collector: Collector, today: datetime.date) -> None:
        self.store = store
        self.read_filter = read_filter
        self.collector = collector
        self.today = today

    @cached_property
    def subject(self) -> DataLoader:
        return batch(self.subjects_by_id, None)

    @cached_property
    def representative(self) -> DataLoader:
        return batch(self.representatives, None)

    @cached_property
    def represented(self) -> DataLoader:
        return batch(self.represented_organizations, [])

    @cached_property
    def records_of_subject(self) -> DataLoader:
        return DataLoader(self.record_pages)

    @cached_property
    def record(self) -> DataLoader:
        return batch(self.records_by_id, None)

    @cached_property
    def documents(self) -> DataLoader:
        return batch(lambda ids: reads.documents_of_records(self.store, ids), [])

    @cached_property
    def earlier_versions(self) -> DataLoader:
        return batch(self.versions_by_record, [])

    @cached_property
    def provider(self) -> DataLoader:
        return batch(lambda ids: reads.providers_by_id(self.store, ids), None)

    @cached_property
    def catalog_item(self) -> DataLoader:
        return batch(lambda ids: reads.catalog_items_by_id(self.store, ids), None)

    @cached_property
    def measures(self) -> DataLoader:
        return batch(lambda ids: reads.measures_of_subjects(self.store, ids), [])

    @cached_property
    def statements(self) -> DataLoader:
        return batch(lambda ids: statements.on_targets(self.store, ids), [])

    @cached_property
    def notice(self) -> DataLoader:
        return batch(lambda ids: notices.by_id(self.store, ids), None)

    @cached_property
    def notice_record_ids(self) -> DataLoader:
        return batch(lambda ids: notices.named_records(self.store, ids), [])

    @cached_property
    def listing(self) -> DataLoader:
        return batch(lambda ids: listings.by_ids(self.store, ids, self.read_filter.listings), None)

    @cached_property
    def dishonest(self) -> DataLoader:
        return batch(
            lambda ids: reads.dishonest_subjects(
                self.store, ids, records=self.read_filter.records, listings=self.read_filter.listings, today=self.today
            ),
            False,
        )

    @cached_property
    def listings(self) -> DataLoader:
        return batch(lambda ids: listings.of_subjects(self.store, ids, self.read_filter.listings), [])

    async def subjects_by_id(self, ids: list[str]) -> dict[str, Row]:
        found = await reads.subjects_by_id(self.store, ids, self.read_filter.identity)
        self.collector.saw_subjects(list(found.values()))
        return {key: mask_subject(subject) for key, subject in found.items()}

    async def representatives(self, org_ids: list[str]) -> dict[str, Row]:
        found = await reads.current_representatives(self.store, org_ids, self.read_filter.identity)
        self.collector.saw_subjects(list(found.values()))
        return {key: mask_subject(subject) for key, subject in found.items()}

    async def represented_organizations(self, person_ids: list[str]) -> dict[str, list[Row]]:
        found = await reads.represented_organizations(self.store, person_ids, self.read_filter.identity)
        self.collector.saw_subjects([subject for subjects in found.values() for subject in subjects])
        return {key: [mask_subject(subject) for subject in subjects] for key, subjects in found.items()}

    async def records_by_id(self, ids: list[str]) -> dict[str, Row]:
        found = await reads.records_by_id(self.store, ids, self.read_filter.records)
        self.collector.saw_records(list(found.values()))
        return {key: record_row(row) for key, row in found.items()}

    async def versions_by_record(self, record_ids: list[str]) -> dict[str, list[Row]]:
        found = await reads.earlier_versions_of_records(self.store, record_ids)
        return {key: [record_row(row) for row in rows] for key, rows in found.items()}

    async def record_pages(self, keys: list[RecordsKey]) -> list[reads.RecordPage]:
        """One query per distinct (category, first, after): in practice one for the whole page of subjects."""
        groups: dict[tuple[str | None, int, Any], list[str]] = defaultdict(list)
        for key in keys:
            groups[key.category, key.first, key.after].append(key.subject_id)
        pages: dict[RecordsKey, reads.RecordPage] = {}
        for (category, first, after), subject_ids in groups.items():
            found = await reads.records_of_subjects(
                self.store, subject_ids, category=category, first=first, after=after, visible=self.read_filter.records
            )
            for subject_id in subject_ids:
                page = found.get(subject_id, reads.RecordPage(records=[], total=0))
                pages[RecordsKey(subject_id, category, first, after)] = reads.RecordPage(
                    records=[record_row(row) for row in page.records], total=page.total
                )
        return [pages[key] for key in keys]
