"""Relay pagination arguments: page sizes and opaque, signed cursors.

A cursor is the sort key of the last item seen, as base64url JSON, and an
HMAC-SHA256 tag over it and the list's name, made with the server's cursor key.
Only the server can make one, so `after` cannot be used to probe positions the
server never handed out, and a cursor of one list means nothing to another.
Sort keys are ids, dates and sequence numbers: never a code or a name, so a
cursor carries no personal data.
"""

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from credit.errors import BadInput
from graph_store.projection import MOST_LISTED

T = TypeVar("T")
R = TypeVar("R")
NOT_OURS = "after is not a cursor from this list; pass back an endCursor or cursor you received"
DEFAULT_PAGE = 20
MAX_PAGE = MOST_LISTED
"""The largest page: what a page read with its parent (graph_store/projection.py) may hold."""
TAG_BYTES = 16


Total = Callable[[], int | Awaitable[int]]
"""How many items a whole list has, asked for only when a client selects totalCount: it can cost a query."""


@dataclass(frozen=True)
class Page(Generic[R]):
    """A page of rows of one type (`R`: a row type of graph_store, say reads.SubjectRow)."""

    rows: list[R]
    has_next_page: bool
    total: Total
    cursor: Callable[[R], str]
    """The cursor of a row, made only for the cursors a client selects: each is a signature."""

    @property
    def start_cursor(self) -> str | None:
        return self.cursor(self.rows[0]) if self.rows else None

    @property
    def end_cursor(self) -> str | None:
        return self.cursor(self.rows[-1]) if self.rows else None


def known(total: int) -> Total:
    """A total the page's own query already counted: answered at once, no await (which would hold the page's
    nested fields back a tick and split their loaders' batches)."""
    return lambda: total


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if not 0 <= first <= MAX_PAGE:
        raise BadInput(f"first must be between 0 and {MAX_PAGE}, not {first}; page through longer lists with after")
    return first


def unpadded(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def padded(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Cursors:
    """Makes and reads the cursors of every list, with the server's cursor key."""

    key: bytes

    def tag(self, listing: str, payload: bytes) -> bytes:
        return hmac.new(self.key, listing.encode() + b"\x00" + payload, hashlib.sha256).digest()[:TAG_BYTES]

    def issue(self, listing: str, *position: str) -> str:
        """The cursor of an item of `listing` at `position` (its sort key, as strings)."""
        payload = json.dumps(position, separators=(",", ":")).encode()
        return f"{unpadded(payload)}.{unpadded(self.tag(listing, payload))}"

    def position(self, listing: str, cursor: str | None, *, length: int) -> list[str] | None:
        """The sort key inside a cursor this server issued for `listing`; BadInput for any other string."""
        if cursor is None:
            return None
        payload_text, _, tag_text = cursor.partition(".")
        try:
            payload, tag = padded(payload_text), padded(tag_text)
        except (binascii.Error, ValueError):
            raise BadInput(NOT_OURS) from None
        if not hmac.compare_digest(tag, self.tag(listing, payload)):
            raise BadInput(NOT_OURS)
        key = json.loads(payload)
        if not isinstance(key, list) or len(key) != length or not all(isinstance(part, str) for part in key):
            raise BadInput(NOT_OURS)
        return key

    def sort_key(self, listing: str, cursor: str | None, parse: Callable[[str], T]) -> tuple[T, str] | None:
        """The (value, id) inside a cursor of a list sorted by a value, then id; `parse` reads the value back."""
        key = self.position(listing, cursor, length=2)
        if key is None:
            return None
        try:
            return parse(key[0]), key[1]
        except ValueError:
            raise BadInput(NOT_OURS) from None
