"""The Cypher behind import: what already exists, and the upserts, one query per kind.

Every upsert MERGEs on the object's id or code, so importing the same file twice
changes nothing. A record whose content changes keeps its old version as a
`RecordVersion`; nothing is overwritten without a trace. Records and consents
also keep the codes they link to as properties (they never change), which the
policy compares without a traversal.
"""

import datetime
import json
from collections.abc import Callable
from typing import Any, LiteralString

from .catalog import UPSERT_CATALOG_ITEMS, UPSERT_PROVIDERS, catalog_item_row
from .connection import Store, Transaction
from .measures import UPDATE_DISCLOSURE_UNTIL
from .record_versions import KEEP_CURRENT_VERSION, content_hash
from .versions import keep_versions

BATCH = 2000

EXISTING: dict[str, LiteralString] = {
    "provider": """
        UNWIND $keys AS key
        MATCH (p:Provider {code: key})
        RETURN key, {publicity: p.publicity, type: p.type} AS value
    """,
    "subject": """
        UNWIND $keys AS key
        MATCH (s:Subject {code: key})
        RETURN key, {kind: s.kind, subjectKind: s.kind,
                     parentCode: COLLECT { MATCH (s)-[:BRANCH_OF]->(p:Subject) RETURN p.code }[0]} AS value
    """,
    "queryPurpose": """
        UNWIND $keys AS key
        MATCH (q:QueryPurpose {code: key})
        RETURN key, {} AS value
    """,
    "catalogItem": """
        UNWIND $keys AS key
        MATCH (c:CatalogItem {id: key})-[:SUPPLIED_BY]->(p:Provider)
        RETURN key, {providerCode: p.code, name: c.name, category: c.category, publicity: c.publicity,
                     disclosureMode: c.disclosureMode, dataFormat: c.dataFormat, subjectKinds: c.subjectKinds,
                     repairable: c.repairable} AS value
    """,
    "document": """
        UNWIND $keys AS key
        MATCH (d:Document {id: key})-[:CONCERNS]->(s:Subject)
        RETURN key, {subjectCode: s.code, type: d.type, number: d.number, issuedAt: d.issuedAt,
                     status: d.status} AS value
    """,
    "record": """
        UNWIND $keys AS key
        MATCH (r:Record {id: key})
        MATCH (r)-[:ABOUT]->(s:Subject)
        MATCH (r)-[:PROVIDED_BY]->(p:Provider)
        MATCH (r)-[:UNDER]->(c:CatalogItem)
        RETURN key, {subjectCode: s.code, providerCode: p.code, catalogItemId: c.id,
                     nature: r.nature, severity: r.severity} AS value
    """,
    "measure": """
        UNWIND $keys AS key
        MATCH (m:Measure {id: key})-[:APPLIED_TO]->(s:Subject)
        RETURN key, {subjectCode: s.code, type: m.type, item: m.item, means: m.means, basis: m.basis,
                     startsAt: m.startsAt, endsAt: m.endsAt, originalEndsAt: m.originalEndsAt,
                     endReason: m.endReason} AS value
    """,
    "consent": """
        UNWIND $keys AS key
        MATCH (s:Subject)<-[:GRANTED_BY]-(c:Consent {id: key})-[:GRANTED_TO]->(p:Provider)
        RETURN key, {subjectCode: s.code, granteeCode: p.code, purpose: c.purpose, categories: c.categories,
                     validFrom: c.validFrom, validUntil: c.validUntil} AS value
    """,
}


