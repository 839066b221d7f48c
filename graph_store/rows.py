"""Rows on their way out of Neo4j: the one place where what a request reveals is recorded and persons are masked.

Every query that returns a subject, record, listing, measure, objection or
consent projects it with an `entity` tag (`s {entity: 'Subject', ...}`). As a
row leaves the store, each tagged map is

- recorded in the request's `Seen` (the access log writes what was seen, not
  what was asked for, whatever shape the GraphQL document had), and
- shown as the viewer may see it: a subject the policy did not reveal has its
  name and resident ID masked; a record's content has the person-identifying
  fields its catalog item marks `"x-personal": true` masked unless the policy
  reveals the record's people; a version names its actor only to those who may
  see actors, and an earlier version shows its title and content only to those
  who may read earlier content.

The decisions (`revealed`, `peopleRevealed`, `actorsShown`, `contentShown`) are made in the
query by predicates compiled from the policy; a tagged map that lacks its
decision fails here (KeyError) rather than leaving unmasked. Masking follows the
convention of the Measures: 张三 -> 张*, 张三丰 -> 张*丰, 欧阳娜娜 -> 欧**娜, and
4301**********1234 for a resident ID.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import neo4j
import neo4j.graph
import neo4j.time

Row = dict[str, Any]

ENTITY = "entity"
RESIDENT_ID = re.compile(r"^\d{17}[\dXx]$")


@dataclass
class Seen:
    """The ids of everything a request's rows revealed, by kind (the tag), and the subjects they are about; true once
    anything tagged was revealed. An access-log entry keeps the ids of subjects, records, listings, measures,
    objections and consents; other kinds (notices, applications, log entries) still make a request one that
    touched credit data."""

    ids: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))

    def saw(self, kind: str, row: Row) -> None:
        if row.get("id") is not None:
            self.ids[kind].add(row["id"])
        if row.get("subjectId") is not None:
            self.ids["Subject"].add(row["subjectId"])
        self.ids["Subject"].update(row.get("subjectIds") or ())  # a log entry shown names whom it touched

    def of(self, kind: str) -> list[Any]:
        return sorted(self.ids.get(kind, ()))

    def absorb(self, other: "Seen") -> None:
        for kind, ids in other.ids.items():
            self.ids[kind] |= ids

    def beyond(self, other: "Seen") -> "Seen":
        """What this saw that `other` did not."""
        return Seen(defaultdict(set, {kind: ids - other.ids.get(kind, set()) for kind, ids in self.ids.items()}))

    def __bool__(self) -> bool:
        return any(self.ids.values())


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_resident_id(code: str) -> str:
    return code[:4] + "*" * (len(code) - 8) + code[-4:]


def mask_personal(value: Any) -> Any:
    """A person-identifying value in record content, masked whatever its shape: a resident ID or a name; every
    string inside a list or an object; anything else (a number) as the text it stands for."""
    if value is None:
        return None
    if isinstance(value, str):
        return mask_resident_id(value) if RESIDENT_ID.match(value) else mask_name(value)
    if isinstance(value, list):
        return [mask_personal(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_personal(item) for key, item in value.items()}
    return mask_personal(str(value))


def masked_at(content: Any, path: list[str]) -> Any:
    """`content` with the value at `path` masked (through objects, and each item of an array on the way)."""
    if isinstance(content, list):
        return [masked_at(item, path) for item in content]
    if not isinstance(content, dict) or path[0] not in content:
        return content
    inner = mask_personal(content[path[0]]) if len(path) == 1 else masked_at(content[path[0]], path[1:])
    return {**content, path[0]: inner}


def shown_subject(subject: Row) -> Row:
    revealed = subject.pop("revealed")
    if revealed:
        subject["masked"] = False
        return subject
    subject["name"] = mask_name(subject["name"])
    subject["code"] = mask_resident_id(subject["code"])
    subject["masked"] = True
    return subject


def shown_content(row: Row) -> Row:
    """Content is stored as JSON text (Neo4j has no nested maps); clients get the object, its people masked. (A
    change names the records it touched with their ids alone: no content, nothing to mask.)"""
    if "content" not in row:
        return row
    personal = row.pop("personalFields") or []
    revealed = row.pop("peopleRevealed")
    content = json.loads(row["content"])
    if not revealed:
        for path in personal:
            content = masked_at(content, path.split("."))
    row["content"] = content
    return row


def shown_version(version: Row) -> Row:
    """A version names its actor only to those who may see actors; an earlier version says what it said (title and
    content) only to those who may read earlier content (Arts. 32-33), and to the rest its number, time and reason."""
    if not version.pop("actorsShown"):
        version["actorId"] = None
    if not version.pop("contentShown"):
        del version["personalFields"], version["peopleRevealed"]
        version["title"] = None
        version["content"] = None
        return version
    return shown_content(version)


SHOWN = {"Subject": shown_subject, "Record": shown_content, "RecordVersion": shown_version}


PLAIN = frozenset({str, int, float, bool, type(None)})
"""Values that leave as they are: most of a row, so they are passed over without a call (rows are the read path's
hottest loop)."""


def outgoing(value: Any, seen: Seen | None) -> Any:
    """A value from Neo4j as the resolvers get it: Python's temporal types, tagged maps recorded and masked."""
    kind = type(value)
    if kind is dict:
        converted = {key: item if type(item) in PLAIN else outgoing(item, seen) for key, item in value.items()}
        tag = converted.pop(ENTITY, None)
        if tag is None:
            return converted
        if seen is not None:
            seen.saw(tag, converted)
        show = SHOWN.get(tag)
        return show(converted) if show else converted
    if kind is list:
        return [item if type(item) in PLAIN else outgoing(item, seen) for item in value]
    if kind is neo4j.time.Date or kind is neo4j.time.DateTime:
        return value.to_native()
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship, neo4j.graph.Path)):
        raise TypeError("a query returns maps (`n {.code}`), not nodes, relationships or paths")
    return value


def row(record: neo4j.Record, seen: Seen | None = None) -> Row:
    """A record as a plain dict, in one pass (`Record.data()` would walk every value once more)."""
    return {key: value if type(value) in PLAIN else outgoing(value, seen) for key, value in record.items()}
