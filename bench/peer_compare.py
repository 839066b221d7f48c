"""This API against a peer, a floor and a ceiling: the same anonymous page, five builds, one run (issue 15).

    .venv/bin/python -m bench.peer_compare [--seconds 5] [--clients 1,8,32] [--rounds 1] [--builds api,api2,...]

Runs against the demo Neo4j (`make run` seeds it; the issue asks for at least 100,000 subjects:
`credit-graph seed --subjects 100000`). Each build is its own server process, one process each:
  api     this API (`credit-graph serve` with WEB_WORKERS=1: the policy compiled by Oso, the access log), limits opened
  api2    the same with WEB_WORKERS=2: two API processes on the two cores (what processes add to less work)
  peer    @neo4j/graphql 7 under graphql-yoga (bench/peer/: Node), the record rule as @authorization filters
  floor   one hand-written Cypher query per page through the async driver, behind a bare Starlette route
  naive   a Strawberry schema resolving each field with its own query: the N+1 ceiling (bench/peer_builds.py)
The page, as an anonymous viewer: 50 legal persons in id order, each with its first 10 records (newest first), every
record's provider and documents with their issuer; clients walk the list page by page (no cache helps) and start
again at its end.

Before timing, the first `--pages` pages of every build are compared, after putting each answer in one shape, and
must be equal; and the peer's agency rule is compared with the API's on the same pages, as an AGENCY with a
purpose and a unit that holds consents. Then each build is timed at each number of clients, the builds interleaved
(`--rounds` x `--seconds` each). Reported: requests/s, p50 and p99 latency. The load generator (bench/client.py)
shares the machine's cores with the servers and Neo4j: compare builds within a run.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import neo4j

from bench.client import api_server, graphql, http_session, server_process

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT / "bench" / "peer"

API_SUBJECT = """id code name records(first: 10) { edges { node {
    id title category provider { name } documents { number issuer { name } }
} } }"""
API_PAGE = f"""query Page($after: String) {{ subjects(kind: LEGAL_PERSON, first: 50, after: $after) {{
    edges {{ node {{ {API_SUBJECT} }} }}
    pageInfo {{ endCursor hasNextPage }}
}} }}"""

PEER_SUBJECT = """id code name records(sort: [{ confirmedAt: DESC }, { id: ASC }], limit: 10) {
    id title category provider { name } documents(sort: [{ issuedAt: ASC }, { id: ASC }]) { number issuer { name } }
}"""
PEER_PAGE = f"""query Page($after: String!) {{
    subjects(where: {{ kind: {{ eq: "LEGAL_PERSON" }}, id: {{ gt: $after }} }}, sort: [{{ id: ASC }}], limit: 50) {{
        {PEER_SUBJECT}
    }}
}}"""

Page = list[dict[str, Any]]
"""Subjects in the peer's shape: {id, code, name, records: [{id, title, category, provider: [{name}], documents:
[{number, issuer: [{name}]}]}]}."""


def api_subjects(data: dict[str, Any]) -> Page:
    """The API's connection, in the peer's shape: a provider or an issuer as a list of one."""
    return [
        {
            **{key: edge["node"][key] for key in ("id", "code", "name")},
            "records": [
                {
                    **{key: record["node"][key] for key in ("id", "title", "category")},
                    "provider": [record["node"]["provider"]] if record["node"]["provider"] else [],
                    "documents": [
                        {"number": document["number"], "issuer": [document["issuer"]] if document["issuer"] else []}
                        for document in record["node"]["documents"]
                    ],
                }
                for record in edge["node"]["records"]["edges"]
            ],
        }
        for edge in data["subjects"]["edges"]
    ]


def api_next(data: dict[str, Any]) -> str | None:
    info = data["subjects"]["pageInfo"]
    return info["endCursor"] if info["hasNextPage"] else None


def by_id_next(data: dict[str, Any]) -> str | None:
    """The peer, the floor and the naive build walk by id: the next page starts after the last subject."""
    subjects = data["subjects"]
    return subjects[-1]["id"] if len(subjects) == 50 else None


@dataclass(frozen=True)
class Build:
    query: str
    first: str | None
    """The cursor of the first page."""
    subjects: Callable[[dict[str, Any]], Page]
    next: Callable[[dict[str, Any]], str | None]

    def variables(self, cursor: str | None) -> dict[str, Any]:
        return {"after": self.first if cursor is None else cursor}


def as_is(data: dict[str, Any]) -> Page:
    page: Page = data["subjects"]
    return page


def builds() -> dict[str, Build]:
    from bench.peer_builds import NAIVE_PAGE

    return {
        "api": Build(API_PAGE, None, api_subjects, api_next),
        "api2": Build(API_PAGE, None, api_subjects, api_next),
        "peer": Build(PEER_PAGE, "", as_is, by_id_next),
        "floor": Build("{ page }", "", as_is, by_id_next),  # the floor runs its one query, whatever it is asked
        "naive": Build(NAIVE_PAGE, "", as_is, by_id_next),
    }


# --- the servers --------------------------------------------------------------------------


def serve(build: str, port: int) -> None:
    """Run the floor or the naive build (called in a child process)."""
    import uvicorn

    from bench.peer_builds import floor_app, naive_app
    from server import settings as settings_module

    config = settings_module.load().neo4j()
    app = floor_app(config) if build == "floor" else naive_app(config)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def jwt_secret() -> str:
    """The key of the development tokens: the peer accepts what the API accepts."""
    from authz.principal import development_secret
    from server import settings as settings_module

    return development_secret(settings_module.load().data_dir)


def peer_server(port: int) -> Any:
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise SystemExit("the peer needs Node.js 20 or later (node and npm); or leave it out: --builds api,floor,naive")
    if not (PEER / "node_modules" / ".package-lock.json").exists():
        subprocess.run(["npm", "ci", "--prefix", str(PEER), "--no-audit", "--no-fund", "--silent"], check=True)
    from server import settings as settings_module

    config = settings_module.load().neo4j()
    env = {
        **os.environ,
        "NEO4J_URI": config.uri,
        "NEO4J_USER": config.user,
        "NEO4J_PASSWORD": config.password,
        "NEO4J_DATABASE": config.database,
        "JWT_SECRET": jwt_secret(),
        "PORT": str(port),
    }
    return server_process(["node", str(PEER / "server.mjs")], "bench-peer.log", env, port)


def python_server(build: str, port: int) -> Any:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CREDIT_GRAPH_ENV": "development"}
    command = [sys.executable, "-m", "bench.peer_compare", "--serve", build, "--port", str(port)]
    return server_process(command, f"bench-{build}.log", env, port)


def start(stack: ExitStack, name: str, port: int) -> None:
    if name == "api":
        stack.enter_context(api_server(port, "bench-api.log"))
    elif name == "api2":
        stack.enter_context(api_server(port, "bench-api2.log", environment={"WEB_WORKERS": "2"}))
    elif name == "peer":
        stack.enter_context(peer_server(port))
    else:
        stack.enter_context(python_server(name, port))


# --- the answers --------------------------------------------------------------------------


async def pages(build: Build, port: int, headers: dict[str, str], count: int) -> list[Page]:
    """The first `count` pages, walking the list."""
    found: list[Page] = []
    cursor = None
    async with http_session(port, headers, 1) as http:
        for _ in range(count):
            data = await graphql(http, build.query, build.variables(cursor), allowed=set())
            found.append(build.subjects(data))
            cursor = build.next(data)
            if cursor is None:
                break
    return found


def difference(expected: list[Page], found: list[Page]) -> str | None:
    """Where two builds' pages first differ, in words; None if they are equal."""
    if len(expected) != len(found):
        return f"{len(found)} pages against {len(expected)}"
    for number, (mine, theirs) in enumerate(zip(expected, found, strict=True), 1):
        if [s["id"] for s in mine] != [s["id"] for s in theirs]:
            return f"page {number}: other subjects"
        for mine_subject, their_subject in zip(mine, theirs, strict=True):
            if mine_subject != their_subject:
                mine_text = json.dumps(mine_subject, ensure_ascii=False, sort_keys=True)
                their_text = json.dumps(their_subject, ensure_ascii=False, sort_keys=True)
                return f"page {number}, subject {mine_subject['id']}:\n  {mine_text[:600]}\n  {their_text[:600]}"
    return None


