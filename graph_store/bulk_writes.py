"""The Cypher behind import: what already exists, and the upserts, one query per kind.

Every upsert MERGEs on the object's id or code, so importing the same file twice
changes nothing. A record whose content changes keeps its old version as a
`RecordVersion`; nothing is overwritten without a trace. Records and consents
also keep the codes they link to as properties (they never change), which the
policy compares without a traversal.
"""

import asyncio
import contextlib
import datetime
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, LiteralString

from neo4j.exceptions import TransientError

from .catalog import UPSERT_CATALOG_ITEMS, UPSERT_PROVIDERS, catalog_item_row
from .connection import ShownRuns, Store, Transaction
from .measures import UPDATE_DISCLOSURE_UNTIL
from .predicate import published
from .record_versions import KEEP_CURRENT_VERSION, content_hash
from .versions import keep_versions

logger = logging.getLogger("credit_graph.import")

BATCH = 5000
STAGE_FROM = 250_000
"""New objects from which an import stages them: one transaction holding a file's every new property would outgrow
the heap (docs/performance.md, "Intake"); below it, one transaction is faster (staging reads the file once more and
unmarks every object afterwards: 37-40 s against 24-34 s for the 100,000-record file)."""

EXISTING: dict[str, LiteralString] = {
    "provider": f"""
        UNWIND $keys AS key
        MATCH (p:Provider {{code: key}}) USING INDEX SEEK p:Provider(code) WHERE {published("p")}
        RETURN collect([key, {{publicity: p.publicity, type: p.type}}]) AS found
    """,
    "subject": f"""
        UNWIND $keys AS key
        MATCH (s:Subject {{code: key}}) USING INDEX SEEK s:Subject(code) WHERE {published("s")}
        RETURN collect([key, {{kind: s.kind, subjectKind: s.kind, name: s.name, region: s.region,
                     parentCode: COLLECT {{ MATCH (s)-[:BRANCH_OF]->(p:Subject) RETURN p.code }}[0]}}]) AS found
    """,
    "queryPurpose": f"""
        UNWIND $keys AS key
        MATCH (q:QueryPurpose {{code: key}}) USING INDEX SEEK q:QueryPurpose(code) WHERE {published("q")}
        RETURN collect([key, {{}}]) AS found
    """,
    "catalogItem": f"""
        UNWIND $keys AS key
        MATCH (c:CatalogItem {{id: key}})-[:SUPPLIED_BY]->(p:Provider)
        USING INDEX SEEK c:CatalogItem(id) WHERE {published("c")}
        RETURN collect([key, {{providerCode: p.code, name: c.name, category: c.category, publicity: c.publicity,
                     disclosureMode: c.disclosureMode, dataFormat: c.dataFormat, subjectKinds: c.subjectKinds,
                     repairable: c.repairable}}]) AS found
    """,
    "document": f"""
        UNWIND $keys AS key
        MATCH (d:Document {{id: key}})-[:CONCERNS]->(s:Subject) USING INDEX SEEK d:Document(id) WHERE {published("d")}
        RETURN collect([key, {{subjectCode: s.code, issuerCode: d.issuerCode, type: d.type, number: d.number,
                     issuedAt: toString(d.issuedAt), status: d.status}}]) AS found
    """,
    "record": f"""
        UNWIND $keys AS key
        MATCH (r:Record {{id: key}}) USING INDEX SEEK r:Record(id) WHERE {published("r")}
        MATCH (r)-[:ABOUT]->(s:Subject)
        MATCH (r)-[:PROVIDED_BY]->(p:Provider)
        MATCH (r)-[:UNDER]->(c:CatalogItem)
        RETURN collect([key, {{subjectCode: s.code, providerCode: p.code, catalogItemId: c.id,
                     nature: r.nature, severity: r.severity, contentHash: r.contentHash}}]) AS found
    """,
    "measure": f"""
        UNWIND $keys AS key
        MATCH (m:Measure {{id: key}})-[:APPLIED_TO]->(s:Subject) USING INDEX SEEK m:Measure(id) WHERE {published("m")}
        RETURN collect([key, {{subjectCode: s.code, implementedByCode: m.implementedByCode, type: m.type,
                     item: m.item, means: m.means, basis: m.basis, startsAt: toString(m.startsAt),
                     endsAt: toString(m.endsAt), originalEndsAt: toString(m.originalEndsAt), endReason: m.endReason,
                     recordIds: COLLECT {{ MATCH (m)-[:BECAUSE_OF]->(r:Record) RETURN r.id }}}}]) AS found
    """,
    "consent": f"""
        UNWIND $keys AS key
        MATCH (s:Subject)<-[:GRANTED_BY]-(c:Consent {{id: key}})-[:GRANTED_TO]->(p:Provider)
        USING INDEX SEEK c:Consent(id) WHERE {published("c")}
        RETURN collect([key, {{subjectCode: s.code, granteeCode: p.code, purpose: c.purpose, categories: c.categories,
                     validFrom: toString(c.validFrom), validUntil: toString(c.validUntil)}}]) AS found
    """,
}
"""An unpublished import's objects are not there (they would be written twice, the constraints refusing the second).
One row per query, the pairs in one list, and dates as text: a row per key, and the driver's temporal types, cost
more in Python than the lookups do in Neo4j (docs/performance.md, "Intake"). Each seeks its keys in the key's index
by a hint: left to itself, Neo4j planned the document look-up, on a store one import had filled, as a scan of the
whole index for every key (40 s for 8,737 keys instead of 0.13 s)."""

