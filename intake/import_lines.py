"""The lines of an import file, each bounded, UTF-8 and strict JSON, and named by its number when it is not.

A provider's file comes from systems we do not run: Excel and many Windows tools begin it with a byte-order mark
(ignored), an export can hold a stray byte of another encoding, and a hostile one a line of a gigabyte or one nested
100,000 deep. Every refusal becomes the `line N: reason` of that line, so the importer reports it with the file's
other problems and writes nothing.
"""

import codecs
import hashlib
import os
from array import array
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, Protocol

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


class Source(Protocol):
    """An import's lines, read twice: once to check each alone, once to check them together and write them."""

    def numbered(self) -> Iterator[tuple[int, int, Any]]:
        """(line number, position, decoded value or its LineProblem) of every line that is not blank."""
        ...

    def again(self, position: int) -> Any:
        """The value at a position of the first read, read again (a LineProblem if it changed meanwhile)."""
        ...

    def number(self, position: int) -> int:
        """The line number at a position of the first read."""
        ...

    def changed(self) -> str | None:
        """Why the source is not what the first read found, or None."""
        ...


class HeldLines:
    """Decoded lines held in memory (the demo data's chunks, tests): read again as they were."""

    def __init__(self, numbered: Iterable[tuple[int, Any]]) -> None:
        self.lines = list(numbered)

    def numbered(self) -> Iterator[tuple[int, int, Any]]:
        for position, (number, value) in enumerate(self.lines):
            yield number, position, value

    def again(self, position: int) -> Any:
        return self.lines[position][1]

    def number(self, position: int) -> int:
        return self.lines[position][0]

    def changed(self) -> str | None:
        return None


CHANGED = (
    "changed after the import first read it: the file was modified during the import; nothing was written, import "
    "it once it is complete"
)


class FileLines:
    """A seekable file, read twice: the first read keeps where each line starts and a digest of its bytes (32 bytes
    a line), the second reads it there again and refuses a line whose bytes are not those the first read checked, and
    a file whose size changed (a provider's system still writing it, or one who would slip in unchecked lines)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.offsets = array("q")
        self.numbers = array("q")
        self.digests = bytearray()
        self.size = -1

    def numbered(self) -> Iterator[tuple[int, int, Any]]:
        stream = self.stream
        number = 0
        while True:
            offset = stream.tell()
            raw = stream.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            number += 1
            if len(raw) > MAX_LINE_BYTES:
                while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass  # the rest of the too-long line
            elif not raw.removeprefix(codecs.BOM_UTF8).strip():
                continue
            self.offsets.append(offset)
            self.numbers.append(number)
            self.digests += digest(raw)
            try:
                yield number, len(self.offsets) - 1, decode_line(raw)
            except LineProblem as exc:
                yield number, len(self.offsets) - 1, exc
        self.size = stream.tell()

    def again(self, position: int) -> Any:
        self.stream.seek(self.offsets[position])
        raw = self.stream.readline(MAX_LINE_BYTES + 1)
        if digest(raw) != self.digests[position * DIGEST : (position + 1) * DIGEST]:
            return LineProblem(CHANGED)
        try:
            return decode_line(raw)
        except LineProblem as exc:
            return exc

    def number(self, position: int) -> int:
        return self.numbers[position]

    def changed(self) -> str | None:
        size = os.fstat(self.stream.fileno()).st_size
        if size == self.size:
            return None
        return (
            f"the file was {self.size:,} bytes when the import first read it and is {size:,} now: it was modified "
            "during the import; nothing was written, import it once it is complete"
        )


DIGEST = 16


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=DIGEST).digest()
