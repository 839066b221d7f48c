"""Per-request DataLoaders: every nested field is one batched query per tick, whatever the page size.

Loaders are made for one request and one principal: their caches hold what
that principal may see, so they must never be shared between requests.
"""

import datetime
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from aiodataloader import DataLoader

from graph_store import listings, notices, reads, statements, versions
from graph_store.connection import Store
from graph_store.listings import ListingRow
from graph_store.notices import NoticeRow
from graph_store.predicate import ReadFilter
from graph_store.reads import (
    CatalogItemRow,
    DocumentRow,
    MeasureRow,
    ProviderRow,
    RecordRow,
    SubjectRow,
    VersionRow,
)
from graph_store.statements import StatementRow
from graph_store.versions import ObjectVersionRow

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")


@dataclass(frozen=True)
class RecordsKey:
    subject_id: str
    category: str | None
    first: int
    after: tuple[datetime.date, str] | None


def in_order(keys: Sequence[K], found: dict[K, V], default: D) -> list[V | D]:
    return [found.get(key, default) for key in keys]


def batch(load: Callable[[list[str]], Awaitable[dict[str, V]]], default: D) -> DataLoader[str, V | D]:
    """A loader by id: what `load` found for each id, `default` for an id it did not find."""

    async def load_in_order(keys: list[str]) -> list[V | D]:
        return in_order(keys, await load(list(keys)), default)

    return DataLoader(load_in_order)


class Loaders:
    """The loaders of one request, all reading through the same compiled filter and the request's store (whose
    rows are recorded for the access log and masked on their way out).

    Each is made on first use: a request needs a few of them, and every one made
    for nothing was garbage for the cycle collector, whose pauses hold up every
    request in flight.
    """

    def __init__(self, store: Store, read_filter: ReadFilter) -> None:
        self.store = store
        self.read_filter = read_filter

    @cached_property
    def subject(self) -> DataLoader[str, SubjectRow | None]:
        return batch(lambda ids: reads.subjects_by_id(self.store, ids, self.read_filter), None)

    @cached_property
    def representative(self) -> DataLoader[str, SubjectRow | None]:
        return batch(lambda ids: reads.current_representatives(self.store, ids, self.read_filter), None)

    @cached_property
    def represented(self) -> DataLoader[str, list[SubjectRow]]:
        return batch(lambda ids: reads.represented_organizations(self.store, ids, self.read_filter), [])

    @cached_property
    def records_of_subject(self) -> DataLoader[RecordsKey, reads.RecordPage]:
        return DataLoader(self.record_pages)

    @cached_property
    def record(self) -> DataLoader[str, RecordRow | None]:
        return batch(lambda ids: reads.records_by_id(self.store, ids, self.read_filter), None)

    @cached_property
    def documents(self) -> DataLoader[str, list[DocumentRow]]:
        return batch(lambda ids: reads.documents_of_records(self.store, ids), [])

    @cached_property
    def versions(self) -> DataLoader[str, list[VersionRow]]:
        return batch(lambda ids: reads.versions_of_records(self.store, ids, self.read_filter), [])

    @cached_property
    def catalog_item_versions(self) -> DataLoader[str, list[ObjectVersionRow]]:
        return batch(lambda ids: versions.versions_of(self.store, "CatalogItem", ids), [])

    @cached_property
    def document_versions(self) -> DataLoader[str, list[ObjectVersionRow]]:
        return batch(lambda ids: versions.versions_of(self.store, "Document", ids), [])

    @cached_property
    def measure_versions(self) -> DataLoader[str, list[ObjectVersionRow]]:
        return batch(lambda ids: versions.versions_of(self.store, "Measure", ids), [])

    @cached_property
    def provider(self) -> DataLoader[str, ProviderRow | None]:
        return batch(lambda ids: reads.providers_by_id(self.store, ids), None)

    @cached_property
    def catalog_item(self) -> DataLoader[str, CatalogItemRow | None]:
        return batch(lambda ids: reads.catalog_items_by_id(self.store, ids), None)

    @cached_property
    def measures(self) -> DataLoader[str, list[MeasureRow]]:
        return batch(lambda ids: reads.measures_of_subjects(self.store, ids, self.read_filter), [])

    @cached_property
    def statements(self) -> DataLoader[str, list[StatementRow]]:
        return batch(lambda ids: statements.on_targets(self.store, ids), [])

    @cached_property
    def notice(self) -> DataLoader[str, NoticeRow | None]:
        return batch(lambda ids: notices.by_id(self.store, ids), None)

    @cached_property
    def notice_record_ids(self) -> DataLoader[str, list[str]]:
        return batch(lambda ids: notices.named_records(self.store, ids), [])

    @cached_property
    def measure(self) -> DataLoader[str, MeasureRow | None]:
        return batch(lambda ids: reads.measures_by_id(self.store, ids, self.read_filter), None)

    @cached_property
    def listing(self) -> DataLoader[str, ListingRow | None]:
        return batch(lambda ids: listings.by_ids(self.store, ids, self.read_filter), None)

    @cached_property
    def dishonest(self) -> DataLoader[str, bool]:
        return batch(lambda ids: reads.dishonest_subjects(self.store, ids, filters=self.read_filter), False)

    @cached_property
    def listings(self) -> DataLoader[str, list[ListingRow]]:
        return batch(lambda ids: listings.of_subjects(self.store, ids, self.read_filter), [])

    async def record_pages(self, keys: list[RecordsKey]) -> list[reads.RecordPage]:
        """One query per distinct (category, first, after): in practice one for the whole page of subjects."""
        groups: dict[tuple[str | None, int, Any], list[str]] = defaultdict(list)
        for key in keys:
            groups[key.category, key.first, key.after].append(key.subject_id)
        pages: dict[RecordsKey, reads.RecordPage] = {}
        for (category, first, after), subject_ids in groups.items():
            found = await reads.records_of_subjects(
                self.store, subject_ids, category=category, first=first, after=after, filters=self.read_filter
            )
            for subject_id in subject_ids:
                pages[RecordsKey(subject_id, category, first, after)] = found.get(
                    subject_id, reads.RecordPage(records=[], total=0)
                )
        return [pages[key] for key in keys]
