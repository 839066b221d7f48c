"""Constraints and indexes: every lookup the queries make is backed by one.

Each statement is idempotent (`IF NOT EXISTS`), so `migrate` runs on every start. It also puts the platform in
place as the provider of self-declared records (graph_store/declarations.py).
"""

import datetime
import json
from typing import LiteralString

from credit.disclosure import LISTING_WINDOW_MONTHS
from credit.model import REPAIR_DECISION_DAYS, china_now
from credit.record_content import personal_fields
from credit.working_days import add_working_days

from .bulk_writes import remove_abandoned
from .catalog import ALL_SUBJECT_KINDS
from .connection import Store
from .declarations import CATALOG_ITEM, ensure_platform
from .measures import UPDATE_LISTING_DISCLOSURE_UNTIL

MIGRATIONS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT subject_code IF NOT EXISTS FOR (n:Subject) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT subject_id IF NOT EXISTS FOR (n:Subject) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT provider_code IF NOT EXISTS FOR (n:Provider) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT provider_id IF NOT EXISTS FOR (n:Provider) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT catalog_item_id IF NOT EXISTS FOR (n:CatalogItem) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT record_id IF NOT EXISTS FOR (n:Record) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT measure_id IF NOT EXISTS FOR (n:Measure) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT consent_id IF NOT EXISTS FOR (n:Consent) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT query_purpose_code IF NOT EXISTS FOR (n:QueryPurpose) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT objection_id IF NOT EXISTS FOR (n:Objection) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX objection_due IF NOT EXISTS FOR (n:Objection) ON (n.dueDate)",
    "CREATE CONSTRAINT repair_application_id IF NOT EXISTS FOR (n:RepairApplication) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT statement_id IF NOT EXISTS FOR (n:Statement) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT notice_id IF NOT EXISTS FOR (n:Notice) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX statement_target IF NOT EXISTS FOR (n:Statement) ON (n.targetId)",
    "CREATE CONSTRAINT listing_id IF NOT EXISTS FOR (n:Listing) REQUIRE n.id IS UNIQUE",
    # The public list, newest first.
    "CREATE INDEX listing_status_listed IF NOT EXISTS FOR (n:Listing) ON (n.status, n.listedAt)",
    "CREATE CONSTRAINT mutation_receipt_key IF NOT EXISTS FOR (n:MutationReceipt) REQUIRE n.key IS UNIQUE",
    # One head: concurrent first writers MERGE the same node, and every writer then queues on its lock.
    "CREATE CONSTRAINT access_log_head IF NOT EXISTS FOR (n:AccessLogHead) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT access_log_seq IF NOT EXISTS FOR (n:AccessLogEntry) REQUIRE n.seq IS UNIQUE",
    "CREATE INDEX access_log_actor IF NOT EXISTS FOR (n:AccessLogEntry) ON (n.actorId)",
    "CREATE INDEX access_log_at IF NOT EXISTS FOR (n:AccessLogEntry) ON (n.at)",
    # subjects(nameContains:) is a CONTAINS search: a text index answers it without a scan.
    "CREATE TEXT INDEX subject_name_text IF NOT EXISTS FOR (n:Subject) ON (n.name)",
    "CREATE INDEX subject_kind IF NOT EXISTS FOR (n:Subject) ON (n.kind)",
    "CREATE INDEX subject_city IF NOT EXISTS FOR (n:Subject) ON (n.city)",
    "CREATE INDEX subject_region IF NOT EXISTS FOR (n:Subject) ON (n.region)",
    # providers(nameContains:, type:) the same way: a grantee picker searches them as the user types.
    "CREATE TEXT INDEX provider_name_text IF NOT EXISTS FOR (n:Provider) ON (n.name)",
    "CREATE INDEX provider_type IF NOT EXISTS FOR (n:Provider) ON (n.type)",
    "CREATE INDEX record_version_record IF NOT EXISTS FOR (n:RecordVersion) ON (n.recordId)",
    "CREATE INDEX version_object IF NOT EXISTS FOR (n:Version) ON (n.id)",
    # Checking a single object against the policy looks its relations up by these codes.
    "CREATE INDEX record_subject_code IF NOT EXISTS FOR (n:Record) ON (n.subjectCode)",
    "CREATE INDEX consent_subject_code IF NOT EXISTS FOR (n:Consent) ON (n.subjectCode)",
    # An import's new objects wait under its id until it publishes them (graph_store/bulk_writes.py).
    "CREATE CONSTRAINT import_run_id IF NOT EXISTS FOR (n:ImportRun) REQUIRE n.id IS UNIQUE",
)


