"""Read queries for the API: one query per purpose, batched by id list for the DataLoaders.

Every query that returns records takes the caller's record `Predicate`, pasted
where the text says RECORD_FILTER, so what a viewer may not see never leaves
Neo4j. Every query that returns subjects takes the identity `Predicate` (who
may know which natural person a subject is), pasted at IDENTITY_FILTER: each
subject row says whether it is `revealed`. Batch queries take a list of ids and
return rows keyed by those ids.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from .connection import Row, Store
from .predicate import Predicate

SUBJECT = "s {.id, .code, .name, .kind, .region, revealed: (IDENTITY_FILTER)}"
PROVIDER = "p {.id, .code, .name, .publicity, .type, .region}"
RECORD = """r {
    .id, .title, .category, .nature, .severity, .publicity, .disclosureMode, .confirmedAt,
    .disclosureUntil, .status, .underObjection, .content, .version, .versionAt, .versionActorId,
    .versionReason, .subjectCode, .providerCode, subjectId: s.id, providerId: p.id, catalogItemId: c.id
}"""
CATALOG_ITEM = "c {.id, .name, .category, .publicity, .disclosureMode, .dataFormat, providerId: p.id}"
DOCUMENT = "d {.id, .type, .number, .issuedAt, .status, issuerId: issuer.id}"
MEASURE = """m {
    .id, .type, .item, .means, .basis, .startsAt, .endsAt, .endReason, subjectId: s.id, implementedById: p.id,
    recordIds: COLLECT { MATCH (m)-[:BECAUSE_OF]->(r:Record) RETURN r.id ORDER BY r.id },
    listingId: COLLECT { MATCH (m)-[:UNDER_LISTING]->(l:Listing) RETURN l.id }[0]
}"""
VERSION = "v {.version, .at, .actorId, .reason, .title, .content}"


DISCLOSED_DISHONESTY = """(s)<-[:ABOUT]-(r:Record {nature: 'DISHONEST', status: 'ACTIVE'})
    WHERE r.confirmedAt <= $today AND (r.disclosureUntil IS NULL OR r.disclosureUntil >= $today) AND (RECORD_FILTER)"""
"""The dishonesty records about `s` that the viewer may read and that are disclosed today (Art. 35)."""
STANDING_LISTING = "(s)<-[:OF]-(l:Listing {status: 'ACTIVE'}) WHERE LISTING_FILTER"
"""The listings of `s` on the serious-dishonesty list now that the viewer may read (Art. 24)."""


def with_filters(
    query: str,
    *,
    records: Predicate | None = None,
    identity: Predicate | None = None,
    listings: Predicate | None = None,
) -> str:
    for placeholder, predicate in (
        ("RECORD_FILTER", records),
        ("IDENTITY_FILTER", identity),
        ("LISTING_FILTER", listings),
    ):
        if predicate is not None:
            query = query.replace(placeholder, predicate.text)
    return query


# --- subjects -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectSearch:
    name_contains: str | None = None
    kind: str | None = None
    city: str | None = None
    region: str | None = None

    def where(self) -> str:
        conditions = [
            condition
            for condition, present in (
                ("s.name CONTAINS $nameContains", self.name_contains is not None),
                ("s.kind = $kind", self.kind is not None),
                ("s.city = $city", self.city is not None),
                ("s.region = $region", self.region is not None),
                # A name finds a natural person only for viewers who may know who the person is.
                ("(s.kind <> 'NATURAL_PERSON' OR (IDENTITY_FILTER))", self.name_contains is not None),
            )
            if present
        ]
        return " AND ".join(conditions) or "true"

    def params(self) -> dict[str, Any]:
        return {"nameContains": self.name_contains, "kind": self.kind, "city": self.city, "region": self.region}


async def subjects_page(
    store: Store, search: SubjectSearch, first: int, after_code: str | None, identity: Predicate
) -> list[Row]:
    """Up to `first` subjects in code order after `after_code`; ask for one more to know if a next page exists."""
    query = f"""
        MATCH (s:Subject)
        WHERE {search.where()} AND s.code > $after
        WITH s ORDER BY s.code
        LIMIT $first
        RETURN {SUBJECT} AS subject
    """
    rows = await store.read(
        with_filters(query, identity=identity),
        **search.params(),
        after=after_code or "",
        first=first,
        **identity.params,
    )
    return [row["subject"] for row in rows]


async def count_subjects(store: Store, search: SubjectSearch, identity: Predicate) -> int:
    query = f"MATCH (s:Subject) WHERE {search.where()} RETURN count(s) AS total"
    rows = await store.read(with_filters(query, identity=identity), **search.params(), **identity.params)
    return int(rows[0]["total"])


async def count_all_subjects(store: Store) -> int:
    rows = await store.read("MATCH (s:Subject) RETURN count(s) AS total")
    return int(rows[0]["total"])


async def subjects_by_code(store: Store, codes: list[str], identity: Predicate) -> dict[str, Row]:
    query = f"UNWIND $codes AS code MATCH (s:Subject {{code: code}}) RETURN code, {SUBJECT} AS subject"
    rows = await store.read(with_filters(query, identity=identity), codes=codes, **identity.params)
    return {row["code"]: row["subject"] for row in rows}


async def subjects_by_id(store: Store, ids: list[str], identity: Predicate) -> dict[str, Row]:
    query = f"UNWIND $ids AS id MATCH (s:Subject {{id: id}}) RETURN id, {SUBJECT} AS subject"
    rows = await store.read(with_filters(query, identity=identity), ids=ids, **identity.params)
    return {row["id"]: row["subject"] for row in rows}


async def dishonest_subjects(
    store: Store, ids: list[str], *, records: Predicate, listings: Predicate, today: datetime.date
) -> dict[str, bool]:
    """Which of the subjects stand listed or have dishonesty records disclosed today, as far as the viewer may see:
    what the risk network counts and the relationship picture rings red."""
    rows = await store.read(
        with_filters(
            f"""
            UNWIND $ids AS id
            MATCH (s:Subject {{id: id}})
            RETURN collect([id, EXISTS {{ MATCH {DISCLOSED_DISHONESTY} }} OR EXISTS {{ MATCH {STANDING_LISTING} }}])
                   AS marks
            """,
            records=records,
            listings=listings,
        ),
        ids=ids,
        today=today,
        **records.params,
        **listings.params,
    )
    return dict(rows[0]["marks"])


async def current_representatives(store: Store, org_ids: list[str], identity: Predicate) -> dict[str, Row]:
    """The natural person who represents each organization now (the term without an end)."""
    query = f"""
        UNWIND $ids AS id
        MATCH (:Subject {{id: id}})<-[rep:REPRESENTS]-(s:Subject)
        WHERE rep.until IS NULL
        RETURN id, {SUBJECT} AS subject
    """
    rows = await store.read(with_filters(query, identity=identity), ids=org_ids, **identity.params)
    return {row["id"]: row["subject"] for row in rows}


async def represented_organizations(store: Store, person_ids: list[str], identity: Predicate) -> dict[str, list[Row]]:
    """The organizations each person represents now, in code order."""
    query = f"""
        UNWIND $ids AS id
        MATCH (:Subject {{id: id}})-[rep:REPRESENTS]->(s:Subject)
        WHERE rep.until IS NULL
        WITH id, s ORDER BY s.code
        RETURN id, collect({SUBJECT}) AS subjects
    """
    rows = await store.read(with_filters(query, identity=identity), ids=person_ids, **identity.params)
    return {row["id"]: row["subjects"] for row in rows}


# --- records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordPage:
    records: list[Row]
    total: int


RecordCursor = tuple[datetime.date, str]
"""Records are listed newest first, then by id: (confirmedAt, id) of the last one seen."""


async def records_of_subjects(
    store: Store,
    subject_ids: list[str],
    *,
    category: str | None,
    first: int,
    after: RecordCursor | None,
    visible: Predicate,
) -> dict[str, RecordPage]:
    """A page of each subject's visible records, and how many there are in all: one query for all subjects."""
    query = with_filters(
        f"""
        UNWIND $ids AS id
        MATCH (s:Subject {{id: id}})
        CALL (s) {{
            MATCH (s)<-[:ABOUT]-(r:Record)
            WHERE ($category IS NULL OR r.category = $category) AND (RECORD_FILTER)
            RETURN count(r) AS total
        }}
        CALL (s) {{
            MATCH (s)<-[:ABOUT]-(r:Record)
            WHERE ($category IS NULL OR r.category = $category) AND (RECORD_FILTER)
              AND ($afterDate IS NULL OR r.confirmedAt < $afterDate
                   OR (r.confirmedAt = $afterDate AND r.id > $afterId))
            WITH r ORDER BY r.confirmedAt DESC, r.id
            LIMIT $first
            MATCH (r)-[:PROVIDED_BY]->(p:Provider)
            MATCH (r)-[:UNDER]->(c:CatalogItem)
            RETURN collect({RECORD}) AS records
        }}
        RETURN id, total, records
        """,
        records=visible,
    )
    rows = await store.read(
        query,
        ids=subject_ids,
        category=category,
        first=first,
        afterDate=after[0] if after else None,
        afterId=after[1] if after else None,
        **visible.params,
    )
    return {row["id"]: RecordPage(records=row["records"], total=row["total"]) for row in rows}


