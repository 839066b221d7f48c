"""A record's versions: every change keeps the record as it was, with who, when and why (Arts. 18, 33).

Import and corrections both change records through `KEEP_CURRENT_VERSION`,
which copies the current state into a `RecordVersion` before it is replaced.
"""

import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import Any, TypedDict

from .connection import Store
from .reads import RecordRow

KEEP_CURRENT_VERSION = """
    CREATE (r)-[:PREVIOUS]->(:RecordVersion {
        recordId: r.id, version: r.version, at: r.versionAt, actorId: r.versionActorId, reason: r.versionReason,
        title: r.title, content: r.content, nature: r.nature, severity: r.severity, status: r.status,
        confirmedAt: r.confirmedAt, documentIds: [(r)-[:BASED_ON]->(d:Document) | d.id]
    })
"""


class Corrected(TypedDict):
    version: int
    """The record's new version."""


def content_hash(state: Mapping[str, Any], content_text: str | None = None) -> str:
    """A fingerprint of what a version says: a re-import that says the same makes no new version. `content_text`, the
    content as canonical JSON (sorted keys) when the caller has it, saves serializing it again (an import's records)."""
    covered = {name: state.get(name) for name in ("title", "nature", "severity")}  # Neo4j omits nulls
    covered["documentIds"] = sorted(state["documentIds"])
    if content_text is None:
        covered["confirmedAt"] = state["confirmedAt"].isoformat()
        covered["content"] = state.get("content")
        text = json.dumps(covered, sort_keys=True, ensure_ascii=False)
    else:  # the same text: the keys in order are confirmedAt, content, then the rest
        rest = json.dumps(covered, sort_keys=True, ensure_ascii=False)
        confirmed = json.dumps(state["confirmedAt"].isoformat())
        text = f'{{"confirmedAt": {confirmed}, "content": {content_text}, {rest[1:]}'
    return hashlib.sha256(text.encode()).hexdigest()


async def correct(
    store: Store,
    record: RecordRow,
    *,
    title: str,
    content: dict[str, Any],
    reason: str,
    actor_id: str,
    at: datetime.datetime,
) -> "Corrected | None":
    """A new version of `record` with this title and content; None if it changed since it was read."""
    documents = await store.read(
        "MATCH (:Record {id: $id})-[:BASED_ON]->(d:Document) RETURN d.id AS id", id=record["id"]
    )
    new_hash = content_hash({**record, "title": title, "content": content, "documentIds": [d["id"] for d in documents]})
    rows = await store.write(
        f"""
        MATCH (r:Record {{id: $id}})
        WHERE r.version = $version
        {KEEP_CURRENT_VERSION}
        SET r.title = $title, r.content = $content, r.contentHash = $hash,
            r.version = r.version + 1, r.versionAt = $at, r.versionActorId = $actorId, r.versionReason = $reason
        RETURN r.version AS version
        """,
        id=record["id"],
        version=record["version"],
        title=title,
        content=json.dumps(content, ensure_ascii=False, sort_keys=True),
        hash=new_hash,
        at=at,
        actorId=actor_id,
        reason=reason,
    )
    return Corrected(version=rows[0]["version"]) if rows else None
