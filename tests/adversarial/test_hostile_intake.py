"""Hostile intake: an import file that Python's json would crash on, or read as something else.

Each file is the example file with one line made hostile: refused with that line's number, nothing of the file
written, no traceback.
"""

import asyncio
import codecs
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from graph_store.connection import Store
from graph_store.importer import ImportFailed, import_json_lines
from server.cli import app as cli

from ..conftest import SAMPLE

SAMPLE_LINES = SAMPLE.read_bytes().splitlines(keepends=True)
PROVIDER_LINE = next(number for number, line in enumerate(SAMPLE_LINES, 1) if b'"kind": "provider"' in line)


def sample_with(number: int, line: bytes) -> bytes:
    """The example file with its line `number` replaced."""
    lines = list(SAMPLE_LINES)
    lines[number - 1] = line + b"\n"
    return b"".join(lines)


async def import_file(tmp_path: Path, content: bytes) -> Result:
    """`credit-graph import` of the content, run where it runs its own event loop."""
    path = tmp_path / "intake.jsonl"
    path.write_bytes(content)
    return await asyncio.to_thread(CliRunner().invoke, cli, ["import", str(path)])


def assert_refused(result: Result, problem: str) -> None:
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output  # not a crash
    assert "nothing was written" in result.output
    assert problem in result.output, result.output


async def nodes(store: Store) -> int:
    rows = await store.read("MATCH (n) RETURN count(n) AS n")
    return int(rows[0]["n"])


async def test_a_line_nested_100000_deep_is_refused_with_its_line_number_and_no_traceback(
    tmp_path: Path, empty_store: Store
):
    path = tmp_path / "deep.jsonl"
    path.write_bytes(sample_with(7, b'{"kind": "subject", "name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"))
    started = time.monotonic()
    run = subprocess.run(
        [str(Path(sys.executable).parent / "credit-graph"), "import", str(path)],
        capture_output=True, text=True, env=os.environ, timeout=120,
    )  # fmt: skip
    assert time.monotonic() - started < 30  # the process starting and connecting, mostly; refusing takes ms
    assert run.returncode == 1
    assert "line 7: objects and arrays nest more than 32 deep; flatten it" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout and "RecursionError" not in run.stderr
    assert await nodes(empty_store) == 0


async def test_a_key_repeated_in_a_line_is_refused_naming_the_line_and_the_key(tmp_path: Path, empty_store: Store):
    line = SAMPLE_LINES[PROVIDER_LINE - 1].rstrip(b"\n")
    name = json.loads(line)["name"]
    repeated = line.replace(f'"name": "{name}"'.encode(), f'"name": "{name}", "name": "冒名顶替"'.encode())
    result = await import_file(tmp_path, sample_with(PROVIDER_LINE, repeated))
    assert_refused(result, f"line {PROVIDER_LINE}: key 'name' appears twice in one object")
    assert await nodes(empty_store) == 0


async def test_a_file_that_begins_with_a_byte_order_mark_imports(tmp_path: Path, empty_store: Store):
    excel = codecs.BOM_UTF8 + SAMPLE.read_bytes().replace(b"\n", b"\r\n")  # as Excel saves "CSV UTF-8" on Windows
    result = await import_file(tmp_path, excel)
    assert result.exit_code == 0, result.output
    assert "Imported 33 objects" in result.output
    assert await nodes(empty_store) > 0


async def test_a_line_that_is_not_utf8_is_refused_with_its_number(tmp_path: Path, empty_store: Store):
    gbk = SAMPLE_LINES[PROVIDER_LINE - 1].rstrip(b"\n").decode().encode("gbk")  # a Chinese Windows export
    result = await import_file(tmp_path, sample_with(PROVIDER_LINE, gbk))
    assert_refused(result, f"line {PROVIDER_LINE}: not UTF-8: byte 0x")
    assert await nodes(empty_store) == 0


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        pytest.param(b'{"kind": "provider", "name": "' + b"x" * (1 << 20) + b'"}', "longer than 1,048,576 bytes",
                     id="a line of over 1 MiB"),
        pytest.param(b'{"kind": "investment", "investorCode": "914301023210987656", "investeeCode": '
                     b'"91430100587654321X", "share": NaN, "since": "2020-01-01"}', "NaN is not a JSON number",
                     id="NaN"),
        pytest.param(b'{"kind": "investment", "share": 1e999}', "the number 1e999 is too large", id="infinity"),
        pytest.param(b'{"kind": "investment", "share": ' + b"1" * 5000 + b"}", "a number has more than 4300 digits",
                     id="an integer of 5,000 digits"),
        pytest.param(b'{"kind": "subject", "name": "\\ud800"}', "a string holds half of a surrogate pair",
                     id="lone surrogate"),
    ],
)  # fmt: skip
async def test_other_hostile_lines_are_refused_with_their_number_and_write_nothing(
    empty_store: Store, line: bytes, problem: str
):
    content = sample_with(7, line) + b'{"kind": "spaceship"}\n'
    with pytest.raises(ImportFailed) as failure:
        await import_json_lines(empty_store, content.splitlines(keepends=True))
    assert failure.value.problems[0].startswith(f"line 7: {problem}")
    assert failure.value.problems[1].startswith(f"line {len(SAMPLE_LINES) + 1}: unknown kind 'spaceship'")
    assert await nodes(empty_store) == 0
