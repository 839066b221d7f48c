"""Instants (the DateTime scalar): refused without an offset, wherever they are taken, with one message; printed in
milliseconds at +08:00, whatever offset they came in and whether they come from Neo4j or from Python."""

import datetime
import re

import httpx
import neo4j.time
import pytest

from graph_store.connection import Store
from schema.scalars import NO_OFFSET, print_instant

from .conftest import COMPANY, PERSON, ask, error_codes, headers, suite_clock
from .test_consents import GRANT, MINE, grant_input

INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$")
NAIVE = "2026-12-02T09:28:00"
REFUSED = f"'{NAIVE}' has no offset: {NO_OFFSET}"
AUDITOR = headers("AUDITOR", "AUDIT-1")
LOG_SINCE = "query($startAt: DateTime) { accessLog(startAt: $startAt) { totalCount edges { node { at } } } }"
LOG_BETWEEN = """query($startAt: DateTime, $endAt: DateTime) { accessLog(startAt: $startAt, endAt: $endAt) { totalCount
    edges { node { at } } } }"""


@pytest.mark.parametrize(
    ("document", "variables", "viewer"),
    [
        (f'{{ accessLog(startAt: "{NAIVE}") {{ totalCount }} }}', {}, AUDITOR),
        ("query($endAt: DateTime) { accessLog(endAt: $endAt) { totalCount } }", {"endAt": NAIVE}, AUDITOR),
        (GRANT, {"input": grant_input(expiresAt=NAIVE)}, headers("SUBJECT", PERSON)),
        (
            GRANT.replace("$input: GrantConsentInput!", "$categories: [Category!]!").replace(
                "input: $input",
                'input: {granteeCode: "91430100587654321X", purpose: "ADMINISTRATIVE_LICENSING_REVIEW", '
                f'categories: $categories, expiresAt: "{NAIVE}"}}',
            ),
            {"categories": ["OTHER"]},
            headers("SUBJECT", PERSON),
        ),
    ],
    ids=["access-log-start-inline", "access-log-end-variable", "consent-variable", "consent-inline"],
)
async def test_a_date_time_without_an_offset_is_refused_everywhere_with_one_message(
    sample_store: Store, client: httpx.AsyncClient, document: str, variables: dict[str, object], viewer: dict[str, str]
):
    body = await ask(client, document, viewer, **variables)
    assert body["data"] is None and error_codes(body) == ["BAD_USER_INPUT"]
    assert REFUSED in body["errors"][0]["message"]
    mine = (await ask(client, MINE, headers("SUBJECT", PERSON)))["data"]["myConsents"]
    assert [consent["id"] for consent in mine] == ["CON-0001"]  # nothing was granted


async def test_an_instant_filters_the_log_as_the_same_instant_in_any_offset(
    sample_store: Store, client: httpx.AsyncClient
):
    before = suite_clock() - datetime.timedelta(seconds=1)
    assert "errors" not in await ask(client, f'{{ subject(code: "{COMPANY}") {{ name }} }}', headers())
    after = suite_clock()  # past the read's entry, before the log's own readings (logged too) begin

    def in_utc(at: datetime.datetime) -> str:
        return at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")

    in_china = (await ask(client, LOG_BETWEEN, AUDITOR, startAt=before.isoformat(), endAt=after.isoformat()))["data"]
    assert (await ask(client, LOG_BETWEEN, AUDITOR, startAt=in_utc(before), endAt=in_utc(after)))["data"] == in_china
    assert in_china["accessLog"]["totalCount"] >= 1


async def test_instants_are_printed_in_milliseconds_at_china_time(sample_store: Store, client: httpx.AsyncClient):
    granted = await ask(client, GRANT, headers("SUBJECT", PERSON), input=grant_input(expiresAt="2031-01-01T00:00:00Z"))
    consent = granted["data"]["grantConsent"]["consent"]
    assert consent["expiresAt"] == "2031-01-01T08:00:00.000+08:00"
    assert INSTANT.match(consent["startsAt"]), consent["startsAt"]
    entries = (await ask(client, LOG_SINCE, AUDITOR))["data"]["accessLog"]["edges"]
    assert entries and all(INSTANT.match(edge["node"]["at"]) for edge in entries)


def test_neo4j_and_python_date_times_print_alike_and_a_naive_one_not_at_all():
    utc = datetime.UTC
    from_neo4j = neo4j.time.DateTime(2026, 12, 2, 1, 28, 0, 123456789, tzinfo=utc)
    from_python = datetime.datetime(2026, 12, 2, 1, 28, 0, 123456, tzinfo=utc)
    assert print_instant(from_neo4j) == print_instant(from_python) == "2026-12-02T09:28:00.123+08:00"
    assert print_instant(datetime.datetime(2026, 12, 2, 9, 28, tzinfo=utc)) == "2026-12-02T17:28:00.000+08:00"
    with pytest.raises(TypeError):
        print_instant(datetime.datetime(2026, 12, 2, 9, 28))
