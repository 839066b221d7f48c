"""Read queries for the API: one query per purpose, batched by id list for the DataLoaders.

Every query that returns records takes the caller's record `Predicate`, pasted
where the text says RECORD_FILTER, so what a viewer may not see never leaves
Neo4j, and the `Predicate` of who may know the people a record names, at
PEOPLE_FILTER. Every query that returns subjects takes the identity `Predicate`
(who may know which natural person a subject is), pasted at IDENTITY_FILTER:
each subject row says whether it is `revealed`. Projections carry an `entity`
tag, and graph_store/rows.py masks and records them on their way out. Batch
queries take a list of ids and return rows keyed by those ids.
"""

import datetime
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

from credit.model import Category

from .connection import Store
from .predicate import ReadFilter, published
from .projection import MEASURES, MOST_LISTED, Projection, Selection, first_of, whole

SUBJECT = whole("Subject")
"""A subject as the translation reads it whole (projection.py), like every object below."""


class SubjectRow(TypedDict):
    """SUBJECT as it leaves the store: `revealed` became `masked`, with name and code masked if so (rows.py)."""

    id: str
    code: str
    name: str
    kind: str
    region: str
    masked: bool
    selected: NotRequired[dict[str, Any]]
    """What the fields selected below it read, by response key, when a selection was projected (projection.py)."""


PROVIDER = whole("Provider")


class ProviderRow(TypedDict):
    id: str
    code: str
    name: str
    publicity: str
    type: str
    region: str


RECORD = whole("Record")


class RecordRow(TypedDict):
    """RECORD as it leaves the store: `content` parsed, its people masked unless `peopleRevealed` (rows.py)."""

    id: str
    title: str
    category: str
    nature: str
    severity: str | None
    publicity: str
    disclosureMode: str
    confirmedAt: datetime.date
    disclosureUntil: datetime.date | None
    publishedBySubjectAt: datetime.datetime | None
    """For a SUBJECT_PUBLISHED record: since when its subject has published it (Art. 16); null while unpublished."""
    status: str
    underObjection: bool
    content: NotRequired[dict[str, Any]]
    """Absent from a row read through a selection that did not select it (projection.py)."""
    version: int
    subjectCode: str
    providerCode: str
    subjectId: str
    providerId: str
    catalogItemId: str
    selected: NotRequired[dict[str, Any]]
    """What the fields selected below it read, by response key, when a selection was projected (projection.py)."""


CATALOG_ITEM = """c {.id, .name, .category, .publicity, .disclosureMode, .dataFormat, .subjectKinds, providerId: p.id,
    repairable: coalesce(c.repairable, true)}"""


class CatalogItemRow(TypedDict):
    id: str
    name: str
    category: str
    publicity: str
    disclosureMode: str
    dataFormat: str
    """The JSON Schema, as JSON text."""
    subjectKinds: list[str]
    """The kinds of subject its records may be about (Art. 11: some information is about organizations only)."""
    providerId: str
    repairable: bool
    """False when the law says records under it are not repaired (Art. 36); items imported before say true."""


DOCUMENT = whole("Document")


class DocumentRow(TypedDict):
    id: str
    type: str
    number: str
    issuedAt: datetime.date
    status: str
    issuerId: str
    selected: NotRequired[dict[str, Any]]
    """What the fields selected below it read, by response key, when a selection was projected (projection.py)."""


MEASURE = whole("Measure")


class MeasureRow(TypedDict):
    id: str
    type: str
    item: str
    means: str
    basis: str
    startsAt: datetime.date
    endsAt: datetime.date
    endReason: str | None
    subjectId: str
    implementedById: str
    historical: bool
    """Imported as REGULATORY or PUNITIVE, so taken before the platform served notices (Arts. 23-24): its notice, if
    any, is not in the platform."""
    underObjection: bool
    recordIds: list[str]
    listingId: str | None
    selected: NotRequired[dict[str, Any]]
    """What the fields selected below it read, by response key, when a selection was projected (projection.py)."""


VERSION = """{
    entity: 'RecordVersion', version: v.version, at: v.at, actorId: v.actorId, reason: v.reason, title: v.title,
    content: v.content, personalFields: c.personalFields, peopleRevealed: peopleRevealed, actorsShown: actorsShown,
    contentShown: contentShown
}"""
"""A version `v` of the record in `c`'s catalog item; the record's people and actors, and the version's title and
content, shown as decided for it."""


class VersionRow(TypedDict):
    """VERSION as it leaves the store: `actorId` null unless `actorsShown`, `title` and `content` null unless
    `contentShown`, `content` otherwise as for a record (rows.py)."""

    version: int
    at: datetime.datetime
    actorId: str | None
    reason: str
    title: str | None
    content: dict[str, Any] | None