async def records_by_id(store: Store, ids: list[str], visible: Predicate) -> dict[str, Row]:
    query = with_filters(
        f"""
        UNWIND $ids AS id
        MATCH (r:Record {{id: id}})
        WHERE RECORD_FILTER
        MATCH (r)-[:ABOUT]->(s:Subject)
        MATCH (r)-[:PROVIDED_BY]->(p:Provider)
        MATCH (r)-[:UNDER]->(c:CatalogItem)
        RETURN id, {RECORD} AS record
        """,
        records=visible,
    )
    rows = await store.read(query, ids=ids, **visible.params)
    return {row["id"]: row["record"] for row in rows}


async def documents_of_records(store: Store, record_ids: list[str]) -> dict[str, list[Row]]:
    """The legal documents each record is based on (the caller already may see the records)."""
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (:Record {{id: id}})-[:BASED_ON]->(d:Document)-[:ISSUED_BY]->(issuer:Provider)
        WITH id, d, issuer ORDER BY d.issuedAt, d.id
        RETURN id, collect({DOCUMENT}) AS documents
        """,
        ids=record_ids,
    )
    return {row["id"]: row["documents"] for row in rows}


async def earlier_versions_of_records(store: Store, record_ids: list[str]) -> dict[str, list[Row]]:
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (:Record {{id: id}})-[:PREVIOUS]->(v:RecordVersion)
        WITH id, v ORDER BY v.version
        RETURN id, collect({VERSION}) AS versions
        """,
        ids=record_ids,
    )
    return {row["id"]: row["versions"] for row in rows}