def agency_of_consents() -> tuple[dict[str, str], dict[str, str], str | None]:
    """The API's and the peer's headers for an AGENCY with a purpose, of a unit that holds a consent in force from a
    legal person with a record that the consent opens (so the consent rule has something to find), and that legal
    person's code; its categories are its
    purpose's, as the catalog says."""
    from authz.principal import issue_token
    from graph_store.reads import EVERY_CATEGORY
    from server import settings as settings_module

    config = settings_module.load().neo4j()

    async def ask() -> tuple[str, str, list[str], str | None]:
        async with neo4j.AsyncGraphDatabase.driver(config.uri, auth=(config.user, config.password)) as driver:
            rows, _, _ = await driver.execute_query(
                """
                OPTIONAL MATCH (s:Subject {kind: 'LEGAL_PERSON'})<-[:GRANTED_BY]-(c:Consent {status: 'ACTIVE'})
                WHERE c.validFrom <= datetime() AND c.validUntil >= datetime()
                  AND EXISTS { MATCH (s)<-[:ABOUT]-(r:Record {disclosureMode: 'AUTHORIZED_QUERY', status: 'ACTIVE'})
                               WHERE r.category IN c.categories }
                WITH s, c ORDER BY c.id LIMIT 1
                WITH s.code AS code, coalesce(c.granteeCode, 'BENCH') AS unit,
                     coalesce(c.purpose, 'MARKET_SUPERVISION') AS purpose
                MATCH (q:QueryPurpose {code: purpose})
                RETURN code, unit, purpose, coalesce(q.categories, $every) AS categories
                """,
                every=EVERY_CATEGORY,
                database_=config.database,
            )
        return rows[0]["unit"], rows[0]["purpose"], rows[0]["categories"], rows[0]["code"]

    unit, purpose, categories, code = asyncio.run(ask())
    now = int(time.time())
    claims = {"sub": "bench", "name": "压测", "role": "AGENCY", "unit": unit, "iat": now, "exp": now + 3600}
    api = {"Authorization": f"Bearer {issue_token(claims, jwt_secret())}", "X-Query-Purpose": purpose}
    peer_claims = {**claims, "purpose": purpose, "categories": categories}
    return api, {"Authorization": f"Bearer {issue_token(peer_claims, jwt_secret())}"}, code