class PurposeRow(TypedDict):
    code: str
    name: str
    categories: list[str]


DISCLOSED_DISHONESTY = """(s)<-[:ABOUT]-(r:Record {nature: 'DISHONEST'}) WHERE DISCLOSED_FILTER AND RECORD_FILTER"""
"""The dishonesty records about `s` that the viewer may read and that are disclosed today (Art. 35): the window is
the policy's, compiled (DISCLOSED_FILTER), never written here."""
STANDING_LISTING = "(s)<-[:OF]-(l:Listing) WHERE STANDING_FILTER AND LISTING_FILTER"
"""The listings of `s` on the serious-dishonesty list now that the viewer may read (Arts. 24, 35)."""


# --- subjects -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectSearch:
    name_contains: str | None = None
    kind: str | None = None
    city: str | None = None
    region: str | None = None

    def where(self) -> str:
        conditions = ["FINDABLE_FILTER"] + [
            condition
            for condition, present in (
                ("s.name CONTAINS $nameContains", self.name_contains is not None),
                ("s.kind = $kind", self.kind is not None),
                ("s.city = $city", self.city is not None),
                ("s.region = $region", self.region is not None),
                # A name finds a natural person only for viewers who may know who the person is in a list.
                ("(s.kind <> 'NATURAL_PERSON' OR LISTED_PERSON_FILTER)", self.name_contains is not None),
            )
            if present
        ]
        return " AND ".join(conditions)

    def params(self) -> dict[str, Any]:
        return {"nameContains": self.name_contains, "kind": self.kind, "city": self.city, "region": self.region}


@dataclass(frozen=True)
class SubjectPage:
    subjects: list[SubjectRow]
    more: bool
    """Whether subjects follow the page: found without reading the one that follows, so it is not logged."""


async def subjects_page(
    store: Store,
    search: SubjectSearch,
    first: int,
    after_id: str | None,
    filters: ReadFilter,
    selection: Selection | None = None,
) -> SubjectPage:
    """Up to `first` subjects in id order after `after_id`, and whether more follow. With a `selection`, each with
    what it selects below it (graph_store/projection.py).

    Ids are random: listed in code order, a page's masked persons would tell where resident IDs lie. A natural
    person is shown as the viewer may see it in a list (LISTED_PERSON_FILTER: an agency, masked).
    """
    projection = Projection()
    below, subject = projection.project("ListedSubject", selection or {})
    query = f"""
        MATCH (s:Subject)
        WHERE {search.where()} AND s.id > $after
        WITH s ORDER BY s.id
        LIMIT $first + 1
        WITH collect(s) AS found
        {first_of("$first", "s", below, subject)}
        RETURN page, size(found) > $first AS more
    """
    text, params = filters.applied(query)
    rows = await store.read(text, **search.params(), after=after_id or "", first=first, **projection.params, **params)
    return SubjectPage(subjects=projection.restored(rows[0]["page"]), more=rows[0]["more"])


async def count_subjects(store: Store, search: SubjectSearch, filters: ReadFilter) -> int:
    query = f"MATCH (s:Subject) WHERE {search.where()} RETURN count(s) AS total"
    text, params = filters.applied(query)
    rows = await store.read(text, **search.params(), **params)
    return int(rows[0]["total"])


async def count_all_subjects(store: Store) -> int:
    rows = await store.read(f"MATCH (s:Subject) WHERE {published('s')} RETURN count(s) AS total")
    return int(rows[0]["total"])


async def findable_subjects_by_code(
    store: Store, codes: list[str], filters: ReadFilter, selection: Selection | None = None
) -> dict[str, SubjectRow]:
    """The subjects with these codes that the viewer may find; an unknown code and one it may not find alike."""
    return await findable_subjects(store, "MATCH (s:Subject {code: key})", codes, filters, selection)


async def findable_subjects_by_id(
    store: Store, ids: list[str], filters: ReadFilter, selection: Selection | None = None
) -> dict[str, SubjectRow]:
    """The subjects with these ids that the viewer may find; an unknown id and one it may not find alike."""
    return await findable_subjects(store, "MATCH (s:Subject {id: key})", ids, filters, selection)


