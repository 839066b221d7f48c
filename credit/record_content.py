"""What a record's content must be: what its catalog item's format says, and nothing banned about a person (Arts. 10,
15)."""

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing.exceptions import Unresolvable

from .banned_data import banned_field
from .strict_json import MAX_DEPTH, nests_deeper

MAX_CONTENT_DEPTH = MAX_DEPTH - 1
"""What an import line can carry: the API (a correction, an upheld objection) takes no deeper content than a file,
though a GraphQL literal may nest up to 200 deep (graphql-core's parser limit)."""

PERSONAL = "x-personal"
"""A catalog item's format marks the properties that name a natural person (`"x-personal": true`): a legal
representative, an operator. They are masked for viewers who may not know the record's people (graph_store/rows.py).
"""


def personal_fields(data_format: dict[str, Any], within: str = "") -> list[str]:
    """The properties of a catalog item's format that name a natural person, as dotted paths (`operator.name`),
    through nested objects and the items of arrays."""
    items = data_format.get("items")
    found = personal_fields(items, within) if isinstance(items, dict) else []  # each item of an array alike
    for name, schema in (data_format.get("properties") or {}).items():
        if not isinstance(schema, dict):
            continue
        path = f"{within}{name}"
        found += [path] if schema.get(PERSONAL) else personal_fields(schema, f"{path}.")
    return sorted(found)


def canonical_json(value: Any) -> str:
    """A catalog item's format as the store keeps it (and as validators are cached by)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=256)
def validator(data_format: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(data_format), format_checker=Draft202012Validator.FORMAT_CHECKER)


def content_problem(data_format: str, content: Any, catalog_item_id: str, *, about_person: bool) -> str | None:
    """Why the content may not be stored, in words a provider can act on; None when it may.

    `data_format` is the format's JSON text, as stored: one compiled validator serves every record of an item.
    Banned data is personal data (Art. 15): it is looked for only in content `about_person`, so a religious venue's
    registration may say it is religious.
    """
    if nests_deeper(content, MAX_CONTENT_DEPTH):
        return f"content nests objects and arrays more than {MAX_CONTENT_DEPTH} deep; flatten it"
    if about_person and (found := banned_field(content)):
        path, term = found
        return f"content field {path!r} concerns {term!r}, which may never be collected (Art. 15)"
    try:
        error = best_match(validator(data_format).iter_errors(content))
    except RecursionError:  # e.g. {"$ref": "#"}: check_schema accepts it, and every check recurses without end
        return f"the format of catalog item {catalog_item_id!r} refers to itself without end ($ref); fix the format"
    except Unresolvable as exc:  # nothing is fetched: only references within the format resolve
        return f"the format of catalog item {catalog_item_id!r} has a $ref that leads nowhere ({exc}); fix the format"
    if error:
        where = ".".join(str(part) for part in error.absolute_path)
        return (
            f"content{'.' + where if where else ''} does not match the format of catalog item "
            f"{catalog_item_id!r}: {error.message}"
        )
    return None
