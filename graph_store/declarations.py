"""Self-declaration (Art. 14): statements, self-reported information and public credit commitments.

A subject's declaration is a record about itself with nature SELF_DECLARED. It
is received by the platform, which is therefore its provider, under one catalog
item: non-public information that the subject publishes itself (Art. 16). It is
published by declaring it (`publishedBySubjectAt`), so everyone may read it until
the subject withdraws the publication (graph_store/publication.py).
`ensure_platform` puts both in place; `migrate` calls it.
"""

import datetime
import json
from typing import Any, TypedDict

from credit.model import LONG_TEXT, Category, DeclarationKind, DisclosureMode, Nature, ProviderType, Publicity

from .catalog import UPSERT_CATALOG_ITEMS, UPSERT_PROVIDERS, catalog_item_row
from .connection import Store
from .record_versions import content_hash

PLATFORM = {
    "code": "12430000MB1C00001D",
    "name": "湖南省社会信用信息共享平台",
    "publicity": Publicity.PUBLIC.value,
    "type": ProviderType.GOVERNMENT_AGENCY.value,
    "region": "430000",
}
CATALOG_ITEM = {
    "id": "CAT-SELF-DECLARED",
    "name": "信用主体自主申报信息（声明、自主申报、信用承诺）",
    "providerCode": PLATFORM["code"],
    "category": Category.OTHER.value,
    "publicity": Publicity.NON_PUBLIC.value,
    "disclosureMode": DisclosureMode.SUBJECT_PUBLISHED.value,
    "dataFormat": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "kind": {"enum": [kind.value for kind in DeclarationKind], "title": "申报类型"},
            "text": {"type": "string", "minLength": 1, "maxLength": LONG_TEXT, "title": "内容"},
        },
        "required": ["kind", "text"],
        "additionalProperties": False,
    },
}


class DeclaredRow(TypedDict):
    """The record a declaration made: its id, and whom it is about."""

    id: str
    subjectId: str


async def ensure_platform(store: Store) -> None:
    await store.write(UPSERT_PROVIDERS, rows=[PLATFORM])
    await store.write(UPSERT_CATALOG_ITEMS, rows=[catalog_item_row(CATALOG_ITEM)])


async def declare(store: Store, declaration: dict[str, Any], at: datetime.datetime) -> DeclaredRow:
    """Write the declaration as version 1 of a new record; it is disclosed from today, with no end."""
    state = {**declaration, "nature": Nature.SELF_DECLARED.value, "severity": None, "documentIds": [],
             "confirmedAt": at.date()}  # fmt: skip
    rows = await store.write(
        """
        MATCH (s:Subject {id: $record.subjectId})
        MATCH (c:CatalogItem {id: $catalogItemId})-[:SUPPLIED_BY]->(p:Provider)
        CREATE (r:Record {
            id: $record.id, title: $record.title, content: $content, contentHash: $hash,
            nature: 'SELF_DECLARED', category: c.category, publicity: c.publicity, disclosureMode: c.disclosureMode,
            confirmedAt: date($at), status: 'ACTIVE', underObjection: false, publishedBySubjectAt: $at,
            subjectCode: s.code, providerCode: p.code,
            version: 1, versionAt: $at, versionActorId: $record.actorId,
            versionReason: 'declared by the subject (Art. 14)'
        })
        CREATE (r)-[:ABOUT]->(s)
        CREATE (r)-[:PROVIDED_BY]->(p)
        CREATE (r)-[:UNDER]->(c)
        RETURN r {entity: 'Record', .id, subjectId: s.id} AS record
        """,
        record=declaration,
        catalogItemId=CATALOG_ITEM["id"],
        content=json.dumps(declaration["content"], ensure_ascii=False, sort_keys=True),
        hash=content_hash(state),
        at=at,
    )
    declared: DeclaredRow = rows[0]["record"]
    return declared
