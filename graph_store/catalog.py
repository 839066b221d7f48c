"""Providers and catalog items (Arts. 10-13): upserted by import, and by `migrate` for the platform's own.

Both MERGE on the code or id, so writing the same item twice changes nothing.

A record keeps its item's publicity and disclosure mode as its own properties, which the policy compares without a
traversal (policy.polar, `disclosable`); the upsert that changes an item sets them on every record under it in the
same statement, so records follow their item whenever it changes (Art. 16). Copying keeps every read as it is (no
hop to the item in the compiled filter, no extra query); the cost is paid once, by the rare write that changes an
item, and only records whose copy differs are written.
"""

from typing import Any, LiteralString

from credit.model import SubjectKind
from credit.record_content import canonical_json, personal_fields

ALL_SUBJECT_KINDS = [kind.value for kind in SubjectKind]
"""What an item covers unless it says otherwise (`subjectKinds`)."""

UPSERT_PROVIDERS: LiteralString = """
    UNWIND $rows AS row
    MERGE (p:Provider {code: row.code})
      ON CREATE SET p.id = randomUUID()
    SET p.name = row.name, p.publicity = row.publicity, p.type = row.type, p.region = row.region
"""

UPSERT_CATALOG_ITEMS: LiteralString = """
    UNWIND $rows AS row
    MATCH (p:Provider {code: row.providerCode})
    MERGE (c:CatalogItem {id: row.id})
    SET c.name = row.name, c.category = row.category, c.publicity = row.publicity,
        c.disclosureMode = row.disclosureMode, c.dataFormat = row.dataFormat, c.personalFields = row.personalFields,
        c.subjectKinds = row.subjectKinds, c.repairable = coalesce(row.repairable, true)
    MERGE (c)-[:SUPPLIED_BY]->(p)
    WITH c
    CALL (c) {
        MATCH (c)<-[:UNDER]-(r:Record)
        WHERE r.disclosureMode <> c.disclosureMode OR r.publicity <> c.publicity
        SET r.disclosureMode = c.disclosureMode, r.publicity = c.publicity
    }
"""


def catalog_item_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "dataFormat": canonical_json(row["dataFormat"]),
        "personalFields": personal_fields(row["dataFormat"]),
        "subjectKinds": subject_kinds(row),
    }


def subject_kinds(row: dict[str, Any]) -> list[str]:
    """The kinds of subject an item's records may be about, in the enum's order; all of them unless it says."""
    named = set(row.get("subjectKinds") or ALL_SUBJECT_KINDS)
    return [kind for kind in ALL_SUBJECT_KINDS if kind in named]