DATES = {"document": ("issuedAt",), "measure": ("startsAt", "endsAt", "originalEndsAt")}
INSTANTS = {"consent": ("validFrom", "validUntil")}
KEYS_PER_QUERY = 50_000
READ_TIMEOUT = 600.0
"""Seconds an import's look-ups may take: an operator's command, not a request; a store still busy with a large
import's commit took over the requests' 30 s to look up 50,000 keys (docs/performance.md, "Intake")."""


def instant(text: str) -> datetime.datetime:
    """Neo4j's text of a DateTime (`...+08:00[Asia/Shanghai]` when it has a zone id) as an aware datetime."""
    return datetime.datetime.fromisoformat(text.partition("[")[0])


def typed(kind: str, value: dict[str, Any]) -> dict[str, Any]:
    for name in DATES.get(kind, ()):
        if value[name] is not None:
            value[name] = datetime.date.fromisoformat(value[name])
    for name in INSTANTS.get(kind, ()):
        if value[name] is not None:
            value[name] = instant(value[name])
    return value


async def fetch_existing(store: Store, keys: dict[str, list[str]]) -> dict[str, dict[str, dict[str, Any]]]:
    """What the store holds of these keys, by kind and key."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for kind, query in EXISTING.items():
        wanted = keys.get(kind, [])
        found[kind] = {}
        for start in range(0, len(wanted), KEYS_PER_QUERY):
            rows = await store.read(query, timeout_=READ_TIMEOUT, keys=wanted[start : start + KEYS_PER_QUERY])
            found[kind].update((key, typed(kind, value)) for key, value in rows[0]["found"])
    return found


async def fetch_relations(store: Store, org_codes: list[str], investee_codes: list[str]) -> dict[str, Any]:
    """The representations of these organizations and the shares held in these, to leave alone those a file
    repeats: `representations` as (person, role, organization), `investments` as (investor, investee) -> share, since.
    Its keys are sought in their index by a hint, as EXISTING's: unhinted, it took 52 s of a 100,000-record re-import.
    """
    rows = await store.read(
        """
        CALL () {
            UNWIND $orgCodes AS code
            MATCH (org:Subject {code: code})<-[rep:REPRESENTS]-(person:Subject)
            USING INDEX SEEK org:Subject(code)
            RETURN collect([person.code, rep.role, code]) AS representations
        }
        CALL () {
            UNWIND $investeeCodes AS code
            MATCH (investee:Subject {code: code})<-[i:INVESTS_IN]-(investor:Subject)
            USING INDEX SEEK investee:Subject(code)
            RETURN collect([investor.code, code, i.share, toString(i.since)]) AS investments
        }
        RETURN representations, investments
        """,
        timeout_=READ_TIMEOUT,
        orgCodes=org_codes,
        investeeCodes=investee_codes,
    )
    return {
        "representations": {tuple(found) for found in rows[0]["representations"]},
        "investments": {
            (investor, investee): (share, datetime.date.fromisoformat(since))
            for investor, investee, share, since in rows[0]["investments"]
        },
    }


async def fetch_collection_consents(store: Store, subject_codes: list[str], purpose: str) -> list[dict[str, Any]]:
    rows = await store.read(
        f"""
        UNWIND $codes AS code
        MATCH (s:Subject {{code: code}})<-[:GRANTED_BY]-(c:Consent {{purpose: $purpose}})-[:GRANTED_TO]->(p:Provider)
        USING INDEX SEEK s:Subject(code)
        WHERE {published("c")}
        RETURN collect({{id: c.id, subjectCode: s.code, granteeCode: p.code, categories: c.categories,
                        validFrom: toString(c.validFrom), validUntil: toString(c.validUntil),
                        status: c.status}}) AS found
        """,
        timeout_=READ_TIMEOUT,
        codes=subject_codes,
        purpose=purpose,
    )
    return [typed("consent", consent) for consent in rows[0]["found"]]


# --- upserts ------------------------------------------------------------------------------

UPSERT_QUERY_PURPOSES: LiteralString = """
    UNWIND $rows AS row
    MERGE (q:QueryPurpose {code: row.code})
    SET q.name = row.name, q.categories = row.categories
