"""Neo4j killed or stalled under load, on the real app over real HTTP.

Killed (SIGKILL) while eight clients change and read: every change answered as done is in the store, whole; none
that failed is half there; the access log's chain verifies; the same app object answers again once Neo4j is back;
nothing answered 5xx. Stalled (a lock held by another writer, or a frozen process): every request ends within its
deadline with UNAVAILABLE or LIMIT_EXCEEDED.

These tests kill and freeze a Neo4j of their own (.data/neo4j-faults, Bolt port TEST_FAULTS_NEO4J_BOLT_PORT, 7695
by default), never the session's test Neo4j.
"""

import asyncio
import dataclasses
import json
import os
import signal
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from graph_store import access_log, embedded
from graph_store.connection import Store, open_store
from graph_store.migrations import migrate
from server import settings as settings_module
from server.cli import app as cli
from server.settings import Settings

from ..conftest import (
    COMPANY,
    CREDIT_AGENCY,
    OTHER_PERSON,
    PERSON,
    PURPOSE,
    RESTAURANT,
    ROOT,
    error_codes,
    headers,
    load,
    make_app,
    sample_objects,
    serving,
    wipe,
)

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

FAULTS_HOME = ROOT / ".data" / "neo4j-faults"
FAULTS_PORT = int(os.environ.get("TEST_FAULTS_NEO4J_BOLT_PORT", "7695"))

GRANT = "mutation($input: GrantConsentInput!) { grantConsent(input: $input) { consent { id } } }"
MINE = "{ myConsents { id } }"
REVOKE = "mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { consent { status } } }"
CATALOG = "{ catalog { id } }"
GRANTORS = (PERSON, OTHER_PERSON, COMPANY, RESTAURANT)
CLIENTS = 8

QUERY_TIMEOUT = 1.0
DEADLINE = 15.0
"""A request waits on the store at most twice (its change, then the entry saying it failed), each time no longer than
the time limit and its grace (ANSWER_GRACE): 8 s; the rest is slack for a busy machine."""
PATIENCE = 120.0
"""How long the clients of the killed Neo4j wait for an answer: a cold Neo4j on a busy machine is slow to plan."""


def start_disposable_neo4j() -> None:
    embedded.start(FAULTS_HOME, FAULTS_PORT, heap="512m", page_cache="64m")


@pytest.fixture(scope="module")
def disposable_neo4j() -> Iterator[Settings]:
    """A Neo4j these tests may kill; one left running earlier is stopped first, so the one killed is our child."""
    embedded.stop(FAULTS_HOME)
    start_disposable_neo4j()
    yield dataclasses.replace(settings_module.load(), neo4j_home=FAULTS_HOME, bolt_port=FAULTS_PORT)
    embedded.stop(FAULTS_HOME)


@pytest.fixture
async def disposable_store(disposable_neo4j: Settings) -> AsyncIterator[Store]:
    async with open_store(disposable_neo4j.neo4j()) as store:
        await migrate(store)
        await wipe(store)
        await load(store, sample_objects())
        yield store


def grant_input(client_mutation_id: str) -> dict[str, Any]:
    return {"granteeCode": CREDIT_AGENCY, "purpose": PURPOSE, "categories": ["OTHER"],
            "expiresAt": "2031-01-01T00:00:00+08:00", "clientMutationId": client_mutation_id}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Answer:
    client: int
    client_mutation_id: str | None
    """Set for a grant: the id its receipt is keyed by."""
    request_id: str
    status: int
    body: dict[str, Any]
    at: float
    """When the answer came (time.monotonic())."""

    @property
    def granted(self) -> str | None:
        """The consent's id, when this is a grant answered as done."""
        data = self.body.get("data") or {}
        return None if "errors" in self.body or not data.get("grantConsent") else data["grantConsent"]["consent"]["id"]


async def keep_asking(url: str, client: int, stop: asyncio.Event, answers: list[Answer]) -> None:
    """Grant a consent, read my consents, and again, until told to stop; after an error, pause as a client would."""
    signed_in = headers("SUBJECT", GRANTORS[client % len(GRANTORS)])
    async with httpx.AsyncClient(base_url=url, headers=signed_in, timeout=PATIENCE) as http:
        turn = 0
        while not stop.is_set():
            turn += 1
            client_mutation_id = f"client-{client}-{turn}"
            for query, variables, grant_id in (
                (GRANT, {"input": grant_input(client_mutation_id)}, client_mutation_id),
                (MINE, {}, None),
            ):
                response = await http.post("/graphql", json={"query": query, "variables": variables})
                answer = Answer(client, grant_id, response.headers["X-Request-Id"], response.status_code,
                                response.json(), time.monotonic())  # fmt: skip
                answers.append(answer)
                if "errors" in answer.body:
                    await asyncio.sleep(0.5)


