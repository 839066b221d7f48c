"""JSON from outside (import lines, request bodies) decoded strictly: refused, with a reason, where `json` guesses.

Python's `json.loads` keeps the last of two equal keys without a word, reads `NaN`, `Infinity` and `1e999` (none
is JSON, and no client can read them back), and recurses once per level of nesting, so a value nested 100,000 deep
ends in a RecursionError. Here the nesting is measured first, without recursion, and the rest is refused while
decoding.
"""

import codecs
import json
import math
import re
import sys
from collections import Counter
from typing import Any, NoReturn

import msgspec

MAX_DEPTH = 32
"""Objects and arrays within each other, the outermost counting as 1. The deepest line of the demo data and the
examples nests 5 deep (a catalog item's format); a record's content nests at most MAX_DEPTH - 1 within its line."""

STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
"""A JSON string, escapes and all (to its end, if it has none): brackets in it do not nest."""
ONLY_BRACKETS = bytes.maketrans(b"{}", b"[]"), bytes(byte for byte in range(256) if byte not in b"[]{}")
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class Refused(Exception):
    """Why a text is not JSON the platform accepts, in words the sender can act on."""


def utf8(data: bytes) -> str:
    """The text; a byte-order mark is dropped ("utf-8-sig" takes three times as long)."""
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode()
    except UnicodeDecodeError as exc:
        where = bom + exc.start
        raise Refused(f"not UTF-8: byte 0x{data[where]:02X} at byte {where + 1}; send UTF-8") from None


def too_deep(data: bytes, limit: int) -> bool:
    """Whether objects and arrays nest deeper than `limit`, without recursion and in C: strings dropped, each pass
    takes away the innermost pairs, one level of nesting, and a run of openers (each inside the one before) ends it
    early. (A Python loop over the brackets is far slower: docs/performance.md, "Parsing bodies and import lines".)"""
    if data.count(b"{") + data.count(b"[") <= limit:
        return False  # it cannot nest deeper than it has brackets: most texts end here
    brackets = STRING.sub(b"", data).translate(*ONLY_BRACKETS)
    depth = 0
    while b"[]" in brackets:
        if b"[" * (limit + 1 - depth) in brackets:
            return True
        brackets = brackets.replace(b"[]", b"")
        depth += 1
    return depth + brackets.count(b"[") > limit  # what is left is `]]..[[`: brackets never closed nest what follows


def nests_deeper(value: Any, limit: int) -> bool:
    """Whether a decoded value nests deeper than `limit`; recurses at most `limit` levels."""
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
    if children is None:
        return False
    return limit == 0 or any(nests_deeper(child, limit - 1) for child in children)


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) < len(pairs):
        repeated = next(key for key, count in Counter(key for key, _ in pairs).items() if count > 1)
        raise Refused(f"key {repeated!r} appears twice in one object; keep the one you mean")
    return found


def no_constant(name: str) -> NoReturn:
    raise Refused(f"{name} is not a JSON number")


def finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise Refused(f"the number {text[:40]} is too large for a double")
    return number


def loads(data: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The value of a JSON text (bytes: UTF-8, a byte-order mark ignored); Refused when it is not UTF-8, nests
    deeper than `max_depth`, repeats a key in one object, holds a number that is not finite or has more digits than
    Python reads, or a lone surrogate escape (`"\\ud800"`: not a character, and Neo4j cannot store it)."""
    if too_deep(data if isinstance(data, bytes) else data.encode(errors="surrogatepass"), max_depth):
        raise Refused(f"objects and arrays nest more than {max_depth} deep; flatten it")
    text = utf8(data) if isinstance(data, bytes) else data
    try:
        value = json.loads(text, object_pairs_hook=unique_keys, parse_constant=no_constant, parse_float=finite)
    except json.JSONDecodeError as exc:
        raise Refused(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError:  # the only other: an integer longer than int() reads
        raise Refused(f"a number has more than {sys.get_int_max_str_digits()} digits") from None
    if SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(value, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            raise Refused("a string holds half of a surrogate pair (\\ud800-\\udfff alone): not a character") from None
    return value


FAST = msgspec.json.Decoder()


def key_count(value: dict[str, Any] | list[Any]) -> int:
    """How many keys the objects in a decoded value hold, all levels (recursion bounded by the nesting checked)."""
    count = 0
    if isinstance(value, dict):
        count = len(value)
    for child in value.values() if isinstance(value, dict) else value:
        if isinstance(child, dict | list):
            count += key_count(child)
    return count


def loads_fast(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """What `loads` returns, about ten times faster on the JSON a machine writes; `loads` itself (and its reason)
    for anything else.

    msgspec refuses, as `loads` does, what is not UTF-8, not JSON, `NaN` and the infinities, numbers out of range and
    lone surrogates; it keeps the last of two equal keys, so a text whose objects hold fewer keys than it has key
    separators (colons outside strings) goes the long way, where a repeated key is named."""
    if too_deep(data, max_depth):
        return loads(data, max_depth)
    try:
        value = FAST.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return loads(data, max_depth)
    if isinstance(value, dict | list):
        keys = key_count(value)
        if keys != data.count(b":") and keys != STRING.sub(b"", data).count(b":"):
            return loads(data, max_depth)
    return value