"""

UPSERT_SUBJECTS: LiteralString = """
    UNWIND $rows AS row
    MERGE (s:Subject {code: row.code})
      ON CREATE SET s.id = randomUUID(), s.kind = row.subjectKind
    SET s.name = row.name, s.region = row.region, s.city = row.city
"""

UPSERT_REPRESENTATIONS: LiteralString = """
    UNWIND $rows AS row
    MATCH (person:Subject {code: row.personCode})
    MATCH (org:Subject {code: row.orgCode})
    MERGE (person)-[rep:REPRESENTS {role: row.role}]->(org)
      ON CREATE SET rep.since = date(row.since)
"""

# Who holds a share of an organization (a person or another organization), and branches of organizations:
# the relations agencies follow in relationship lookups. Re-importing one updates it; it never duplicates.
UPSERT_INVESTMENTS: LiteralString = """
    UNWIND $rows AS row
    MATCH (investor:Subject {code: row.investorCode})
    MATCH (investee:Subject {code: row.investeeCode})
    MERGE (investor)-[i:INVESTS_IN]->(investee)
    SET i.share = row.share, i.since = date(row.since)
"""

UPSERT_BRANCHES: LiteralString = """
    UNWIND $rows AS row
    MATCH (branch:Subject {code: row.branchCode})
    MATCH (parent:Subject {code: row.parentCode})
    MERGE (branch)-[b:BRANCH_OF]->(parent)
    SET b.since = date(row.since)
"""

# An organization has one current representative: each one's term ends when the next begins.
CLOSE_SUPERSEDED_REPRESENTATIONS: LiteralString = """
    UNWIND $orgCodes AS code
    MATCH (:Subject {code: code})<-[rep:REPRESENTS]-(:Subject)
    WITH code, rep ORDER BY rep.since
    WITH code, collect(rep) AS terms
    UNWIND range(0, size(terms) - 1) AS i
    WITH terms[i] AS term, CASE WHEN i + 1 < size(terms) THEN terms[i + 1].since END AS nextSince
    SET term.until = nextSince
"""

UPSERT_DOCUMENTS: LiteralString = """
    UNWIND $rows AS row
    MATCH (issuer:Provider {code: row.issuerCode})
    MATCH (s:Subject {code: row.subjectCode})
    MERGE (d:Document {id: row.id})
      ON CREATE SET d.status = 'EFFECTIVE', d.issuerCode = row.issuerCode
    SET d.type = row.type, d.number = row.number, d.issuedAt = date(row.issuedAt)
    MERGE (d)-[:ISSUED_BY]->(issuer)
    MERGE (d)-[:CONCERNS]->(s)
"""

# A changed record keeps what it was: the current state becomes a RecordVersion first.
VERSION_CHANGED_RECORDS: LiteralString = (
    """
    UNWIND $rows AS row
    MATCH (r:Record {id: row.id})
    WHERE r.contentHash <> row.contentHash
    """
    + KEEP_CURRENT_VERSION
    + """
    SET r.title = row.title, r.content = row.content, r.nature = row.nature, r.severity = row.severity,
        r.confirmedAt = date(row.confirmedAt), r.contentHash = row.contentHash,
        r.disclosureBaseUntil = date(row.disclosureBaseUntil),
        r.version = r.version + 1, r.versionAt = $now, r.versionActorId = row.providerCode,
        r.versionReason = 're-imported with changes'
