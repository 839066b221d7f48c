"""What the policy and the access log cost: the same GraphQL page, three builds, one run.

    .venv/bin/python -m bench.policy_overhead [--seconds 20] [--clients 16] [--rounds 2]

Runs against the demo Neo4j (`make run` seeds it; use at least 100,000 subjects:
`credit-graph seed --subjects 100000`). Three API servers run side by side,
each its own uvicorn process:
  full     the API as shipped: Oso-compiled filters and the access log
  no-log   the policy, without the access log
  hand     no policy engine and no log: the same records, by a Cypher filter written by hand for this viewer
  bare     neither policy nor log: every record visible, nobody masked (returns more than the others)
The policy's cost is no-log against hand (same answers); the log's is full against no-log.
16 clients (asyncio + aiohttp, bench/client.py) each ask for a page of 50 subjects with their
records, providers and documents, as an AGENCY officer with a catalogued
purpose, for `--seconds` per build, interleaved over `--rounds`. Reported:
requests/s, p50 and p99 latency, and each build's throughput over `bare`.
Absolute numbers depend on the machine (the load generator shares its cores);
the ratios are the result.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from bench.client import UNLIMITED, agency_token, graphql, http_session, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
BUILDS = {"full": 8101, "no-log": 8102, "hand": 8103, "bare": 8104}
PAGE = """query Page($after: String) { subjects(first: 50, after: $after) { edges { node {
    code name legalRepresentative { name }
    records(first: 10) { edges { node { id title category provider { name } documents { number issuer { name } } } } }
} } pageInfo { endCursor } } }"""
PURPOSE = "MARKET_SUPERVISION"
HAND_WRITTEN_AGENCY_FILTER = """
    r.status = 'ACTIVE' AND r.confirmedAt <= $hToday
    AND (r.disclosureUntil IS NULL OR r.disclosureUntil >= $hToday)
    AND (r.disclosureMode = 'PUBLIC_NOTICE'
         OR (r.disclosureMode = 'GOVERNMENT_SHARING' AND r.category IN $hCategories)
         OR (r.disclosureMode = 'SUBJECT_PUBLISHED' AND r.publishedBySubjectAt IS NOT NULL)
         OR (r.disclosureMode IN ['AUTHORIZED_QUERY', 'SUBJECT_PUBLISHED'] AND EXISTS {
                MATCH (r)-[:ABOUT]->(:Subject)<-[:GRANTED_BY]-(c:Consent)
                WHERE c.granteeCode = $hUnit AND c.purpose = $hPurpose AND c.status = 'ACTIVE'
                  AND c.validFrom <= $hNow AND c.validUntil >= $hNow AND r.category IN c.categories }))
"""


def serve(build: str, port: int) -> None:
    """Run one build (called in a child process)."""
    import uvicorn

    from graph_store.predicate import EVERYTHING, Predicate, ReadFilter
    from resolvers.context import RequestContext
    from schema import build_schema
    from server import settings as settings_module
    from server.app import create_app

    class Unfiltered(RequestContext):
        """The policy switched off: what a build without authorization would read."""

        def __post_init__(self) -> None:
            super().__post_init__()
            self.read_filter = ReadFilter(
                EVERYTHING, EVERYTHING, EVERYTHING, EVERYTHING, EVERYTHING, EVERYTHING, EVERYTHING, EVERYTHING,
                EVERYTHING, EVERYTHING,
            )  # fmt: skip
            self.fresh_loaders()

    class HandWritten(RequestContext):
        """No policy engine: what an engineer would write in Cypher for an agency with a purpose."""

        def __post_init__(self) -> None:
            super().__post_init__()
            records = Predicate(HAND_WRITTEN_AGENCY_FILTER, {
                "hToday": self.now.date(), "hNow": self.now,
                "hUnit": self.principal.unit, "hPurpose": self.principal.purpose,
                "hCategories": list(self.principal.categories),
            })  # fmt: skip
            nobody = Predicate("false")
            compiled = self.read_filter  # the window itself is the policy's either way
            self.read_filter = ReadFilter(
                records, EVERYTHING, EVERYTHING, people=EVERYTHING, actors=nobody, earlier=nobody, measures=EVERYTHING,
                disclosed=compiled.disclosed, standing=compiled.standing,
                listed=Predicate("s.kind <> 'NATURAL_PERSON'"),
            )  # fmt: skip
            self.fresh_loaders()

    contexts = {"bare": Unfiltered, "hand": HandWritten}
    settings = settings_module.load()
    app = create_app(
        settings,
        graphql_schema=build_schema(access_log=build == "full", max_cost=settings.max_cost),
        context_type=contexts.get(build, RequestContext),
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


async def load(port: int, clients: int, seconds: float, headers: dict[str, str]) -> list[float]:
    """Latencies of every request that `clients` concurrent clients complete in `seconds`."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(http: aiohttp.ClientSession) -> None:
        cursor = None
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            data = await graphql(http, PAGE, {"after": cursor}, allowed=set())
            latencies.append(time.perf_counter() - started)
            cursor = data["subjects"]["pageInfo"]["endCursor"]  # walk the list: no cache helps

    async with http_session(port, headers, clients) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        serve(options.serve, options.port)
        return

    env = {**os.environ, "PYTHONPATH": str(ROOT), "CREDIT_GRAPH_ENV": "development", **UNLIMITED}
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.policy_overhead", "--serve", build, "--port", str(port)], env=env, cwd=ROOT
        )
        for build, port in BUILDS.items()
    ]
    try:
        for port in BUILDS.values():
            wait_until_up(port)
        headers = {"Authorization": f"Bearer {agency_token()}", "X-Query-Purpose": PURPOSE}
        results: dict[str, list[float]] = {build: [] for build in BUILDS}
        elapsed: dict[str, float] = dict.fromkeys(BUILDS, 0.0)
        for port in BUILDS.values():  # warm up each server: plans, pools, Oso
            asyncio.run(load(port, options.clients, 3, headers))
        for _ in range(options.rounds):
            for build, port in BUILDS.items():
                started = time.perf_counter()
                results[build] += asyncio.run(load(port, options.clients, options.seconds, headers))
                elapsed[build] += time.perf_counter() - started
        throughput = {build: len(results[build]) / elapsed[build] for build in BUILDS}
        print(f"{options.clients} clients, {options.rounds} x {options.seconds:.0f} s per build")
        print(f"{'build':8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
        for build in BUILDS:
            latencies = sorted(results[build])
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            print(f"{build:8} {throughput[build]:7.1f} {statistics.median(latencies) * 1000:7.0f} {p99 * 1000:7.0f}")
        policy = 1 - throughput["no-log"] / throughput["hand"]
        log = 1 - throughput["full"] / throughput["no-log"]
        print(f"policy costs {policy:.0%} of throughput (no-log vs hand), the log {log:.0%} (full vs no-log)")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
