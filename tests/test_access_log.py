"""The access log: one sealed entry per request on credit data, readable by the subject and auditors, fail closed."""

import asyncio
import datetime
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from typer.testing import CliRunner

from authz.access_log import ALLOWED, LogWriter, entry_fields, verify
from authz.principal import ANONYMOUS
from graph_store.connection import Store
from server import settings as settings_module
from server.cli import app as cli

from .conftest import COMPANY, COURT, PERSON, PURPOSE, actor_of, ask, error_codes, headers, make_app, suite_clock

COMPANY_PAGE = "query CompanyPage($code: String!) { subject(code: $code) { name records { edges { node { id } } } } }"
AUDIT = """query($subject: String, $actor: String) { accessLog(subjectCode: $subject, actorId: $actor) { totalCount
    edges { node { seq actorId actorName unit role purpose operation decision subjectCodes recordIds hash prevHash } } } }"""
AUDITOR = headers("AUDITOR", "AUDIT-1")


async def audit(client: httpx.AsyncClient, **variables: Any) -> list[dict[str, Any]]:
    body = await ask(client, AUDIT, AUDITOR, **variables)
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["accessLog"]["edges"]]


async def test_a_read_writes_who_when_what_and_why(fresh_sample_store: Store, client: httpx.AsyncClient):
    agency = headers("AGENCY", COURT, PURPOSE)
    body = await ask(client, COMPANY_PAGE, agency, code=COMPANY)
    assert "errors" not in body
    [entry] = await audit(client, actor=actor_of("AGENCY", COURT))
    assert entry["actorName"] == "测试用户" and entry["unit"] == COURT and entry["role"] == "AGENCY"
    assert entry["purpose"] == PURPOSE
    assert entry["operation"] == "query CompanyPage (subject)"
    assert entry["decision"] == "ALLOWED"
    assert entry["subjectCodes"] == [COMPANY]
    assert sorted(entry["recordIds"]) == ["REC-JD-0001", "REC-REG-0001"]