"""
)

CREATE_NEW_RECORDS: LiteralString = """
    UNWIND $rows AS row
    MATCH (s:Subject {code: row.subjectCode})
    MATCH (p:Provider {code: row.providerCode})
    MATCH (c:CatalogItem {id: row.catalogItemId})
    MERGE (r:Record {id: row.id})
      ON CREATE SET
        r.title = row.title, r.content = row.content, r.nature = row.nature, r.severity = row.severity,
        r.category = row.category, r.publicity = row.publicity, r.disclosureMode = row.disclosureMode,
        r.confirmedAt = date(row.confirmedAt), r.contentHash = row.contentHash,
        r.disclosureBaseUntil = date(row.disclosureBaseUntil), r.status = 'ACTIVE', r.underObjection = false,
        r.subjectCode = row.subjectCode, r.providerCode = row.providerCode,
        r.version = 1, r.versionAt = $now, r.versionActorId = row.providerCode, r.versionReason = 'imported'
    MERGE (r)-[:ABOUT]->(s)
    MERGE (r)-[:PROVIDED_BY]->(p)
    MERGE (r)-[:UNDER]->(c)
    WITH r, row
    UNWIND row.documentIds AS documentId
    MATCH (d:Document {id: documentId})
    MERGE (r)-[:BASED_ON]->(d)
"""

# A measure ended early (a repair, a revoked document) keeps its early end; one imported as REGULATORY or PUNITIVE
# came with no notice served through the API (Arts. 23-24), so it is shown as historical. One applied through the
# API (appliedAt) never is.
UPSERT_MEASURES: LiteralString = """
    UNWIND $rows AS row
    MATCH (s:Subject {code: row.subjectCode})
    MATCH (p:Provider {code: row.implementedByCode})
    MERGE (m:Measure {id: row.id})
    SET m.type = row.type, m.item = row.item, m.means = row.means, m.basis = row.basis,
        m.startsAt = date(row.startsAt),
        m.endsAt = CASE WHEN m.originalEndsAt IS NULL THEN date(row.endsAt) ELSE m.endsAt END,
        m.historical = m.appliedAt IS NULL AND row.type IN ['REGULATORY', 'PUNITIVE'],
        m.subjectCode = s.code, m.implementedByCode = p.code
    MERGE (m)-[:APPLIED_TO]->(s)
    MERGE (m)-[:IMPLEMENTED_BY]->(p)
    WITH m, row
    UNWIND row.recordIds AS recordId
    MATCH (r:Record {id: recordId})
    MERGE (m)-[:BECAUSE_OF]->(r)
"""

# A consent is its subject's act: re-import never changes its scope or validity (the importer refuses a line that
# would), so they are written once.
UPSERT_CONSENTS: LiteralString = """
    UNWIND $rows AS row
    MATCH (s:Subject {code: row.subjectCode})
    MATCH (p:Provider {code: row.granteeCode})
    MERGE (c:Consent {id: row.id})
      ON CREATE SET c.status = 'ACTIVE', c.subjectCode = row.subjectCode, c.granteeCode = row.granteeCode,
        c.purpose = row.purpose, c.categories = row.categories, c.validFrom = datetime(row.validFrom),
        c.validUntil = datetime(row.validUntil)
    MERGE (c)-[:GRANTED_BY]->(s)
    MERGE (c)-[:GRANTED_TO]->(p)