async def findable_subjects(
    store: Store, match: str, keys: list[str], filters: ReadFilter, selection: Selection | None = None
) -> dict[str, SubjectRow]:
    """The subject `match` finds for each key, by the key, if the viewer may find it: one rule (FINDABLE_FILTER)
    and one projection whatever the key, so a subject is found by its id exactly as by its code. With a
    `selection`, each with what it selects below it (graph_store/projection.py)."""
    projection = Projection()
    below, subject = projection.project("Subject", selection or {})
    query = f"""
        UNWIND $keys AS key
        {match}
        WHERE FINDABLE_FILTER
        {below}
        RETURN key, {subject} AS subject
    """
    text, params = filters.applied(query)
    rows = await store.read(text, keys=keys, **projection.params, **params)
    return {row["key"]: projection.restored(row["subject"]) for row in rows}


async def subjects_by_id(store: Store, ids: list[str], filters: ReadFilter) -> dict[str, SubjectRow]:
    """Subjects reached through something the viewer already sees (a record, a listing, a representation)."""
    query = f"UNWIND $ids AS id MATCH (s:Subject {{id: id}}) RETURN id, {SUBJECT} AS subject"
    text, params = filters.applied(query)
    rows = await store.read(text, ids=ids, **params)
    return {row["id"]: row["subject"] for row in rows}


async def dishonest_subjects(store: Store, ids: list[str], *, filters: ReadFilter) -> dict[str, bool]:
    """Which of the subjects stand listed or have dishonesty records disclosed today, as far as the viewer may see:
    what the risk network counts and the relationship picture rings red."""
    query = f"""
        UNWIND $ids AS id
        MATCH (s:Subject {{id: id}})
        RETURN collect([id, EXISTS {{ MATCH {DISCLOSED_DISHONESTY} }} OR EXISTS {{ MATCH {STANDING_LISTING} }}])
               AS marks
    """
    text, params = filters.applied(query)
    rows = await store.read(text, ids=ids, **params)
    return dict(rows[0]["marks"])


async def current_representatives(store: Store, org_ids: list[str], filters: ReadFilter) -> dict[str, SubjectRow]:
    """The natural person who represents each organization now (the term without an end)."""
    query = f"""
        UNWIND $ids AS id
        MATCH (:Subject {{id: id}})<-[rep:REPRESENTS]-(s:Subject)
        WHERE rep.until IS NULL
        RETURN id, {SUBJECT} AS subject
    """
    text, params = filters.applied(query)
    rows = await store.read(text, ids=org_ids, **params)
    return {row["id"]: row["subject"] for row in rows}


async def represented_organizations(
    store: Store, person_ids: list[str], filters: ReadFilter
) -> dict[str, list[SubjectRow]]:
    """The organizations each person represents now, in code order."""
    query = f"""
        UNWIND $ids AS id
        MATCH (:Subject {{id: id}})-[rep:REPRESENTS]->(s:Subject)
        WHERE rep.until IS NULL
        WITH id, s ORDER BY s.code
        RETURN id, collect({SUBJECT})[..$most] AS subjects
    """
    text, params = filters.applied(query)
    rows = await store.read(text, ids=person_ids, most=MOST_LISTED, **params)
    return {row["id"]: row["subjects"] for row in rows}


# --- records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordPage:
    records: list[RecordRow]
    total: int
    more: bool = False
    """Whether records follow the page: found without reading the one that follows, so it is not logged."""


RecordCursor = tuple[datetime.date, str]
"""Records are listed newest first, then by id: (confirmedAt, id) of the last one seen."""


async def records_of_subjects(
    store: Store,
    subject_ids: list[str],
    *,
    category: str | None,
    first: int,
    after: RecordCursor | None,
    filters: ReadFilter,
) -> dict[str, RecordPage]:
    """A page of each subject's visible records, whether more follow, and how many there are in all: one query for
    all subjects."""
    text, params = filters.applied(
        f"""
        UNWIND $ids AS id
        MATCH (s:Subject {{id: id}})
        CALL (s) {{
            MATCH (s)<-[:ABOUT]-(r:Record)
            WHERE ($category IS NULL OR r.category = $category) AND RECORD_FILTER
            RETURN count(r) AS total
        }}
        CALL (s) {{
            MATCH (s)<-[:ABOUT]-(r:Record)
            WHERE ($category IS NULL OR r.category = $category) AND RECORD_FILTER
              AND ($afterDate IS NULL OR r.confirmedAt < $afterDate
                   OR (r.confirmedAt = $afterDate AND r.id > $afterId))
            WITH r ORDER BY r.confirmedAt DESC, r.id
            LIMIT $first + 1
            RETURN collect(r) AS found
        }}
        {
            first_of(
                "$first",
                "r",
                "MATCH (r)-[:PROVIDED_BY]->(p:Provider) MATCH (r)-[:UNDER]->(c:CatalogItem)",
                RECORD,
                ", s",
            )
        }
        RETURN id, total, page AS records, size(found) > $first AS more
        """
    )
    rows = await store.read(
        text,
        ids=subject_ids,
        category=category,
        first=first,
        afterDate=after[0] if after else None,
        afterId=after[1] if after else None,
        **params,
    )
    return {row["id"]: RecordPage(records=row["records"], total=row["total"], more=row["more"]) for row in rows}