async def eventually(condition: Callable[[], bool], within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"not within {within} s: {what}"
        await asyncio.sleep(0.1)


async def answered(http: httpx.AsyncClient, query: str, within: float = 60, **variables: Any) -> dict[str, Any]:
    """The answer once the store answers: asked again while it says UNAVAILABLE or LIMIT_EXCEEDED (cold, or busy)."""
    deadline = time.monotonic() + within
    while True:
        body: dict[str, Any] = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
        if not set(error_codes(body)) & {"UNAVAILABLE", "LIMIT_EXCEEDED"}:
            return body
        assert time.monotonic() < deadline, f"still {error_codes(body)} after {within} s"
        await asyncio.sleep(0.5)


async def until_ready(http: httpx.AsyncClient, within: float) -> None:
    deadline = time.monotonic() + within
    while (await http.get("/readyz")).status_code != 200:
        assert time.monotonic() < deadline, f"/readyz did not answer 200 within {within} s"
        await asyncio.sleep(0.5)


def kill_neo4j() -> None:
    launcher = embedded.status(FAULTS_HOME)
    assert launcher.pid is not None
    os.kill(launcher.pid, signal.SIGKILL)
    while embedded.status(FAULTS_HOME).running:
        time.sleep(0.05)


async def test_neo4j_killed_under_load_loses_no_acknowledged_change_and_the_api_recovers_by_itself(
    disposable_neo4j: Settings, disposable_store: Store
):
    answers: list[Answer] = []
    stop = asyncio.Event()
    with serving(make_app(disposable_neo4j)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=PATIENCE) as probe:
            clients = [asyncio.create_task(keep_asking(url, client, stop, answers)) for client in range(CLIENTS)]
            await eventually(lambda: sum(1 for a in answers if a.granted) >= 2 * CLIENTS, 60, "changes before")

            kill_neo4j()
            killed_at = time.monotonic()
            assert (await probe.get("/readyz")).status_code == 503
            met_the_outage = lambda: {a.client for a in answers if a.at > killed_at and "errors" in a.body}  # noqa: E731
            await eventually(lambda: len(met_the_outage()) == CLIENTS, 30, "every client meets the outage")

            await asyncio.to_thread(start_disposable_neo4j)
            back_at = time.monotonic()
            await until_ready(probe, 30)
            changed_after = lambda: {a.client for a in answers if a.at > back_at and a.granted}  # noqa: E731
            await eventually(lambda: len(changed_after()) == CLIENTS, 90, "every client changes again, same app")
            served_at = time.monotonic()
            stop.set()
            await asyncio.gather(*clients)

    assert {a.status for a in answers} == {200}, "no 5xx, and no other refusal"
    assert {code for answer in answers for code in error_codes(answer.body)} == {"UNAVAILABLE"}

    receipts = await disposable_store.read("MATCH (m:MutationReceipt) RETURN m.key AS key, m.result AS result")
    made = {json.loads(row["key"])[-1]: json.loads(row["result"])["id"] for row in receipts}
    entries = await disposable_store.read(
        """MATCH (e:AccessLogEntry {decision: 'ALLOWED'}) WHERE e.operation ENDS WITH '(grantConsent)'
           RETURN e.requestId AS requestId, e.consentIds AS consentIds"""
    )
    logged = {entry["requestId"]: entry["consentIds"] for entry in entries}
    acknowledged = [answer for answer in answers if answer.granted]
    for answer in acknowledged:
        assert made.get(answer.client_mutation_id) == answer.granted, "an acknowledged change is lost"
        assert logged.get(answer.request_id) == [answer.granted], "an acknowledged change is not logged"

    # Whole or not at all, acknowledged or not: each receipt has its consent, linked to both parties, and the
    # entry logging it; no consent and no entry is without its receipt.
    consents = await disposable_store.read(
        """MATCH (c:Consent) WHERE NOT c.id IN $imported
           RETURN c.id AS id, COUNT { (c)-[:GRANTED_BY]->(:Subject) } + COUNT { (c)-[:GRANTED_TO]->(:Provider) } AS links""",
        imported=[row["id"] for row in sample_objects() if row["kind"] == "consent"],
    )
    assert {row["id"]: row["links"] for row in consents} == {consent: 2 for consent in made.values()}
    assert sorted(consent for ids in logged.values() for consent in ids) == sorted(made.values())

    # Reads see every change their client was told was made, across the outage.
    told: dict[int, set[str]] = {client: set() for client in range(CLIENTS)}
    for answer in answers:
        if answer.granted:
            told[answer.client].add(answer.granted)
        elif answer.client_mutation_id is None and "errors" not in answer.body:
            assert told[answer.client] <= {consent["id"] for consent in answer.body["data"]["myConsents"]}

    environment = {"CREDIT_GRAPH_NEO4J_HOME": str(FAULTS_HOME), "NEO4J_BOLT_PORT": str(FAULTS_PORT)}
    verified = await asyncio.to_thread(CliRunner().invoke, cli, ["log", "verify"], env=environment)
    assert verified.exit_code == 0 and "The access log is whole" in verified.output, verified.output
    unavailable = sum(1 for answer in answers if "errors" in answer.body)
    print(  # the figures, with pytest -s
        f"\n{len(answers)} answers: {len(acknowledged)} changes acknowledged, {len(made)} made, {unavailable} UNAVAILABLE;"
        f" Neo4j back {back_at - killed_at:.0f} s after the kill, every client served {served_at - back_at:.0f} s later;"
        f" {verified.output.strip()}"
    )


@asynccontextmanager
async def lock_held(store: Store, statement: str, **params: Any) -> AsyncIterator[None]:
    """A write lock, taken by `statement` in another transaction that then stalls."""
    async with store.transaction() as tx:
        await tx.run(statement, **params)
        yield


async def timed(ask: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await ask
    return response, time.monotonic() - started


async def test_requests_behind_the_logs_held_lock_end_within_their_deadline_and_public_reads_go_on(
    disposable_neo4j: Settings, disposable_store: Store
):
    settings = dataclasses.replace(disposable_neo4j, query_timeout=QUERY_TIMEOUT)
    with serving(make_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, headers=headers("SUBJECT", PERSON), timeout=DEADLINE * 2) as http:
            for warm_up in (MINE, CATALOG):
                assert "errors" not in await answered(http, warm_up)
            async with lock_held(disposable_store, access_log.LOCK_HEAD, requestId="a stalled writer"):
                (grant, grant_took), (mine, mine_took), (catalog, catalog_took) = await asyncio.gather(
                    timed(http.post("/graphql", json={"query": GRANT, "variables": {"input": grant_input("held")}})),
                    timed(http.post("/graphql", json={"query": MINE})),
                    timed(http.post("/graphql", json={"query": CATALOG})),
                )
            print(
                f"\nbehind the lock: grant {grant_took:.1f} s, myConsents {mine_took:.1f} s, catalog {catalog_took:.1f} s"
            )
            for refused, took in ((grant, grant_took), (mine, mine_took)):
                assert refused.status_code == 200 and took < DEADLINE
                assert error_codes(refused.json()) in (["UNAVAILABLE"], ["LIMIT_EXCEEDED"])
                assert refused.json()["data"] is None
            assert "errors" not in catalog.json() and catalog_took < DEADLINE  # public data needs no log entry

            granted = (await answered(http, GRANT, input=grant_input("held")))["data"]["grantConsent"]["consent"]["id"]
            mine_after = await answered(http, MINE)
    assert {consent["id"] for consent in mine_after["data"]["myConsents"]} == {"CON-0001", granted}


async def test_a_change_waiting_on_a_locked_node_ends_within_its_deadline_and_changes_nothing(
    disposable_neo4j: Settings, disposable_store: Store
):
    settings = dataclasses.replace(disposable_neo4j, query_timeout=QUERY_TIMEOUT)
    with serving(make_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, headers=headers("SUBJECT", PERSON), timeout=DEADLINE * 2) as http:
            assert "errors" not in await answered(http, MINE)
            async with lock_held(disposable_store, "MATCH (c:Consent {id: 'CON-0001'}) SET c.status = c.status"):
                revoke, took = await timed(
                    http.post("/graphql", json={"query": REVOKE, "variables": {"input": {"consentId": "CON-0001"}}})
                )
            print(f"\nbehind a locked consent: revokeConsent {took:.1f} s")
            assert took < DEADLINE and error_codes(revoke.json()) == ["UNAVAILABLE"]
            unchanged = await disposable_store.read("MATCH (c:Consent {id: 'CON-0001'}) RETURN c.status AS status")
            assert unchanged == [{"status": "ACTIVE"}]
            revoked = await answered(http, REVOKE, input={"consentId": "CON-0001"})
    assert revoked["data"]["revokeConsent"]["consent"]["status"] == "REVOKED"


async def test_requests_to_a_frozen_neo4j_end_within_their_deadline_and_the_api_answers_once_it_thaws(
    disposable_neo4j: Settings, disposable_store: Store
):
    settings = dataclasses.replace(disposable_neo4j, query_timeout=QUERY_TIMEOUT)
    with serving(make_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, headers=headers("SUBJECT", PERSON), timeout=DEADLINE * 2) as http:
            assert "errors" not in await answered(http, MINE)  # connections pooled, queries planned
            launcher = embedded.status(FAULTS_HOME).pid
            assert launcher is not None
            os.kill(launcher, signal.SIGSTOP)
            try:
                answers = await asyncio.gather(
                    timed(http.post("/graphql", json={"query": GRANT, "variables": {"input": grant_input("frozen")}})),
                    timed(http.post("/graphql", json={"query": MINE})),
                    timed(http.get("/readyz")),
                )
            finally:
                os.kill(launcher, signal.SIGCONT)
            print("\nfrozen: " + ", ".join(f"{took:.1f} s" for _, took in answers))
            (grant, _), (mine, _), (ready, _) = answers
            assert all(took < DEADLINE for _, took in answers)
            assert error_codes(grant.json()) == error_codes(mine.json()) == ["UNAVAILABLE"]
            assert ready.status_code == 503

            await until_ready(http, 30)
            granted = (await answered(http, GRANT, input=grant_input("frozen")))["data"]["grantConsent"]["consent"][
                "id"
            ]
            mine_after = await answered(http, MINE)
    assert {consent["id"] for consent in mine_after["data"]["myConsents"]} == {"CON-0001", granted}