"""


# --- new objects: a line whose key the store does not hold is created, not merged (the importer refused duplicates;
# the constraints still refuse an object another writer created meanwhile, which fails the import). In a file with
# fewer than STAGE_FROM of them, in the import's one transaction; from STAGE_FROM on, staged (below).

NEW_PROPERTIES: dict[str, LiteralString] = {
    "provider": """{code: row.code, id: randomUUID(), name: row.name, publicity: row.publicity, type: row.type,
                    region: row.region}""",
    "queryPurpose": "{code: row.code, name: row.name, categories: row.categories}",
    "catalogItem": """{id: row.id, name: row.name, category: row.category, publicity: row.publicity,
                       disclosureMode: row.disclosureMode, dataFormat: row.dataFormat,
                       personalFields: row.personalFields, subjectKinds: row.subjectKinds,
                       repairable: coalesce(row.repairable, true)}""",
    "subject": """{code: row.code, id: randomUUID(), kind: row.subjectKind, name: row.name, region: row.region,
                   city: row.city}""",
    "document": """{id: row.id, status: 'EFFECTIVE', issuerCode: row.issuerCode, type: row.type, number: row.number,
                    issuedAt: date(row.issuedAt)}""",
    "record": """{
        id: row.id, title: row.title, content: row.content, nature: row.nature, severity: row.severity,
        category: row.category, publicity: row.publicity, disclosureMode: row.disclosureMode,
        confirmedAt: date(row.confirmedAt), contentHash: row.contentHash,
        disclosureBaseUntil: date(row.disclosureBaseUntil), disclosureUntil: date(row.disclosureUntil),
        status: 'ACTIVE', underObjection: false,
        subjectCode: row.subjectCode, providerCode: row.providerCode,
        version: 1, versionAt: $now, versionActorId: row.providerCode, versionReason: 'imported'
    }""",
    "measure": """{
        id: row.id, type: row.type, item: row.item, means: row.means, basis: row.basis,
        startsAt: date(row.startsAt), endsAt: date(row.endsAt), historical: row.type IN ['REGULATORY', 'PUNITIVE'],
        subjectCode: row.subjectCode, implementedByCode: row.implementedByCode
    }""",
    "consent": """{
        id: row.id, status: 'ACTIVE', subjectCode: row.subjectCode, granteeCode: row.granteeCode,
        purpose: row.purpose, categories: row.categories, validFrom: datetime(row.validFrom),
        validUntil: datetime(row.validUntil)
    }""",
}
"""A new object's properties, from its row: the same whether it is created at once or staged."""

NEW_LINKS: dict[str, tuple[LiteralString, LiteralString, LiteralString]] = {
    "provider": ("Provider", "", ""),
    "queryPurpose": ("QueryPurpose", "", ""),
    "catalogItem": ("CatalogItem", "MATCH (p:Provider {code: row.providerCode})", "CREATE (n)-[:SUPPLIED_BY]->(p)"),
    "subject": ("Subject", "", ""),
    "document": (
        "Document",
        "MATCH (issuer:Provider {code: row.issuerCode}) MATCH (s:Subject {code: row.subjectCode})",
        "CREATE (n)-[:ISSUED_BY]->(issuer), (n)-[:CONCERNS]->(s)",
    ),
    "record": (
        "Record",
        """MATCH (s:Subject {code: row.subjectCode}) MATCH (p:Provider {code: row.providerCode})
           MATCH (c:CatalogItem {id: row.catalogItemId})""",
        """CREATE (n)-[:ABOUT]->(s), (n)-[:PROVIDED_BY]->(p), (n)-[:UNDER]->(c)
           WITH n, row
           CALL (n, row) {
               UNWIND row.documentIds AS documentId
               MATCH (d:Document {id: documentId})
               CREATE (n)-[:BASED_ON]->(d)
           }""",
    ),
    "measure": (
        "Measure",
        "MATCH (s:Subject {code: row.subjectCode}) MATCH (p:Provider {code: row.implementedByCode})",
        """CREATE (n)-[:APPLIED_TO]->(s), (n)-[:IMPLEMENTED_BY]->(p)
           WITH n, row
           CALL (n, row) {
               UNWIND row.recordIds AS recordId
               MATCH (r:Record {id: recordId})
               CREATE (n)-[:BECAUSE_OF]->(r)
           }""",
    ),
    "consent": (
        "Consent",
        "MATCH (s:Subject {code: row.subjectCode}) MATCH (p:Provider {code: row.granteeCode})",
        "CREATE (n)-[:GRANTED_BY]->(s), (n)-[:GRANTED_TO]->(p)",
    ),
}
"""A new object's label, what it links to (matched from its row) and the relationships it gets."""

CREATE: dict[str, LiteralString] = {
    kind: "UNWIND $rows AS row " + matches + " CREATE (n:" + label + " " + NEW_PROPERTIES[kind] + ") " + links
    for kind, (label, matches, links) in NEW_LINKS.items()
}
"""New objects of every kind are created, never merged: a MERGE would take an unpublished import's staged provider,
purpose or catalog item of the same key for a published one, and hang this import's records from what that import's
failure removes; the constraint refuses it instead, failing this import."""


# --- new objects, staged: written as they come, in transactions of their own, with their labels, properties and
# links, and marked `Staged` and linked to their `ImportRun`; the import's one last transaction publishes them all
# by setting the run's `published`, whatever their number, and then they are unhooked from the run in batches. Until
# then every read ignores them (graph_store/predicate.py, `published`). If anything fails, what was staged is
# removed. Publishing by one change is what bounds the last transaction: relabelling or linking a file's objects
# there outgrew the heap (docs/performance.md, "Intake"). The constraints refuse an object another writer created
# meanwhile, which fails the import.