async def migrate(store: Store) -> None:
    for statement in MIGRATIONS:
        await store.write(statement)
    await store.write("CALL db.awaitIndexes(300)")
    await ensure_platform(store)
    await mark_personal_fields(store)
    await publish_declarations(store)
    await mark_measure_codes(store)
    await mark_subject_kinds(store)
    await mark_historical_measures(store)
    await date_listings(store)
    await mark_objection_targets(store)
    await date_repair_applications(store)
    # What a killed import staged is seen by no read; a day later no import still runs that could publish it.
    await remove_abandoned(store, china_now() - datetime.timedelta(days=1))


async def mark_personal_fields(store: Store) -> None:
    """Catalog items imported before formats could mark person-identifying fields get their list (once)."""
    items = await store.read(
        "MATCH (c:CatalogItem) WHERE c.personalFields IS NULL RETURN c.id AS id, c.dataFormat AS dataFormat"
    )
    rows = [{"id": item["id"], "fields": personal_fields(json.loads(item["dataFormat"]))} for item in items]
    await store.write(
        "UNWIND $rows AS row MATCH (c:CatalogItem {id: row.id}) SET c.personalFields = row.fields", rows=rows
    )


async def publish_declarations(store: Store) -> None:
    """Declarations made before publication was the subject's own act (Art. 16) were published by declaring them:
    they get the day they were declared (once: a record whose subject ever withdrew it has `publicationWithdrawnAt`,
    and one published since has its own day)."""
    await store.write(
        """
        MATCH (r:Record)-[:UNDER]->(:CatalogItem {id: $catalogItemId})
        WHERE r.publishedBySubjectAt IS NULL AND r.publicationWithdrawnAt IS NULL
        SET r.publishedBySubjectAt = coalesce(
            COLLECT { MATCH (r)-[:PREVIOUS]->(v:RecordVersion {version: 1}) RETURN v.at }[0], r.versionAt
        )
        """,
        catalogItemId=CATALOG_ITEM["id"],
    )


async def mark_measure_codes(store: Store) -> None:
    """Measures written before the policy read them carry their subject's and implementing agency's codes (once)."""
    await store.write(
        """
        MATCH (s:Subject)<-[:APPLIED_TO]-(m:Measure)-[:IMPLEMENTED_BY]->(p:Provider)
        WHERE m.subjectCode IS NULL OR m.implementedByCode IS NULL
        SET m.subjectCode = s.code, m.implementedByCode = p.code
        """
    )


async def mark_subject_kinds(store: Store) -> None:
    """Catalog items imported before an item said which subjects it covers cover all of them (once)."""
    await store.write(
        "MATCH (c:CatalogItem) WHERE c.subjectKinds IS NULL SET c.subjectKinds = $kinds", kinds=ALL_SUBJECT_KINDS
    )


async def mark_historical_measures(store: Store) -> None:
    """Regulatory and punitive measures imported before they were marked are historical: applied through the API, a
    measure has `appliedAt` (once)."""
    await store.write(
        """
        MATCH (m:Measure) WHERE m.historical IS NULL
        SET m.historical = m.appliedAt IS NULL AND m.type IN ['REGULATORY', 'PUNITIVE']
        """
    )


async def date_listings(store: Store) -> None:
    """Listings decided before they had a query period (Art. 35) get theirs (once): three years from the day they
    were listed (in the time zone they were listed in, as `listing_disclosure_until` counts it), extended by the
    punitive measures under them."""
    dated = await store.write(
        """
        MATCH (l:Listing) WHERE l.disclosureBaseUntil IS NULL
        SET l.disclosureBaseUntil = date(l.listedAt) + duration({months: $months})
        RETURN l.id AS id
        """,
        months=LISTING_WINDOW_MONTHS,
    )
    await store.write(UPDATE_LISTING_DISCLOSURE_UNTIL, ids=[row["id"] for row in dated])


async def mark_objection_targets(store: Store) -> None:
    """Objections filed when one could object only to a record's content carry what the wider ones do (once): their
    kind (ERROR), their target (RECORD), who filed them and who handles them (the record's provider)."""
    await store.write(
        """
        MATCH (o:Objection)-[:CONCERNS]->(r:Record)
        WHERE o.targetKind IS NULL
        SET o.kind = 'ERROR', o.targetKind = 'RECORD', o.subjectCode = r.subjectCode, o.handlerCode = r.providerCode
        """
    )


async def date_repair_applications(store: Store) -> None:
    """Repair applications filed before they had a due date get one, counted from the day they were filed (once)."""
    rows = await store.read("MATCH (a:RepairApplication) WHERE a.dueDate IS NULL RETURN a.id AS id, a.appliedAt AS at")
    deadlines = {row["id"]: add_working_days(row["at"].date(), REPAIR_DECISION_DAYS) for row in rows}
    await store.write(
        """
        UNWIND $rows AS row
        MATCH (a:RepairApplication {id: row.id})
        SET a.dueDate = row.due, a.dueDateProvisional = row.provisional
        """,
        rows=[
            {"id": id, "due": deadline.due, "provisional": deadline.provisional} for id, deadline in deadlines.items()
        ],
    )