async def test_the_subject_sees_who_touched_its_data_but_not_their_names(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    await ask(
        client,
        "query($code: String!) { subject(code: $code) { name } }",
        headers("AGENCY", COURT, PURPOSE),
        code=PERSON,
    )
    body = await ask(
        client,
        "{ myAccessLog { totalCount edges { node { unit role purpose operation decision } } } }",
        headers("SUBJECT", PERSON),
    )
    assert body["data"]["myAccessLog"]["totalCount"] == 1
    assert body["data"]["myAccessLog"]["edges"][0]["node"] == {
        "unit": COURT, "role": "AGENCY", "purpose": PURPOSE, "operation": "query - (subject)", "decision": "ALLOWED"
    }  # fmt: skip


async def test_only_auditors_and_admins_read_the_whole_log_and_refusals_are_logged(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    for viewer in (headers(), headers("AGENCY", COURT, PURPOSE), headers("SUBJECT", COMPANY)):
        body = await ask(client, "{ accessLog { totalCount } }", viewer)
        assert error_codes(body) == ["FORBIDDEN"] and body["data"] == {"accessLog": None}
    body = await ask(client, "{ myAccessLog { totalCount } }", headers("AGENCY", COURT, PURPOSE))
    assert error_codes(body) == ["FORBIDDEN"]
    entries = await audit(client)
    assert [entry["decision"] for entry in entries] == ["DENIED"] * 4
    assert (await ask(client, "{ accessLog { totalCount } }", headers("ADMIN", "ADMIN-1")))["data"]["accessLog"][
        "totalCount"
    ] == 5


async def test_reading_only_the_published_catalog_is_not_logged(fresh_sample_store: Store, client: httpx.AsyncClient):
    await ask(client, "{ catalog { id } }", headers())
    assert await audit(client) == []


async def test_reading_only_the_providers_is_not_logged(fresh_sample_store: Store, client: httpx.AsyncClient):
    """Providers are public bodies and organizations, no credit data: `providers` is read like `provider(code)`."""
    body = await ask(client, "{ providers { totalCount edges { node { code name } } } }", headers("SUBJECT", PERSON))
    assert body["data"]["providers"]["totalCount"] == 4
    assert await audit(client) == []


async def test_concurrent_writers_keep_one_linear_chain(fresh_sample_store: Store, client: httpx.AsyncClient):
    second_app = make_app(settings_module.load())  # its own driver: as another API process would
    async with second_app.router.lifespan_context(second_app):
        second = httpx.AsyncClient(transport=httpx.ASGITransport(app=second_app), base_url="http://testserver")
        async with second:
            requests = [
                ask(http, COMPANY_PAGE, headers("AGENCY", COURT, PURPOSE), code=COMPANY)
                for _ in range(15)
                for http in (client, second)
            ]
            await asyncio.gather(*requests)
    result = await verify(fresh_sample_store)
    assert result.problem is None
    assert result.entries == 30


async def write_one(writer: LogWriter, number: int) -> dict[str, Any]:
    fields = entry_fields(
        principal=ANONYMOUS,
        request_id=f"request-{number}",
        at=suite_clock(),
        operation="query Test (subject)",
        decision=ALLOWED,
    )
    return await writer.write(fields)


async def test_a_writer_that_another_process_overtook_appends_after_its_entries(fresh_sample_store: Store):
    this_process, other_process = LogWriter(fresh_sample_store), LogWriter(fresh_sample_store)
    for number, writer in enumerate((this_process, other_process, this_process, this_process)):
        assert (await write_one(writer, number))["seq"] == number + 1
    result = await verify(fresh_sample_store)
    assert result.problem is None
    assert result.entries == 4


async def test_an_overtaken_writer_appends_after_the_head_its_append_found_without_locking_it(
    fresh_sample_store: Store,
):
    class NoTransactions(Store):
        def transaction(self) -> Any:
            raise AssertionError("the head was locked in a transaction")

    this_process, other_process = LogWriter(fresh_sample_store), LogWriter(fresh_sample_store)
    for number, writer in enumerate((this_process, other_process, this_process)):
        assert (await write_one(writer, number))["seq"] == number + 1
        this_process.store = NoTransactions(
            fresh_sample_store.driver, fresh_sample_store.database, fresh_sample_store.query_timeout
        )  # from its first append on, it knows a head
    result = await verify(fresh_sample_store)
    assert result.problem is None
    assert result.entries == 3


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("MATCH (e:AccessLogEntry {seq: 2}) SET e.unit = 'SOMEONE-ELSE'", "entry 2 was changed after it was written"),
        ("MATCH (e:AccessLogEntry {seq: 2}) DETACH DELETE e", "entry 2 is missing"),
        ("MATCH (e:AccessLogEntry {seq: 3}) DETACH DELETE e", "entries after 2 are missing"),
        (
            "MATCH (e:AccessLogEntry) WHERE e.seq >= 2 SET e.seq = e.seq + 1 "
            "WITH max(e.seq) AS top MATCH (h:AccessLogHead) SET h.seq = top "
            "CREATE (:AccessLogEntry {seq: 2, prevHash: 'forged', hash: 'forged', at: datetime(), operation: 'x', decision: 'ALLOWED'})",
            "entry 2 does not follow entry 1",
        ),
    ],
    ids=["changed", "removed", "removed-at-the-end", "inserted"],
)
async def test_log_verify_names_the_first_entry_changed_removed_or_inserted(
    fresh_sample_store: Store, client: httpx.AsyncClient, tamper: str, problem: str
):
    for _ in range(3):
        await ask(client, COMPANY_PAGE, headers(), code=COMPANY)
    assert (await verify(fresh_sample_store)).problem is None
    await fresh_sample_store.write(tamper)
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["log", "verify"])  # the CLI runs its own event loop
    assert result.exit_code == 1
    assert problem in result.output


