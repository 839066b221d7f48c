"""The lines of an import file, each bounded, UTF-8 and strict JSON, and named by its number when it is not.

A provider's file comes from systems we do not run: Excel and many Windows tools begin it with a byte-order mark
(ignored), an export can hold a stray byte of another encoding, and a hostile one a line of a gigabyte or one nested
100,000 deep. Every refusal becomes the `line N: reason` of that line, so the importer reports it with the file's
other problems and writes nothing.
"""

import codecs
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from credit import strict_json

MAX_LINE_BYTES = 1024 * 1024
"""A line of the demo data or the examples is under 2 KB; a record's content of over 256 KiB could never be
corrected through the API (its request body limit), so 1 MiB leaves a legitimate line ample room."""


class LineProblem(ValueError):
    """What is wrong with one line, in words a provider's engineer can act on."""


def read_lines(stream: BinaryIO) -> Iterator[bytes]:
    """The stream's lines (split at `\\n` only), each cut after MAX_LINE_BYTES + 1 bytes: enough to refuse a line as
    too long without holding all of it."""
    while line := stream.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES:
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass  # the rest of the too-long line
        yield line


def decode_line(raw: bytes) -> Any:
    """The line's value; LineProblem says why it is refused."""
    if len(raw) > MAX_LINE_BYTES:
        raise LineProblem(f"longer than {MAX_LINE_BYTES:,} bytes (1 MiB), the most a line may have")
    try:
        return strict_json.loads_fast(raw)
    except strict_json.Refused as exc:
        raise LineProblem(str(exc)) from None


def decode_json_lines(lines: Iterable[bytes]) -> Iterator[tuple[int, Any]]:
    """(line number, decoded value); blank lines are skipped, refused ones yield their LineProblem."""
    for number, raw in enumerate(lines, start=1):
        if not raw.removeprefix(codecs.BOM_UTF8).strip():
            continue
        try:
            yield number, decode_line(raw)
        except LineProblem as exc:
            yield number, exc