START_RUN: LiteralString = "CREATE (:ImportRun {id: $importId, startedAt: $now, published: false})"

STAGE: dict[str, LiteralString] = {
    kind: "MATCH (run:ImportRun {id: $importId, published: false}) UNWIND $rows AS row "
    + matches
    + " CREATE (n:"
    + label
    + ":Staged "
    + NEW_PROPERTIES[kind]
    + ")-[:STAGED_IN]->(run) SET n.importRun = run.id "
    + links
    + " RETURN count(*) AS staged"
    for kind, (label, matches, links) in NEW_LINKS.items()
}

PUBLISH_RUN: LiteralString = """
    MATCH (run:ImportRun {id: $importId, published: false})
    SET run.published = true
    RETURN count(run) AS published
"""

UNHOOK: LiteralString = """
    MATCH (:ImportRun {id: $importId, published: true})<-[staged:STAGED_IN]-(n)
    WITH staged, n LIMIT 10000
    DELETE staged
    REMOVE n:Staged, n.importRun
    RETURN count(*) AS unhooked
"""

REMOVE_STAGED: LiteralString = """
    MATCH (run:ImportRun {id: $importId})
    SET run._lock = true REMOVE run._lock  // lock first: a publishing transaction commits before this checks
    WITH run WHERE run.published = false
    MATCH (run)<-[:STAGED_IN]-(n)
    WITH n LIMIT 10000
    DETACH DELETE n
    RETURN count(*) AS removed
"""

REMOVE_RUN: LiteralString = """
    MATCH (run:ImportRun {id: $importId})
    WHERE NOT EXISTS { (run)<-[:STAGED_IN]-() }
    DELETE run
"""

ABANDONED_RUNS: LiteralString = "MATCH (run:ImportRun) WHERE run.startedAt < $before RETURN run.id AS id"


STAGE_ATTEMPTS = 3


class StagingIncomplete(Exception):
    """Objects of the import could not be staged (what they link to vanished meanwhile)."""


async def remove_staged(store: Store, import_id: str) -> None:
    """Remove what an unpublished import staged, in transactions of 10,000, and its run (no read ever saw it). A run
    that was published (its last transaction committed, though its caller may not have heard) is left alone."""
    while (await store.write(REMOVE_STAGED, importId=import_id))[0]["removed"]:
        pass
    await store.write(REMOVE_RUN, importId=import_id)


async def unhook(store: Store, import_id: str) -> None:
    """Unmark what a published import staged, in transactions of 10,000, and remove its run: reads no longer look
    for the run of each."""
    while (await store.write(UNHOOK, importId=import_id))[0]["unhooked"]:
        pass
    await store.write(REMOVE_RUN, importId=import_id)


async def remove_abandoned(store: Store, before: datetime.datetime) -> None:
    """Finish the imports started before `before` that a killed process left: what an unpublished one staged is
    removed, what a published one staged is unhooked."""
    for run in await store.read(ABANDONED_RUNS, before=before):
        await remove_staged(store, run["id"])
        await unhook(store, run["id"])


SENT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "subject": (("code", "subjectKind", "name", "region", "isNew"), ()),
    "representation": (("personCode", "orgCode", "role"), ("since",)),
    "investment": (("investorCode", "investeeCode", "share"), ("since",)),
    "branch": (("branchCode", "parentCode"), ("since",)),
    "document": (("id", "issuerCode", "subjectCode", "type", "number", "isNew"), ("issuedAt",)),
    "record": (
        (
            "id",
            "title",
            "nature",
            "severity",
            "category",
            "publicity",
            "disclosureMode",
            "subjectCode",
            "providerCode",
            "catalogItemId",
            "documentIds",
            "isNew",
        ),
        ("confirmedAt", "disclosureBaseUntil", "disclosureUntil"),
    ),
    "measure": (
        ("id", "type", "item", "means", "basis", "subjectCode", "implementedByCode", "recordIds", "isNew"),
        ("startsAt", "endsAt"),
    ),
    "consent": (("id", "subjectCode", "granteeCode", "purpose", "categories", "isNew"), ("validFrom", "validUntil")),
}
"""What a row of each kind sends to Neo4j: the fields its queries read, dates and instants as ISO text (the queries
read them with date() and datetime()): the driver's packing of a line's every field, and of temporal values most,
cost more of an import's time than the statements did (docs/performance.md, "Intake")."""