async def records_by_id(
    store: Store, ids: list[str], filters: ReadFilter, selection: Selection | None = None
) -> dict[str, RecordRow]:
    """The records the viewer may read, by id. With a `selection` (a root's), each with what it selects below it
    and its content only if selected (graph_store/projection.py); without (a loader's, for askers whose selections
    differ), whole."""
    projection = Projection()
    below, record = ("", RECORD) if selection is None else projection.project("Record", selection)
    text, params = filters.applied(
        f"""
        UNWIND $ids AS id
        MATCH (r:Record {{id: id}})
        WHERE RECORD_FILTER
        MATCH (r)-[:ABOUT]->(s:Subject)
        MATCH (r)-[:PROVIDED_BY]->(p:Provider)
        MATCH (r)-[:UNDER]->(c:CatalogItem)
        {below}
        RETURN id, {record} AS record
        """
    )
    rows = await store.read(text, ids=ids, **projection.params, **params)
    return {row["id"]: projection.restored(row["record"]) for row in rows}


async def documents_of_records(store: Store, record_ids: list[str]) -> dict[str, list[DocumentRow]]:
    """The legal documents each record is based on (the caller already may see the records)."""
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (:Record {{id: id}})-[:BASED_ON]->(d:Document)-[:ISSUED_BY]->(issuer:Provider)
        WITH id, d, issuer ORDER BY d.issuedAt, d.id
        RETURN id, collect({DOCUMENT})[..$most] AS documents
        """,
        ids=record_ids,
        most=MOST_LISTED,
    )
    return {row["id"]: row["documents"] for row in rows}


async def versions_of_records(store: Store, record_ids: list[str], filters: ReadFilter) -> dict[str, list[VersionRow]]:
    """Every version of each record, oldest first, the last being the record as it is now (the caller already may
    see the records). Who made each is shown, the people the content names in full, and what the earlier versions
    said (the last is the record, which the caller may read), as the filters decide."""
    query = f"""
        UNWIND $ids AS id
        MATCH (r:Record {{id: id}})-[:UNDER]->(c:CatalogItem)
        WITH id, r, c, PEOPLE_FILTER AS peopleRevealed, ACTORS_FILTER AS actorsShown, EARLIER_FILTER AS earlierShown
        WITH id, COLLECT {{
            MATCH (r)-[:PREVIOUS]->(v:RecordVersion)
            WITH v, c, peopleRevealed, actorsShown, earlierShown AS contentShown
            RETURN {VERSION} AS version ORDER BY v.version
        }} + COLLECT {{
            UNWIND [{{version: r.version, at: r.versionAt, actorId: r.versionActorId, reason: r.versionReason,
                      title: r.title, content: r.content}}] AS v
            WITH v, c, peopleRevealed, actorsShown, true AS contentShown
            RETURN {VERSION} AS version
        }} AS all
        RETURN id, all[-$most..] AS versions
    """
    text, params = filters.applied(query)
    rows = await store.read(text, ids=record_ids, most=MOST_LISTED, **params)
    return {row["id"]: row["versions"] for row in rows}


async def query_purpose_codes(store: Store) -> set[str]:
    """The query application catalog (Art. 20)."""
    rows = await store.read(f"MATCH (q:QueryPurpose) WHERE {published('q')} RETURN q.code AS code")
    return {row["code"] for row in rows}


PURPOSE = "q {.code, .name, categories: coalesce(q.categories, $everyCategory)}"
"""A purpose with the record categories it serves (Arts. 20-21): every category where its catalog line names none."""
EVERY_CATEGORY = [category.value for category in Category]


async def query_purpose_categories(store: Store) -> dict[str, tuple[str, ...]]:
    """The query application catalog (Art. 20): each purpose's code, with the record categories it serves."""
    rows = await store.read(
        f"MATCH (q:QueryPurpose) WHERE {published('q')} RETURN {PURPOSE} AS purpose", everyCategory=EVERY_CATEGORY
    )
    return {row["purpose"]["code"]: tuple(row["purpose"]["categories"]) for row in rows}


