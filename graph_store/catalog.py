"""Providers and catalog items (Arts. 10-13): upserted by import, and by `migrate` for the platform's own.

Both MERGE on the code or id, so writing the same item twice changes nothing.
"""

from typing import Any, LiteralString

from credit.record_content import canonical_json, personal_fields

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
        c.repairable = coalesce(row.repairable, true)
    MERGE (c)-[:SUPPLIED_BY]->(p)
"""


def catalog_item_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "dataFormat": canonical_json(row["dataFormat"]),
        "personalFields": personal_fields(row["dataFormat"]),
    }