async def fetch_existing(store: Store, keys: dict[str, list[str]]) -> dict[str, dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for kind, query in EXISTING.items():
        rows = await store.read(query, keys=keys.get(kind, [])) if keys.get(kind) else []
        found[kind] = {row["key"]: row["value"] for row in rows}
    return found


async def fetch_collection_consents(store: Store, subject_codes: list[str], purpose: str) -> list[dict[str, Any]]:
    rows = await store.read(
        """
        UNWIND $codes AS code
        MATCH (s:Subject {code: code})<-[:GRANTED_BY]-(c:Consent {purpose: $purpose})-[:GRANTED_TO]->(p:Provider)
        RETURN c.id AS id, s.code AS subjectCode, p.code AS granteeCode, c.categories AS categories,
               c.validFrom AS validFrom, c.validUntil AS validUntil, c.status AS status
        """,
        codes=subject_codes,
        purpose=purpose,
    )
    return rows


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
      ON CREATE SET rep.since = row.since
"""

# Who holds a share of an organization (a person or another organization), and branches of organizations:
# the relations agencies follow in relationship lookups. Re-importing one updates it; it never duplicates.
UPSERT_INVESTMENTS: LiteralString = """
    UNWIND $rows AS row
    MATCH (investor:Subject {code: row.investorCode})
    MATCH (investee:Subject {code: row.investeeCode})
    MERGE (investor)-[i:INVESTS_IN]->(investee)
    SET i.share = row.share, i.since = row.since
"""

UPSERT_BRANCHES: LiteralString = """
    UNWIND $rows AS row
    MATCH (branch:Subject {code: row.branchCode})
    MATCH (parent:Subject {code: row.parentCode})
    MERGE (branch)-[b:BRANCH_OF]->(parent)
    SET b.since = row.since
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
    SET d.type = row.type, d.number = row.number, d.issuedAt = row.issuedAt
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
        r.confirmedAt = row.confirmedAt, r.contentHash = row.contentHash,
        r.disclosureBaseUntil = row.disclosureBaseUntil,
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
        r.confirmedAt = row.confirmedAt, r.contentHash = row.contentHash,
        r.disclosureBaseUntil = row.disclosureBaseUntil, r.status = 'ACTIVE', r.underObjection = false,
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
        m.startsAt = row.startsAt, m.endsAt = CASE WHEN m.originalEndsAt IS NULL THEN row.endsAt ELSE m.endsAt END,
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
        c.purpose = row.purpose, c.categories = row.categories, c.validFrom = row.validFrom,
        c.validUntil = row.validUntil
    MERGE (c)-[:GRANTED_BY]->(s)
    MERGE (c)-[:GRANTED_TO]->(p)
"""


def subject_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "city": row["region"][:4] + "00"}


def record_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "content": json.dumps(row["content"], ensure_ascii=False, sort_keys=True),
        "contentHash": content_hash(row),
    }


def unchanged(row: dict[str, Any]) -> dict[str, Any]:
    return row


PLAN: tuple[tuple[str, tuple[LiteralString, ...], Callable[[dict[str, Any]], dict[str, Any]]], ...] = (
    ("provider", (UPSERT_PROVIDERS,), unchanged),
    ("queryPurpose", (UPSERT_QUERY_PURPOSES,), unchanged),
    ("subject", (UPSERT_SUBJECTS,), subject_row),
    ("representation", (UPSERT_REPRESENTATIONS,), unchanged),
    ("investment", (UPSERT_INVESTMENTS,), unchanged),
    ("branch", (UPSERT_BRANCHES,), unchanged),
    ("catalogItem", (UPSERT_CATALOG_ITEMS,), catalog_item_row),
    ("document", (UPSERT_DOCUMENTS,), unchanged),
    ("record", (VERSION_CHANGED_RECORDS, CREATE_NEW_RECORDS), record_row),
    ("measure", (UPSERT_MEASURES,), unchanged),
    ("consent", (UPSERT_CONSENTS,), unchanged),
)


async def write_all(
    store: Store,
    by_kind: dict[str, list[dict[str, Any]]],
    *,
    now: datetime.datetime,
    actor_id: str,
    versions: dict[str, list[dict[str, Any]]],
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write every row in one transaction, in batches; any failure rolls all of it back. A large file takes
    longer than a request may, so the transaction has no time limit of ours. `versions` (by label) keep what the
    import changes in catalog items, documents and measures, with the import as actor (graph_store/versions.py)."""
    async with store.bulk_transaction() as tx:
        for label, changes in versions.items():
            for start in range(0, len(changes), BATCH):
                await keep_versions(
                    tx, label, changes[start : start + BATCH], actor_id=actor_id, reason="re-imported", at=now
                )
        for kind, queries, to_row in PLAN:
            rows = [to_row(row) for row in by_kind.get(kind, [])]
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                for query in queries:
                    await tx.run(query, rows=batch, now=now)
                if progress:
                    progress(len(batch))
        await finish(tx, by_kind)


async def finish(tx: Transaction, by_kind: dict[str, list[dict[str, Any]]]) -> None:
    org_codes = sorted({row["orgCode"] for row in by_kind.get("representation", [])})
    if org_codes:
        await tx.run(CLOSE_SUPERSEDED_REPRESENTATIONS, orgCodes=org_codes)
    record_ids = {row["id"] for row in by_kind.get("record", [])}
    record_ids.update(record_id for row in by_kind.get("measure", []) for record_id in row["recordIds"])
    ordered = sorted(record_ids)
    for start in range(0, len(ordered), BATCH):
        await tx.run(UPDATE_DISCLOSURE_UNTIL, ids=ordered[start : start + BATCH])