def as_text(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else value.isoformat()


def sent(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    names, temporal = SENT[kind]
    found = {name: row.get(name) for name in names}
    for name in temporal:
        found[name] = as_text(row.get(name))
    return found


def subject_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**sent("subject", row), "city": row["region"][:4] + "00"}


def record_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **sent("record", row),
        "content": row.get("contentText") or json.dumps(row["content"], ensure_ascii=False, sort_keys=True),
        "contentHash": row.get("contentHash") or content_hash(row),
    }


def unchanged(row: dict[str, Any]) -> dict[str, Any]:
    return row


PLAN: tuple[tuple[str, tuple[LiteralString, ...], Callable[[dict[str, Any]], dict[str, Any]]], ...] = (
    ("provider", (UPSERT_PROVIDERS,), unchanged),
    ("queryPurpose", (UPSERT_QUERY_PURPOSES,), unchanged),
    ("subject", (UPSERT_SUBJECTS,), subject_row),
    ("representation", (UPSERT_REPRESENTATIONS,), partial(sent, "representation")),
    ("investment", (UPSERT_INVESTMENTS,), partial(sent, "investment")),
    ("branch", (UPSERT_BRANCHES,), partial(sent, "branch")),
    ("catalogItem", (UPSERT_CATALOG_ITEMS,), catalog_item_row),
    ("document", (UPSERT_DOCUMENTS,), partial(sent, "document")),
    ("record", (VERSION_CHANGED_RECORDS, CREATE_NEW_RECORDS), record_row),
    ("measure", (UPSERT_MEASURES,), partial(sent, "measure")),
    ("consent", (UPSERT_CONSENTS,), partial(sent, "consent")),
)
"""Per kind, in the order references need: the queries for the rows the store holds (merged, versioned), the row as
written. New rows (`isNew`) are created first (CREATE), or staged (STAGE) in this order."""


@dataclass
class Written:
    """What the closing statements need of the rows an import wrote: the organizations whose representations it
    wrote, the records it wrote or a measure it wrote names, and which of those records are new."""

    org_codes: set[str] = field(default_factory=set)
    record_ids: set[str] = field(default_factory=set)
    new_record_ids: set[str] = field(default_factory=set)

    def add(self, kind: str, row: dict[str, Any]) -> None:
        if kind == "representation":
            self.org_codes.add(row["orgCode"])
        elif kind == "record":
            self.record_ids.add(row["id"])
            if row.get("isNew"):
                self.new_record_ids.add(row["id"])
        elif kind == "measure":
            self.record_ids.update(row["recordIds"])


