"""What a record's content must be: what its catalog item's format says, and nothing banned about a person (Arts. 10,
15)."""

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import fastjsonschema
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


FAST_KEYWORDS = frozenset(
    {"$schema", "title", "description", "examples", "type", "properties", "required", "additionalProperties", "enum",
     "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems",
     "maxItems", "items", "format", PERSONAL}
)  # fmt: skip
"""The keywords whose meaning fastjsonschema (drafts 4-7) shares with Draft 2020-12 for the formats it compiles."""


def fast_subset(schema: Any, formats: dict[str, str], within: str | None = "") -> bool:
    """Whether `schema` uses only FAST_KEYWORDS, with string enums only, boolean additionalProperties, and `format`
    only on the top object's own properties (collected into `formats`, checked apart: fastjsonschema's `date`
    accepts 2024-02-30)."""
    if not isinstance(schema, dict) or not schema.keys() <= FAST_KEYWORDS:
        return False
    if "enum" in schema and not all(isinstance(member, str) for member in schema["enum"]):
        return False  # 2020-12 tells 1 from true and 1.0; Python's `in` does not
    if not isinstance(schema.get("additionalProperties", False), bool):
        return False
    if "format" in schema:
        if not within or not isinstance(schema["format"], str):
            return False
        formats[within] = schema["format"]
    properties = schema.get("properties", {})
    if not isinstance(properties, dict) or ("items" in schema and not fast_subset(schema["items"], formats, None)):
        return False
    return all(fast_subset(child, formats, name if within == "" else None) for name, child in properties.items())


@lru_cache(maxsize=256)
def fast_validator(data_format: str) -> Callable[[Any], bool] | None:
    """A compiled check that accepts exactly what `validator` accepts, for a format in the fast subset; None
    otherwise. Content it refuses goes through `validator`, which names the problem."""
    schema = json.loads(data_format)
    formats: dict[str, str] = {}
    if not isinstance(schema, dict) or not fast_subset(schema, formats):
        return None
    compiled = fastjsonschema.compile(schema, use_formats=False)
    checker = Draft202012Validator.FORMAT_CHECKER

    def accepts(content: Any) -> bool:
        try:
            compiled(content)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return all(name not in content or checker.conforms(content[name], format) for name, format in formats.items())

    return accepts


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
    if (fast := fast_validator(data_format)) is not None and fast(content):
        return None
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
