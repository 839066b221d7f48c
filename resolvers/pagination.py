"""Relay pagination arguments: page sizes and opaque cursors.

A cursor is the sort key of the last item seen, as base64url JSON. Clients must
treat it as opaque; we only promise that passing it back continues the list.
"""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from graph_store.errors import BadInput

T = TypeVar("T")
NOT_OURS = "after is not a cursor from this list; pass back an endCursor or cursor you received"
DEFAULT_PAGE = 20
MAX_PAGE = 100


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    has_next_page: bool
    total_count: int
    cursors: list[str]

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if not 0 <= first <= MAX_PAGE:
        raise BadInput(f"first must be between 0 and {MAX_PAGE}, not {first}; page through longer lists with after")
    return first


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, length: int) -> list[Any] | None:
    """The sort key inside a cursor; BadInput if it is not one of ours."""
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    if not isinstance(key, list) or len(key) != length or not all(isinstance(part, str) for part in key):
        raise BadInput(NOT_OURS)
    return key


def decode_sort_key(cursor: str | None, parse: Callable[[str], T]) -> tuple[T, str] | None:
    """The (value, id) inside a cursor of a list sorted by a value, then id; `parse` reads the value back."""
    key = decode_cursor(cursor, length=2)
    if key is None:
        return None
    try:
        return parse(key[0]), key[1]
    except ValueError:
        raise BadInput(NOT_OURS) from None