class Writing:
    """An import's writes, batch by batch as the importer checks its lines, in PLAN order (every row of a kind before
    the next kind): all of them in one transaction, which commits when the importer is done and rolls back if it
    fails (a line found wrong after the first batches were sent: the importer raises). With `staging` (from
    STAGE_FROM new objects on), new objects are staged in transactions of their own as they come, and published all
    at once by the one transaction; if anything fails, what was staged is removed: all or nothing still, and the last
    transaction holds nothing of the new objects. A large file takes longer than a request may, so the transactions
    have no time limit of ours. Versions (by label) keep what the import changes in catalog items, documents and
    measures, with the import as actor (graph_store/versions.py); `actor_id` names what it stages."""

    def __init__(
        self,
        store: Store,
        *,
        now: datetime.datetime,
        actor_id: str,
        staging: bool,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.store, self.now, self.actor_id, self.staging, self.progress = store, now, actor_id, staging, progress
        self.written = Written()
        self.pending: asyncio.Task[None] | None = None

    async def __aenter__(self) -> "Writing":
        if self.staging:
            await self.store.write(START_RUN, importId=self.actor_id, now=self.now)
        self.transaction = self.store.bulk_transaction()
        try:
            self.tx = await self.transaction.__aenter__()
        except BaseException:
            await self.removed()
            raise
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        try:
            if exc_info[0] is not None and self.pending is not None:
                with contextlib.suppress(Exception):  # the failure that ends the import is the caller's
                    await self.settled()
            if exc_info[0] is None:
                await self.settled()
                if self.staging and not (await self.tx.run(PUBLISH_RUN, importId=self.actor_id))[0]["published"]:
                    raise StagingIncomplete(f"{self.actor_id}: its staged objects were removed meanwhile")
                await finish(self.tx, self.written)
        except BaseException as exc:
            await self.transaction.__aexit__(type(exc), exc, exc.__traceback__)
            await self.removed()
            raise
        try:
            await self.transaction.__aexit__(*exc_info)
        except BaseException:
            await self.removed()
            raise
        if exc_info[0] is not None:
            await self.removed()
        elif self.staging:
            await asyncio.sleep(2 * ShownRuns.FRESH_FOR)  # every process reads the run as published before its objects
            try:  # lose their mark (connection.py ShownRuns)
                await unhook(self.store, self.actor_id)
            except Exception:  # published all the same: what is left hooked is read as it is; migrate unhooks it
                logger.warning("import %s: published, but not all of it unhooked", self.actor_id, exc_info=True)

    async def removed(self) -> None:
        if self.staging:
            await remove_staged(self.store, self.actor_id)

    async def write(self, kind: str, lines: list[dict[str, Any]], versions: dict[str, list[dict[str, Any]]]) -> None:
        """Send a batch of rows of `kind` (the importer's lines), after the versions they replace, once the batch
        before it is written; it is written while the caller goes on (the importer checks the next batch meanwhile:
        Neo4j's time and Python's overlap). A failure surfaces at the next call, or on leaving."""
        await self.settled()
        self.pending = asyncio.create_task(self.sent(kind, lines, versions))

    async def settled(self) -> None:
        """Wait for the batch in flight (its failure is raised here)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            await pending

    async def sent(self, kind: str, lines: list[dict[str, Any]], versions: dict[str, list[dict[str, Any]]]) -> None:
        queries, to_row = WRITES[kind]
        for label, changes in versions.items():
            await keep_versions(self.tx, label, changes, actor_id=self.actor_id, reason="re-imported", at=self.now)
            changes.clear()  # held by the driver (below)
        rows = []
        for line in lines:
            self.written.add(kind, line)
            rows.append(to_row(line))
        count = len(rows)
        new = [row for row in rows if row.get("isNew")] if kind in CREATE else []
        stored = [row for row in rows if not row.get("isNew")] if new else rows
        if new and self.staging:
            await self.staged(kind, new)
        elif new:
            await self.run(CREATE[kind], new)
        for query in queries if stored else ():
            await self.run(query, stored, last=query == queries[-1])
        if self.progress:
            self.progress(count)

    async def staged(self, kind: str, rows: list[dict[str, Any]]) -> None:
        """Stage new rows in a transaction of their own; each must be written, linked to what it refers to (which the
        importer found in the store or the file, written before it). Linking takes the locks of what they link to, so
        a request's write may deadlock with it: the batch, rolled back whole, is sent again rather than fail the
        import."""
        for attempt in range(1, STAGE_ATTEMPTS + 1):
            try:
                async with self.store.bulk_transaction() as tx:
                    staged = (await tx.run(STAGE[kind], rows=rows, importId=self.actor_id, now=self.now))[0]["staged"]
                break
            except TransientError:
                if attempt == STAGE_ATTEMPTS:
                    raise
        if staged != len(rows):
            raise StagingIncomplete(f"{self.actor_id}: {len(rows) - staged} new {kind} objects could not be linked")

    async def run(self, query: LiteralString, rows: list[dict[str, Any]], *, last: bool = True, **params: Any) -> None:
        """Run a statement on rows in the one transaction, then empty the list: the driver keeps every statement's
        parameters until its transaction ends, which held a whole file's rows (docs/performance.md, "Intake")."""
        await self.tx.run(query, rows=rows, now=self.now, **params)
        if last:
            rows.clear()


WRITES = {kind: (queries, to_row) for kind, queries, to_row in PLAN}


async def finish(tx: Transaction, written: Written) -> None:
    """The statements after every line's: the terms of representations, and the disclosure of the records the file
    names that punitive measures keep disclosed (the import's own staged measures among them, published by now)."""
    if written.org_codes:
        await tx.run(CLOSE_SUPERSEDED_REPRESENTATIONS, orgCodes=sorted(written.org_codes))
    # a new record came with its disclosureUntil: only the file's measures can name it (the importer counts them)
    ordered = sorted(written.record_ids - written.new_record_ids)
    for start in range(0, len(ordered), BATCH):
        await tx.run(UPDATE_DISCLOSURE_UNTIL, ids=ordered[start : start + BATCH])