async def consented_subject(
    ports: dict[str, int], headers: tuple[dict[str, str], dict[str, str]], code: str
) -> str | None:
    """The subject whose consent the agency holds, through the API and the peer: where the consent rule shows."""
    api_query = f"query One($code: String!) {{ subject(code: $code) {{ {API_SUBJECT} }} }}"
    peer_query = f"query One($code: String!) {{ subjects(where: {{ code: {{ eq: $code }} }}) {{ {PEER_SUBJECT} }} }}"
    async with http_session(ports["api"], headers[0], 1) as http:
        data = await graphql(http, api_query, {"code": code}, allowed=set())
    mine = api_subjects({"subjects": {"edges": [{"node": data["subject"]}] if data["subject"] else []}})
    async with http_session(ports["peer"], headers[1], 1) as http:
        theirs = (await graphql(http, peer_query, {"code": code}, allowed=set()))["subjects"]
    records = sum(len(subject["records"]) for subject in mine)
    problem = difference([mine], [theirs])
    print(f"  the subject {code}, whose consent it holds: {records} records; peer {problem or 'equal'}")
    return problem


def check(ports: dict[str, int], count: int) -> None:
    every = builds()
    answers = {name: asyncio.run(pages(every[name], port, {}, count)) for name, port in ports.items()}
    reference = answers.get("api") or next(iter(answers.values()))
    records = sum(len(subject["records"]) for page in reference for subject in page)
    documents = sum(len(r["documents"]) for page in reference for subject in page for r in subject["records"])
    print(f"anonymous: {len(reference)} pages, {records} records, {documents} documents")
    wrong = {name: difference(reference, found) for name, found in answers.items()}
    for name, problem in wrong.items():
        print(f"  {name:6} {'equal' if problem is None else 'DIFFERS: ' + problem}")
    if "api" in ports and "peer" in ports:
        api_headers, peer_headers, code = agency_of_consents()
        api_pages = asyncio.run(pages(every["api"], ports["api"], api_headers, count))
        peer_pages = asyncio.run(pages(every["peer"], ports["peer"], peer_headers, count))
        records = sum(len(subject["records"]) for page in api_pages for subject in page)
        problem = difference(api_pages, peer_pages)
        wrong["peer as agency"] = problem
        print(f"agency with a purpose: {records} records; peer {'equal' if problem is None else 'DIFFERS: ' + problem}")
        if code is not None:
            consented = consented_subject(ports, (api_headers, peer_headers), code)
            wrong["peer as agency, consented"] = asyncio.run(consented)
    if any(problem is not None for problem in wrong.values()):
        raise SystemExit("the builds do not give the same answers: nothing timed")


