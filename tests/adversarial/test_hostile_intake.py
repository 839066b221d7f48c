"""Hostile intake: an import file or a request body that Python's json would crash on, or read as something else.

Each file is the example file with one line made hostile: refused with that line's number, nothing of the file
written, no traceback. Request bodies are refused with BAD_USER_INPUT and change nothing.
"""

import asyncio
import codecs
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from credit import strict_json
from graph_store.connection import Store
from intake.importer import ImportFailed, import_json_lines
from server.cli import app as cli

from ..conftest import MARKET_REGULATOR, SAMPLE, error_codes, headers, wipe

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

SAMPLE_LINES = SAMPLE.read_bytes().splitlines(keepends=True)
PROVIDER_LINE = next(number for number, line in enumerate(SAMPLE_LINES, 1) if b'"kind": "provider"' in line)
CORRECT = "mutation($input: CorrectRecordInput!) { correctRecord(input: $input) { record { id } } }"
RECORD_STATE = "MATCH (r:Record {id: 'REC-REG-0001'}) RETURN r.version AS version, r.content AS content"


def sample_with(number: int, line: bytes) -> bytes:
    """The example file with its line `number` replaced."""
    lines = list(SAMPLE_LINES)
    lines[number - 1] = line + b"\n"
    return b"".join(lines)


async def import_file(tmp_path: Path, content: bytes) -> Result:
    """`credit-graph import` of the content, run where it runs its own event loop."""
    path = tmp_path / "intake.jsonl"
    path.write_bytes(content)
    return await asyncio.to_thread(lambda: CliRunner().invoke(cli, ["import", str(path)]))


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
        pytest.param(b'{"kind": "subject", "name": ' + b"[" * 100_000, "objects and arrays nest more than 32 deep",
                     id="100,000 brackets never closed"),
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


TRICKY = st.text(alphabet='[]{}"\\ab\u6e58', max_size=4)
"""Strings full of brackets, quotes and escapes: they must not count as nesting."""
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | TRICKY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY, inner, max_size=3),
    max_leaves=12,
)


def nesting(value: Any) -> int:
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
    return 0 if children is None else 1 + max(map(nesting, children), default=0)


@settings(max_examples=300, deadline=None)
@given(value=JSON, wrappers=st.lists(st.none() | TRICKY, min_size=28, max_size=36))  # about the limit
def test_nesting_is_measured_as_json_nests_and_what_is_within_the_limit_decodes_unchanged(
    value: Any, wrappers: list[str | None]
):
    for key in wrappers:  # an array around it, or an object with the key
        value = [value] if key is None else {key: value}
    text = json.dumps(value, ensure_ascii=False)
    if nesting(value) > strict_json.MAX_DEPTH:
        with pytest.raises(strict_json.Refused, match="nest more than 32 deep"):
            strict_json.loads(text.encode())
    else:
        assert strict_json.loads(text.encode()) == value


def decoded(loads: Any, text: bytes) -> tuple[str, Any]:
    try:
        return "value", loads(text)
    except strict_json.Refused as exc:
        return "refused", str(exc)