async def query_purpose_codes(store: Store) -> set[str]:
    """The query application catalog (Art. 20)."""
    rows = await store.read("MATCH (q:QueryPurpose) RETURN q.code AS code")
    return {row["code"] for row in rows}


# --- providers, catalog, measures ---------------------------------------------------------


async def providers_by_id(store: Store, ids: list[str]) -> dict[str, Row]:
    rows = await store.read(
        f"UNWIND $ids AS id MATCH (p:Provider {{id: id}}) RETURN id, {PROVIDER} AS provider",
        ids=ids,
    )
    return {row["id"]: row["provider"] for row in rows}


async def provider_by_code(store: Store, code: str) -> Row | None:
    rows = await store.read(
        f"MATCH (p:Provider {{code: $code}}) RETURN {PROVIDER} AS provider",
        code=code,
    )
    return rows[0]["provider"] if rows else None


async def catalog(store: Store) -> list[Row]:
    rows = await store.read(
        f"""
        MATCH (c:CatalogItem)-[:SUPPLIED_BY]->(p:Provider)
        RETURN {CATALOG_ITEM} AS item ORDER BY c.id
        """
    )
    return [row["item"] for row in rows]


async def catalog_items_by_id(store: Store, ids: list[str]) -> dict[str, Row]:
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (c:CatalogItem {{id: id}})-[:SUPPLIED_BY]->(p:Provider)
        RETURN id, {CATALOG_ITEM} AS item
        """,
        ids=ids,
    )
    return {row["id"]: row["item"] for row in rows}


async def measure_by_id(store: Store, measure_id: str) -> Row | None:
    rows = await store.read(
        f"""
        MATCH (s:Subject)<-[:APPLIED_TO]-(m:Measure {{id: $id}})-[:IMPLEMENTED_BY]->(p:Provider)
        RETURN {MEASURE} AS measure
        """,
        id=measure_id,
    )
    return rows[0]["measure"] if rows else None


async def measures_of_subjects(store: Store, subject_ids: list[str]) -> dict[str, list[Row]]:
    """Measures are published (Art. 19): every viewer may read them."""
    rows = await store.read(
        f"""
        UNWIND $ids AS id
        MATCH (s:Subject {{id: id}})<-[:APPLIED_TO]-(m:Measure)-[:IMPLEMENTED_BY]->(p:Provider)
        WITH id, s, m, p ORDER BY m.startsAt DESC, m.id
        RETURN id, collect({MEASURE}) AS measures
        """,
        ids=subject_ids,
    )
    return {row["id"]: row["measures"] for row in rows}
