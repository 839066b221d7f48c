"""Fixtures: a real Neo4j of the tests' own, the real app, and helpers to load data and ask GraphQL.

The tests' Neo4j lives in .data/neo4j-test on port 7688 (TEST_NEO4J_BOLT_PORT),
so the demo data of `make run` is never touched. The environment is pointed at
it before anything reads settings, the CLI included.

CREDIT_GRAPH_TEST_TODAY=YYYY-MM-DD runs the suite as if it were that day (`make test-later`): every app the tests
make, every import they run and the `now` and `today` fixtures take the test clock, which starts at 10:00 China
time on that day and runs on from there. Unset, the test clock is the real time.
"""

import datetime
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.async_api import Browser, async_playwright
from starlette.applications import Starlette

ROOT = Path(__file__).resolve().parent.parent
TEST_HOME = ROOT / ".data" / "neo4j-test"
os.environ.pop("NEO4J_URI", None)
os.environ["CREDIT_GRAPH_NEO4J_HOME"] = str(TEST_HOME)
os.environ["NEO4J_BOLT_PORT"] = os.environ.get("TEST_NEO4J_BOLT_PORT", "7688")
os.environ["CREDIT_GRAPH_ENV"] = "development"
os.environ["RATE_LIMIT"] = "100000/second"  # the suite asks fast from one address; tests of the limit set their own
# A Neo4j just started plans its first relationship lookup slowly (8.6 s once on a loaded machine, 0.05 s after):
# the suite's lookups get time enough, and the test of the limit sets its own (lookup_limits).
os.environ["LOOKUP_TIMEOUT"] = "60"
os.environ["REFUSAL_LOG_PERIOD"] = "86400"  # counted refusals are written when a test flushes them, never mid-test

from authz.principal import actor_id, development_secret, issue_token  # noqa: E402
from authz.secrets import ACTORS, derived_key  # noqa: E402
from credit.model import CHINA, china_now  # noqa: E402
from graph_store import embedded  # noqa: E402
from graph_store.connection import Store, open_store  # noqa: E402
from graph_store.migrations import migrate  # noqa: E402
from intake.importer import ImportResult, import_in_chunks, import_numbered  # noqa: E402
from intake.seed import generate  # noqa: E402
from resolvers.context import LookupLimits  # noqa: E402
from server import settings as settings_module  # noqa: E402
from server.app import create_app  # noqa: E402

SAMPLE = ROOT / "examples" / "sample.jsonl"

# Who is who in examples/sample.jsonl.
COMPANY = "914301023210987656"
RESTAURANT = "91430103876543210P"
PERSON = "430103198503121236"
OTHER_PERSON = "430104199211072461"
MARKET_REGULATOR = "11430000006147849R"
COURT = "11430102760543217L"
CREDIT_AGENCY = "91430100587654321X"
PURPOSE = "ADMINISTRATIVE_LICENSING_REVIEW"


def ten_o_clock(day: datetime.date) -> datetime.datetime:
    """10:00 China time on `day`: a suite of minutes started then stays within the day."""
    return datetime.datetime.combine(day, datetime.time(10), CHINA)


class SuiteClock:
    """Now for the tests (China time): the real time, or a day's 10:00 and on from there at the real pace."""

    def __init__(self, day: datetime.date | None) -> None:
        self.offset = ten_o_clock(day) - china_now() if day else datetime.timedelta(0)

    def __call__(self) -> datetime.datetime:
        return china_now() + self.offset

    @contextmanager
    def on(self, day: datetime.date) -> Iterator[None]:
        """The clock runs from `day`'s 10:00 until the block ends, then as before."""
        was = self.offset
        self.offset = ten_o_clock(day) - china_now()
        try:
            yield
        finally:
            self.offset = was


TEST_TODAY = os.environ.get("CREDIT_GRAPH_TEST_TODAY", "").strip()
suite_clock = SuiteClock(datetime.date.fromisoformat(TEST_TODAY) if TEST_TODAY else None)

SAMPLE_DAY = datetime.date(2026, 12, 1)
"""The day examples/sample.jsonl is read on, whatever the test clock says: within the windows it sets (its
penalties disclosed until 2028 and later, a measure that ended on 2026-06-30, one that ends on 2028-06-01, a consent
valid to 2030), so what its tests expect holds on any day the suite runs."""


def make_app(settings: settings_module.Settings, **options: Any) -> Starlette:
    """The app as every test makes it: on the suite's clock unless given its own."""
    return create_app(settings, **{"clock": suite_clock, **options})


