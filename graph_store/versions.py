"""What changed in a catalog item, a legal document or a measure: one `Version` per change, with who, when and what
the changed fields were before (Arts. 10, 12, 19; a record has its own, fuller `RecordVersion`: record_versions.py).

The caller knows what it is about to change and what was there (the import compares each line with the store):
`changed_fields` says which of an object's versioned fields differ, `keep_versions` writes the versions in the
caller's transaction before the change is written. A version holds the names of the fields that changed and their
previous values as JSON text (`before`), so one small node serves every kind.
"""

import datetime
import json
from collections.abc import Mapping
from typing import Any, LiteralString, TypedDict

from .connection import Store, Transaction

VERSIONED_FIELDS: dict[str, tuple[str, ...]] = {
    "CatalogItem": ("name", "category", "publicity", "disclosureMode", "dataFormat", "subjectKinds", "repairable"),
    "Document": ("type", "number", "issuedAt", "status"),
    "Measure": ("type", "item", "means", "basis", "startsAt", "endsAt"),
}
"""The fields whose change makes a version, by label; links (provider, subject) never change on re-import."""


def keep_version_query(label: LiteralString) -> LiteralString:
    return (
        """
    UNWIND $versions AS v
    MATCH (x:"""
        + label
        + """ {id: v.id})
    CREATE (x)-[:PREVIOUS]->(:Version {
        of: '"""
        + label
        + """', id: v.id, at: $at, actorId: $actorId, reason: $reason, changed: v.changed, before: v.before
    })
"""
    )


KEEP_VERSION: dict[str, LiteralString] = {
    "CatalogItem": keep_version_query("CatalogItem"),
    "Document": keep_version_query("Document"),
    "Measure": keep_version_query("Measure"),
}


class ObjectVersionRow(TypedDict):
    """A change as kept: when, by whom, why, which fields, and their values before it."""

    at: datetime.datetime
    actorId: str
    reason: str
    changed: list[str]
    before: str
    """JSON text: each changed field's previous value (dates as ISO text)."""


def changed_fields(label: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any] | None:
    """The version to keep when `after` replaces `before` (`{id, changed, before}`), or None when nothing changes.
    A field `before` lacks (written before it was versioned) is not a change."""
    changed = [
        name
        for name in VERSIONED_FIELDS[label]
        if before.get(name) is not None and name in after and before[name] != after[name]
    ]
    if not changed:
        return None
    previous = {name: before[name] for name in changed}
    return {"id": after["id"], "changed": changed, "before": json.dumps(previous, ensure_ascii=False, default=str)}


async def keep_versions(
    tx: Transaction,
    label: str,
    versions: list[dict[str, Any]],
    *,
    actor_id: str,
    reason: str,
    at: datetime.datetime,
) -> None:
    """Keep the previous state of each changed object (`changed_fields`' rows), inside the caller's transaction."""
    if versions:
        await tx.run(KEEP_VERSION[label], versions=versions, actorId=actor_id, reason=reason, at=at)


async def versions_of(store: Store, label: str, ids: list[str]) -> dict[str, list[ObjectVersionRow]]:
    """The versions of each of these objects of `label`, newest first, by id."""
    rows = await store.read(
        """
        UNWIND $ids AS id
        MATCH (v:Version {id: id, of: $label})
        WITH id, v ORDER BY v.at DESC
        RETURN id, collect(v {.at, .actorId, .reason, .changed, .before}) AS versions
        """,
        label=label,
        ids=ids,
    )
    return {row["id"]: row["versions"] for row in rows}
