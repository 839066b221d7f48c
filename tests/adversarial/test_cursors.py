"""Cursors are opaque and unforgeable: no personal data inside, and only cursors the server issued are accepted."""

import base64
import json
import uuid
from typing import Any

import httpx
import pytest

from graph_store.connection import Store

from ..conftest import COMPANY, COURT, PERSON, PURPOSE, ask, error_codes, headers, sample_objects

ADMIN = headers("ADMIN", "ADMIN-1")
AGENCY = headers("AGENCY", COURT, PURPOSE)
SUBJECTS = "query($after: String) { subjects(first: 1, after: $after) { edges { cursor node { id code kind } } } }"
RECORDS = """query($code: String!, $after: String) { subject(code: $code) {
    records(first: 1, after: $after) { edges { cursor node { id } } } } }"""
RELATED = """query($code: String!, $after: String) { relatedSubjects(code: $code, maxHops: 2, first: 1, after: $after) {
    edges { cursor node { subject { code } } } } }"""
MY_LOG = "query($after: String) { myAccessLog(first: 1, after: $after) { edges { cursor } } }"
AUDIT = "query($after: String) { accessLog(first: 1, after: $after) { edges { cursor } } }"


def personal_data() -> set[str]:
    """Every code and name of a subject in the sample: none may show through a cursor."""
    subjects = [line for line in sample_objects() if line["kind"] == "subject"]
    return {subject["code"] for subject in subjects} | {subject["name"] for subject in subjects}


def readable(cursor: str) -> str:
    """Whatever a client can read out of a cursor: each dot-separated part, base64-decoded where it decodes."""
    parts = []
    for part in cursor.split("."):
        try:
            parts.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8", "replace"))
        except ValueError:
            parts.append(part)
    return cursor + " " + " ".join(parts)


async def cursors_of(client: httpx.AsyncClient) -> list[str]:
    """The cursors of every kind of list, walked two pages deep."""
    found: list[str] = []
    asks: list[tuple[str, dict[str, str], dict[str, Any], list[str]]] = [
        (SUBJECTS, ADMIN, {}, ["subjects"]),
        (RECORDS, ADMIN, {"code": COMPANY}, ["subject", "records"]),
        (RELATED, AGENCY, {"code": PERSON}, ["relatedSubjects"]),
        (MY_LOG, headers("SUBJECT", PERSON), {}, ["myAccessLog"]),
        (AUDIT, headers("AUDITOR", "AUDIT-1"), {}, ["accessLog"]),
    ]
    for query, viewer, variables, path in asks:
        after = None
        for _ in range(2):
            body = await ask(client, query, viewer, **variables, after=after)
            assert "errors" not in body, body
            page = body["data"]
            for step in path:
                page = page[step]
            found += [edge["cursor"] for edge in page["edges"]]
            after = found[-1]
    return found


async def test_no_cursor_carries_a_code_or_a_name(fresh_sample_store: Store, client: httpx.AsyncClient):
    cursors = await cursors_of(client)
    assert len(cursors) >= 10
    secrets = personal_data()
    for cursor in cursors:
        assert not [secret for secret in secrets if secret in readable(cursor)], cursor


@pytest.mark.parametrize(
    "forged",
    [
        base64.urlsafe_b64encode(json.dumps([PERSON]).encode()).decode().rstrip("="),  # the old, unsigned format
        "WyIwMDAwIl0",
        "not a cursor",
        "",
    ],
    ids=["unsigned-code", "unsigned-position", "junk", "empty"],
)
async def test_a_cursor_the_server_did_not_issue_is_refused(
    fresh_sample_store: Store, client: httpx.AsyncClient, forged: str
):
    body = await ask(client, SUBJECTS, ADMIN, after=forged)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "not a cursor from this list" in body["errors"][0]["message"]


async def test_a_cursor_with_its_position_changed_is_refused(fresh_sample_store: Store, client: httpx.AsyncClient):
    issued = (await ask(client, SUBJECTS, ADMIN))["data"]["subjects"]["edges"][0]["cursor"]
    payload, _, tag = issued.partition(".")
    moved = base64.urlsafe_b64encode(json.dumps(["0"]).encode()).decode().rstrip("=")
    assert error_codes(await ask(client, SUBJECTS, ADMIN, after=f"{moved}.{tag}")) == ["BAD_USER_INPUT"]
    altered = ("B" if tag[0] == "A" else "A") + tag[1:]  # one character surely changed, not perhaps the same
    assert error_codes(await ask(client, SUBJECTS, ADMIN, after=f"{payload}.{altered}")) == ["BAD_USER_INPUT"]


async def test_a_cursor_of_one_list_is_refused_by_another(fresh_sample_store: Store, client: httpx.AsyncClient):
    records = await ask(client, RECORDS, ADMIN, code=COMPANY)
    cursor = records["data"]["subject"]["records"]["edges"][0]["cursor"]
    audit = await ask(client, AUDIT, headers("AUDITOR", "AUDIT-1"))
    assert "errors" not in audit
    seq_cursor = audit["data"]["accessLog"]["edges"][0]["cursor"]
    assert error_codes(await ask(client, MY_LOG, headers("SUBJECT", PERSON), after=seq_cursor)) == ["BAD_USER_INPUT"]
    assert error_codes(await ask(client, SUBJECTS, ADMIN, after=cursor)) == ["BAD_USER_INPUT"]


async def test_subjects_are_listed_in_an_order_that_says_nothing_of_their_codes(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    body = await ask(client, "{ subjects(first: 100) { edges { node { id code } } } }", ADMIN)
    listed = [edge["node"] for edge in body["data"]["subjects"]["edges"]]
    assert len(listed) == 5
    assert [subject["id"] for subject in listed] == sorted(subject["id"] for subject in listed)
    assert all(uuid.UUID(subject["id"]).version == 4 for subject in listed)  # random, not derived from the code