TEXT_PARTS = st.sampled_from(
    [b"{", b"}", b"[", b"]", b'"a"', b'"a:"', b'"\\":', b":", b",", b" ", b"1", b"-0", b"1e999", b"NaN", b"null",
     b'"\\ud800"', b'"\\ud800\\udc00"', b"\xff", b"\xef\xbb\xbf", b'"\\""', b"1.5", b"18446744073709551616"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    value=JSON,
    repeat=st.booleans(),
    garbage=st.lists(TEXT_PARTS, max_size=12).map(b"".join),
)
def test_the_fast_decoder_answers_what_the_strict_one_does(value: Any, repeat: bool, garbage: bytes):
    """loads_fast (msgspec) must accept exactly what loads accepts, with the same value, and refuse the rest with
    loads' reason: repeated keys (msgspec keeps the last), lone surrogates, numbers out of range, bad bytes."""
    text = json.dumps(value, ensure_ascii=False).encode()
    if repeat and isinstance(value, dict) and value:
        text = text[:-1] + b", " + text[1:]  # every key twice
    for candidate in (text, garbage, b'{"k": ' + garbage + b"}"):
        assert decoded(strict_json.loads_fast, candidate) == decoded(strict_json.loads, candidate)


def line_of(key: str) -> int:
    return next(number for number, line in enumerate(SAMPLE_LINES, 1) if f'"id": "{key}"'.encode() in line)


@pytest.mark.parametrize(
    ("data_format", "problem"),
    [
        pytest.param({"$ref": "#"}, "refers to itself without end ($ref)", id="a $ref to itself"),
        pytest.param({"$ref": "https://example.com/format.json"}, "has a $ref that leads nowhere", id="a remote $ref"),
    ],
)
async def test_a_catalog_format_that_cannot_check_content_refuses_its_records_with_their_numbers(
    empty_store: Store, data_format: dict[str, Any], problem: str
):
    catalog_line = line_of("CAT-AMR-REG")
    item = {**json.loads(SAMPLE_LINES[catalog_line - 1]), "dataFormat": data_format}
    content = sample_with(catalog_line, json.dumps(item, ensure_ascii=False).encode())
    with pytest.raises(ImportFailed) as failure:
        await import_json_lines(empty_store, content.splitlines(keepends=True))
    [refused] = failure.value.problems
    assert refused.startswith(f"line {line_of('REC-REG-0001')}: the format of catalog item 'CAT-AMR-REG' {problem}")
    assert await nodes(empty_store) == 0


@pytest.fixture
async def record_store(store: Store) -> Store:
    await wipe(store)
    await import_json_lines(store, SAMPLE_LINES)
    return store


def correction(content: str) -> str:
    """A correctRecord body with `content` as raw JSON text: json.dumps could not write what the attacks hold."""
    variables = {"input": {"recordId": "REC-REG-0001", "title": "更正", "reason": "更正", "content": "CONTENT"}}
    return json.dumps({"query": CORRECT, "variables": variables}, ensure_ascii=False).replace('"CONTENT"', content)


async def post(client: httpx.AsyncClient, body: str | bytes, **request_headers: str) -> httpx.Response:
    return await client.post("/graphql", content=body, headers={"Content-Type": "application/json", **request_headers})


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param(correction('{"establishedOn": "2019-04-01", "establishedOn": "2019-04-02"}'),
                     "key 'establishedOn' appears twice in one object", id="a repeated key"),
        pytest.param(correction('{"establishedOn": "2019-04-01", "registeredCapital": NaN}'),
                     "NaN is not a JSON number", id="NaN"),
        pytest.param(correction('{"establishedOn": "2019-04-01", "legalRepresentative": "\\udc00"}'),
                     "a string holds half of a surrogate pair",
                     id="lone surrogate"),
        pytest.param(correction('{"a": ' * 990 + "1" + "}" * 990), "nest more than 64 deep", id="nested 990 deep"),
        pytest.param(correction('"?"').encode().replace(b'"?"', b'"\xff"'), "not UTF-8: byte 0xFF", id="not UTF-8"),
    ],
)  # fmt: skip
async def test_a_correction_whose_body_json_would_misread_is_refused_and_changes_nothing(
    record_store: Store, client: httpx.AsyncClient, body: str, problem: str
):
    before = await record_store.read(RECORD_STATE)
    response = await post(client, body, **headers("PROVIDER", MARKET_REGULATOR))
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    assert problem in response.json()["errors"][0]["message"]
    assert await record_store.read(RECORD_STATE) == before
    [entry] = await record_store.read(
        "MATCH (e:AccessLogEntry) WHERE e.operation CONTAINS 'not strict JSON' RETURN e.decision AS decision"
    )
    assert entry["decision"] == "DENIED"


async def test_an_anonymous_body_nested_100000_deep_is_refused_quickly_not_a_server_error(
    store: Store, client: httpx.AsyncClient
):
    body = '{"query": "{ catalog { id } }", "variables": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    started = time.monotonic()
    response = await post(client, body)
    assert time.monotonic() - started < 5
    assert response.status_code == 400 and error_codes(response.json()) == ["BAD_USER_INPUT"]


async def test_a_body_naming_its_query_twice_is_refused_rather_than_running_the_last(
    store: Store, client: httpx.AsyncClient
):
    response = await post(client, '{"query": "{ catalog { id } }", "query": "{ __typename }"}')
    assert response.status_code == 400 and "key 'query' appears twice" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param('{establishedOn: "2019-04-01", establishedOn: "2019-04-02"}',
                     "There can be only one input field named 'establishedOn'", id="a repeated key"),
        pytest.param('{establishedOn: "2019-04-01", a: ' + "{a: " * 40 + "1" + "}" * 41,
                     "content nests objects and arrays more than 31 deep", id="nested 41 deep"),
    ],
)  # fmt: skip
async def test_content_written_as_a_graphql_literal_follows_the_same_rules(
    record_store: Store, client: httpx.AsyncClient, content: str, problem: str
):
    before = await record_store.read(RECORD_STATE)
    correction = f'recordId: "REC-REG-0001", title: "更正", reason: "更正", content: {content}'
    query = f"mutation {{ correctRecord(input: {{{correction}}}) {{ record {{ id }} }} }}"
    response = await post(client, json.dumps({"query": query}), **headers("PROVIDER", MARKET_REGULATOR))
    body: dict[str, Any] = response.json()
    assert error_codes(body) == ["BAD_USER_INPUT"] and problem in body["errors"][0]["message"]
    assert await record_store.read(RECORD_STATE) == before


async def test_content_nested_within_the_body_limit_but_deeper_than_a_file_allows_is_refused(
    record_store: Store, client: httpx.AsyncClient
):
    before = await record_store.read(RECORD_STATE)
    deep = '{"establishedOn": "2019-04-01", "a": ' + '{"a": ' * 40 + "1" + "}" * 41
    body = (await post(client, correction(deep), **headers("PROVIDER", MARKET_REGULATOR))).json()
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "content nests objects and arrays more than 31 deep; flatten it"
    assert await record_store.read(RECORD_STATE) == before