# --- the timing ---------------------------------------------------------------------------


TIMEOUT = 120.0
"""Seconds after which a request counts as failed: the naive build at 32 clients takes tens of seconds a page."""


async def load(build: Build, port: int, clients: int, seconds: float) -> tuple[list[float], int]:
    """Latencies of every request that `clients` concurrent anonymous clients complete in `seconds`, and how many
    failed (timed out, or lost their connection)."""
    latencies: list[float] = []
    failed = 0
    deadline = time.perf_counter() + seconds

    async def client(http: aiohttp.ClientSession) -> None:
        nonlocal failed
        cursor = None
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                data = await graphql(http, build.query, build.variables(cursor), allowed=set())
            except (TimeoutError, aiohttp.ClientError):
                failed += 1
                continue
            latencies.append(time.perf_counter() - started)
            cursor = build.next(data)  # walk the list, and start again at its end

    async with http_session(port, {}, clients, timeout=TIMEOUT) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return latencies, failed


def measure(ports: dict[str, int], client_counts: list[int], rounds: int, seconds: float) -> None:
    every = builds()
    for name, port in ports.items():  # warm up each server: plans, pools, JIT
        asyncio.run(load(every[name], port, 4, 3))
    print(f"{rounds} x {seconds:g} s per build and number of clients, builds interleaved")
    print(f"{'clients':>7} {'build':6} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'failed':>6} {'req/s / api':>11}")
    for clients in client_counts:
        results: dict[str, list[float]] = {name: [] for name in ports}
        failures = dict.fromkeys(ports, 0)
        elapsed = dict.fromkeys(ports, 0.0)
        for _ in range(rounds):
            for name, port in ports.items():
                started = time.perf_counter()
                latencies, failed = asyncio.run(load(every[name], port, clients, seconds))
                elapsed[name] += time.perf_counter() - started
                results[name] += latencies
                failures[name] += failed
        throughput = {name: len(results[name]) / elapsed[name] for name in ports}
        for name in ports:
            latencies = sorted(results[name]) or [float("nan")]
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            ratio = f"{throughput[name] / throughput['api']:11.2f}" if throughput.get("api") else ""
            print(
                f"{clients:7} {name:6} {throughput[name]:7.1f} {statistics.median(latencies) * 1000:8.0f} "
                f"{p99 * 1000:8.0f} {failures[name]:6} {ratio}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", default="1,8,32", help="numbers of concurrent clients, comma-separated")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--pages", type=int, default=3, help="pages compared before timing")
    parser.add_argument("--builds", default="api,api2,peer,floor,naive")
    parser.add_argument("--port-base", type=int, default=8120)
    parser.add_argument("--check-only", action="store_true", help="compare the answers, time nothing")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        serve(options.serve, options.port)
        return

    names = [name.strip() for name in options.builds.split(",") if name.strip()]
    unknown = set(names) - set(builds())
    if unknown:
        raise SystemExit(f"unknown builds: {', '.join(sorted(unknown))} ({', '.join(builds())})")
    ports = {name: options.port_base + number for number, name in enumerate(names, 1)}
    with ExitStack() as stack:
        for name, port in ports.items():
            start(stack, name, port)
        check(ports, options.pages)
        if not options.check_only:
            measure(ports, [int(n) for n in options.clients.split(",")], options.rounds, options.seconds)


if __name__ == "__main__":
    main()