async def query_purposes(store: Store) -> list[PurposeRow]:
    """The query application catalog (Art. 20), published: every purpose, by code. Reference data, no credit data:
    the rows carry no entity tag, so reading them writes no access-log entry."""
    rows = await store.read(
        f"MATCH (q:QueryPurpose) WHERE {published('q')} RETURN {PURPOSE} AS purpose ORDER BY q.code",
        everyCategory=EVERY_CATEGORY,
    )
    return [row["purpose"] for row in rows]


async def query_purpose(store: Store, code: str) -> PurposeRow | None:
    """A purpose of the query application catalog (Art. 20), as the catalog names it."""
    rows = await store.read(
        f"MATCH (q:QueryPurpose {{code: $code}}) WHERE {published('q')} RETURN {PURPOSE} AS purpose",
        code=code,
        everyCategory=EVERY_CATEGORY,
    )
    return rows[0]["purpose"] if rows else None


# --- providers, catalog, measures ---------------------------------------------------------


@dataclass(frozen=True)
class ProviderSearch:
    name_contains: str | None = None
    type: str | None = None

    def where(self) -> str:
        conditions = [
            condition
            for condition, present in (
                ("p.name CONTAINS $nameContains", self.name_contains is not None),
                ("p.type = $type", self.type is not None),
            )
            if present
        ]
        return " AND ".join([published("p"), *conditions])

    def params(self) -> dict[str, Any]:
        return {"nameContains": self.name_contains, "type": self.type}


async def providers_page(store: Store, search: ProviderSearch, first: int, after_id: str | None) -> list[ProviderRow]:
    """Up to `first` providers in id order after `after_id`; ask for one more to know if a next page exists.
    Providers are public bodies and organizations: everyone reads them, as `provider_by_code` does."""
    rows = await store.read(
        f"""
        MATCH (p:Provider)
        WHERE {search.where()} AND p.id > $after
        WITH p ORDER BY p.id
        LIMIT $first
        RETURN {PROVIDER} AS provider
        """,
        **search.params(),
        after=after_id or "",
        first=first,
    )
    return [row["provider"] for row in rows]


async def count_providers(store: Store, search: ProviderSearch) -> int:
    rows = await store.read(f"MATCH (p:Provider) WHERE {search.where()} RETURN count(p) AS total", **search.params())
    return int(rows[0]["total"])


async def providers_by_id(store: Store, ids: list[str]) -> dict[str, ProviderRow]:
    rows = await store.read(
        f"UNWIND $ids AS id MATCH (p:Provider {{id: id}}) WHERE {published('p')} RETURN id, {PROVIDER} AS provider",
        ids=ids,
    )
    return {row["id"]: row["provider"] for row in rows}


async def provider_by_code(store: Store, code: str) -> ProviderRow | None:
    rows = await store.read(
        f"MATCH (p:Provider {{code: $code}}) WHERE {published('p')} RETURN {PROVIDER} AS provider",
        code=code,
    )
    return rows[0]["provider"] if rows else None


async def catalog(store: Store) -> list[CatalogItemRow]:
    rows = await store.read(
        f"""
        MATCH (c:CatalogItem)-[:SUPPLIED_BY]->(p:Provider)
        WHERE {published("c")}
        RETURN {CATALOG_ITEM} AS item ORDER BY c.id
        """
    )
    return [row["item"] for row in rows]


async def catalog_items_by_id(store: Store, ids: list[str]) -> dict[str, CatalogItemRow]:
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (c:CatalogItem {{id: id}})-[:SUPPLIED_BY]->(p:Provider)
        WHERE {published("c")}
        RETURN id, {CATALOG_ITEM} AS item
        """,
        ids=ids,
    )
    return {row["id"]: row["item"] for row in rows}


async def measures_by_id(store: Store, measure_ids: list[str], filters: ReadFilter) -> dict[str, MeasureRow]:
    """The measures the viewer may read, by id (one query for a page of objections or a read-back)."""
    text, params = filters.applied(f"UNWIND $ids AS id MATCH {MEASURES} AND m.id = id RETURN id, {MEASURE} AS measure")
    rows = await store.read(text, ids=measure_ids, **params)
    return {row["id"]: row["measure"] for row in rows}


async def measures_of_subjects(
    store: Store, subject_ids: list[str], filters: ReadFilter
) -> dict[str, list[MeasureRow]]:
    """The measures each subject has that the viewer may read (policy.polar, "reading a measure")."""
    text, params = filters.applied(
        f"""
        UNWIND $ids AS id
        MATCH {MEASURES} AND s.id = id
        WITH id, s, m, p ORDER BY m.startsAt DESC, m.id
        RETURN id, collect({MEASURE})[..$most] AS measures
        """
    )
    rows = await store.read(text, ids=subject_ids, most=MOST_LISTED, **params)
    return {row["id"]: row["measures"] for row in rows}