DATED_FIXTURES = {"now", "today", "clock", "demo_store"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that reads the test clock or the dated demo data is marked `dated`: `make test-later` runs these again
    with the test clock years ahead."""
    for item in items:
        if DATED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.dated)


SAMPLE_FIXTURES = {"sample_store", "fresh_sample_store"}


@pytest.fixture(autouse=True)
def on_sample_day(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test on the sample (its fixtures, or marked `sample_day`) runs with the test clock on SAMPLE_DAY: the app's
    requests, imports and the `now` and `today` fixtures (autouse: set up before them)."""
    if SAMPLE_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("sample_day"):
        with suite_clock.on(SAMPLE_DAY):
            yield
    else:
        yield


@pytest.fixture
def now() -> datetime.datetime:
    """The test clock's time when the test starts (China time): what the app's requests are made at, give or take
    the seconds the test runs."""
    return suite_clock()


@pytest.fixture
def today(now: datetime.datetime) -> datetime.date:
    """The test clock's day (China time)."""
    return now.date()


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[embedded.EmbeddedStatus]:
    settings = settings_module.load()
    was_running = embedded.status(settings.neo4j_home).running
    server = embedded.start(settings.neo4j_home, settings.bolt_port, heap="1g", page_cache="128m")
    yield server
    if not was_running:
        embedded.stop(settings.neo4j_home)


@pytest.fixture(scope="session")
async def store(neo4j_server: embedded.EmbeddedStatus) -> AsyncIterator[Store]:
    async with open_store(settings_module.load().neo4j()) as opened:
        await migrate(opened)
        yield opened


async def wipe(store: Store) -> None:
    """Empty the tests' own database (never the demo one: see the module docstring)."""
    await store.write("MATCH (n) DETACH DELETE n")


@pytest.fixture
async def empty_store(store: Store) -> Store:
    await wipe(store)
    return store


def sample_objects() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


NO_RUNS_SHOWN: dict[str, Any] = {"shownRuns": []}
"""What the store adds to a query naming `$shownRuns` (graph_store/connection.py, `ShownRuns`), for a test that runs a
compiled filter, or the policy's fetch, straight on a driver: no import there is published and still marked."""


async def load(store: Store, objects: list[dict[str, Any]], **options: Any) -> ImportResult:
    """Import `objects` as the import would a file of them, at the test clock's time unless `now` is given."""
    options.setdefault("now", suite_clock())
    return await import_numbered(store, list(enumerate(objects, start=1)), **options)


@pytest.fixture
async def fresh_sample_store(store: Store) -> AsyncIterator[Store]:
    """The example file, loaded afresh for a test that changes the graph; the test clock on SAMPLE_DAY."""
    with suite_clock.on(SAMPLE_DAY):
        await wipe(store)
        await load(store, sample_objects())
        yield store


@pytest.fixture(scope="module")
async def sample_store(store: Store) -> AsyncIterator[Store]:
    """The example file, loaded once for a module of read-only tests; the test clock on SAMPLE_DAY until the module
    ends."""
    with suite_clock.on(SAMPLE_DAY):
        await wipe(store)
        await load(store, sample_objects())
        yield store


DEMO_SUBJECTS = 300
"""The first subjects of the demo data `make run` seeds (seed 0): the demo data of any size starts with these, and
every example the README, GraphiQL and examples/operations/ name is among them."""


@pytest.fixture(scope="module")
async def demo_store(store: Store) -> Store:
    await wipe(store)
    await import_in_chunks(
        store, generate(DEMO_SUBJECTS, seed=0, today=suite_clock().date()), chunk_size=5000, now=suite_clock()
    )
    return store


@pytest.fixture(scope="session")
def app(store: Store) -> Starlette:
    return make_app(settings_module.load())


@pytest.fixture(scope="session")
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


@contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """`app` served by uvicorn on a free port of its own, in a thread; its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the app did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(store: Store) -> Iterator[str]:
    """The real app on a real port, for tests that drive a browser or need a socket; its base URL."""
    with serving(make_app(settings_module.load())) as url:
        yield url


CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
"""Headless, and quiet: without the networking flags Chromium keeps calling Google, which this network refuses."""


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium driven by Playwright (it never downloads a browser of its own)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("pages are checked in Debian's chromium: `make test` installs it (apt-get install chromium)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        await launched.close()


@pytest.fixture
def lookup_limits(app: Starlette) -> Iterator[Callable[[LookupLimits], None]]:
    """Set how far relationship lookups may go; the defaults again after the test."""
    default = app.state.lookup_limits

    def set_limits(limits: LookupLimits) -> None:
        app.state.lookup_limits = limits

    yield set_limits
    app.state.lookup_limits = default


@pytest.fixture
def clock(app: Starlette) -> Iterator[Callable[[datetime.datetime], None]]:
    """Set the time the app's requests are made at (China time); the test clock again after the test."""

    def set_now(at: datetime.datetime) -> None:
        app.state.clock = lambda: at.replace(tzinfo=CHINA) if at.tzinfo is None else at

    yield set_now
    app.state.clock = suite_clock


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


# Principals and asking as one: a development token for a role and unit, the headers that carry it (with a purpose),
# and a GraphQL request answered whatever its status.


def token(role: str, unit: str | None = None, *, expires_in: int = 12 * 3600, secret: str | None = None) -> str:
    """A signed token for `role`; modules mint theirs when imported, so by default it outlives any run of the suite
    (ten minutes did not, on a loaded machine). Tests of expiry pass their own `expires_in`."""
    now = int(time.time())
    claims = {
        "sub": f"{role}-{unit}",
        "name": "测试用户",
        "role": role,
        "unit": unit,
        "iat": now,
        "exp": now + expires_in,
    }
    return issue_token(claims, secret or development_secret(settings_module.load().data_dir))


def actor_of(role: str, unit: str | None = None) -> str:
    """The actor id the server derives from the subject of `token(role, unit)`."""
    return actor_id(f"{role}-{unit}", None, derived_key(settings_module.load().server_secret(), ACTORS))


def headers(role: str | None = None, unit: str | None = None, purpose: str | None = None) -> dict[str, str]:
    found = {"Authorization": f"Bearer {token(role, unit)}"} if role else {}
    return found | ({"X-Query-Purpose": purpose} if purpose else {})


async def ask(
    client: httpx.AsyncClient, query: str, request_headers: dict[str, str] | None = None, **variables: Any
) -> dict[str, Any]:
    """The body of a GraphQL POST, whatever its status; anonymous unless `request_headers` (see `headers`) say who."""
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=request_headers)
    body: dict[str, Any] = response.json()
    return body