async def test_no_data_leaves_when_the_log_cannot_be_written(fresh_sample_store: Store, client: httpx.AsyncClient):
    await ask(client, COMPANY_PAGE, headers(), code=COMPANY)
    # The next entry's place is taken behind the log's back: appending violates the seq constraint.
    await fresh_sample_store.write("CREATE (:AccessLogEntry {seq: 2, hash: 'squatter', prevHash: ''})")
    body = await ask(client, COMPANY_PAGE, headers(), code=COMPANY)
    assert body["data"] is None
    assert error_codes(body) == ["UNAVAILABLE"]


async def test_refused_tokens_and_purposes_are_logged_as_denials(
    fresh_sample_store: Store, client: httpx.AsyncClient, app: Starlette
):
    await app.state.refusals.flush(app.state.clock())  # what other tests' refusals left in the tally
    before = max([entry["seq"] for entry in await audit(client)], default=0)
    await client.post("/graphql", json={"query": "{ catalog { id } }"}, headers={"Authorization": "Bearer forged"})
    await client.post("/graphql", json={"query": "{ catalog { id } }"}, headers=headers("AGENCY", COURT, "FISHING"))
    await app.state.refusals.flush(app.state.clock())  # refusals before authentication are counted, then written
    entries = [entry for entry in await audit(client) if entry["seq"] > before and entry["role"] != "AUDITOR"]
    assert [(entry["decision"], entry["actorId"], entry["purpose"]) for entry in entries] == [
        ("DENIED", None, None),
        ("DENIED", actor_of("AGENCY", COURT), "FISHING"),
    ]
    assert "refused requests from" in entries[0]["operation"] and "bad token" in entries[0]["operation"]
    assert "not in the query application catalog" in entries[1]["operation"]


async def test_an_auditor_finds_a_users_entries_by_the_actor_id_the_cli_prints(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    await ask(client, COMPANY_PAGE, headers("AGENCY", COURT, PURPOSE), code=COMPANY)
    printed = await asyncio.to_thread(CliRunner().invoke, cli, ["actor-id", "--sub", f"AGENCY-{COURT}"])
    [entry] = await audit(client, actor=printed.output.strip())
    assert entry["unit"] == COURT and entry["actorId"].startswith("actor-") and COURT not in entry["actorId"]


async def test_an_auditor_reading_the_log_touches_the_subjects_its_entries_name(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    """Who was looked at is the subject's data too: the subject sees that an auditor read entries about it."""
    await ask(client, COMPANY_PAGE, headers("AGENCY", COURT, PURPOSE), code=COMPANY)
    assert "errors" not in await ask(client, "{ accessLog(first: 5) { edges { node { seq } } } }", AUDITOR)
    own = await ask(client, "{ myAccessLog { edges { node { role operation } } } }", headers("SUBJECT", COMPANY))
    assert {"role": "AUDITOR", "operation": "query - (accessLog)"} in [
        edge["node"] for edge in own["data"]["myAccessLog"]["edges"]
    ]


async def test_auditors_read_the_entries_of_a_window_from_start_at_to_before_end_at(
    fresh_sample_store: Store, client: httpx.AsyncClient, clock: Callable[[datetime.datetime], None]
):
    for day in (1, 2):
        clock(datetime.datetime(2026, 3, day, 9, 0))
        await ask(client, COMPANY_PAGE, headers("AGENCY", COURT, PURPOSE), code=COMPANY)
    clock(datetime.datetime(2026, 3, 5, 9, 0))  # the auditor's own reads fall outside the windows asked for
    window = "query($start: DateTime, $end: DateTime) { accessLog(startAt: $start, endAt: $end) { totalCount } }"
    second_day = "2026-03-02T00:00:00+08:00"

    async def count(**bounds: str) -> int:
        body = await ask(client, window, AUDITOR, **bounds)
        assert "errors" not in body, body
        return int(body["data"]["accessLog"]["totalCount"])

    assert await count(start=second_day, end="2026-03-02T09:00:00+08:00") == 0  # endAt is not in the window
    assert await count(start="2026-03-02T09:00:00+08:00", end="2026-03-03T00:00:00+08:00") == 1  # startAt is
    assert await count(end=second_day) == 1
