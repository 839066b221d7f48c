"""What traces cost: the cheapest logged request, with and without OTEL_EXPORTER_OTLP_ENDPOINT, one run.

    .venv/bin/python -m bench.tracing_overhead [--seconds 20] [--clients 8] [--rounds 3] [--before DIR]

Runs against the demo Neo4j (`make run` seeds it). Two API servers run side by side, each its own uvicorn process
(`credit-graph serve`):
  off      as shipped, no endpoint: no span middleware, the store's spans are the API's no-ops
  traced   OTEL_EXPORTER_OTLP_ENDPOINT set: a server span per request and a span per Cypher query, batched and
           sent over OTLP/HTTP to a collector that this process runs (it reads each batch and throws it away)
  before   with --before DIR: the code of DIR (`git archive <commit> | tar -x -C DIR`), no endpoint: what `off`
           costs against the code without traces
`--clients` clients (asyncio + aiohttp, bench/client.py) ask as an AGENCY officer for one subject's name (the floor
of any logged request: the most spans per unit of work, so the largest share of tracing), by code, for `--seconds`
per build, interleaved over `--rounds`. Reported: requests/s, p50 and p99 latency, traced over off, and what the
collector received. Absolute numbers depend on the machine (the load generator and the collector share its
cores); the ratio is the result.
"""

import argparse
import asyncio
import random
import statistics
import threading
import time
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.client import agency_token, api_server, graphql, http_session
from graph_store.connection import open_store
from server import settings as settings_module

PORTS = {"before": 8120, "off": 8121, "traced": 8122}
PURPOSE = "MARKET_SUPERVISION"
FLOOR = "query Subject($code: String!) { subject(code: $code) { name } }"


class Collector(BaseHTTPRequestHandler):
    """An OTLP/HTTP endpoint that reads each batch and answers 200, counting what it was sent."""

    batches = 0
    received = 0

    def do_POST(self) -> None:
        size = int(self.headers["Content-Length"])
        self.rfile.read(size)
        Collector.batches += 1
        Collector.received += size
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


async def load(port: int, codes: list[str], seconds: float, clients: int) -> list[float]:
    """Latencies of `clients` clients asking about random codes for `seconds`."""
    headers = {"Authorization": f"Bearer {agency_token()}", "X-Query-Purpose": PURPOSE}
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    async with http_session(port, headers, clients) as http:

        async def client(picks: random.Random) -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                await graphql(http, FLOOR, {"code": picks.choice(codes)}, allowed=set())
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(client(random.Random(n)) for n in range(clients)))
    return latencies


async def run(builds: list[str], options: argparse.Namespace) -> None:
    async with open_store(settings_module.load().neo4j()) as store:
        codes = [row["code"] for row in await store.read("MATCH (s:Subject) RETURN s.code AS code LIMIT 2000")]
    for build in builds:  # warm up: plans, pools, Oso, page cache
        await load(PORTS[build], codes, 3, options.clients)
    latencies: dict[str, list[float]] = {build: [] for build in builds}
    for _ in range(options.rounds):  # interleaved, so all see the same machine
        for build in builds:
            latencies[build] += await load(PORTS[build], codes, options.seconds, options.clients)
    seconds = options.seconds * options.rounds
    print(f"{options.clients} clients; {options.rounds} × {options.seconds} s per build")
    print(f"{'build':8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'req/s / off':>11}")
    for build, found in latencies.items():
        ordered = sorted(found)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"{build:8} {len(found) / seconds:7.1f} {statistics.median(ordered) * 1000:7.2f} {p99 * 1000:7.2f} "
              f"{len(found) / len(latencies['off']):11.3f}")  # fmt: skip
    print(f"collector: {Collector.batches} batches, {Collector.received / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a copy of the code before traces, served as the build `before`")
    options = parser.parse_args()
    with ThreadingHTTPServer(("127.0.0.1", 0), Collector) as collector, ExitStack() as servers:
        threading.Thread(target=collector.serve_forever, daemon=True).start()
        endpoint = f"http://127.0.0.1:{collector.server_address[1]}"
        environments = {"off": {}, "traced": {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint}}
        if options.before:  # its modules first on the path, ahead of this checkout's editable install
            environments = {"before": {"PYTHONPATH": str(options.before.resolve())}} | environments
        for build, environment in environments.items():
            servers.enter_context(api_server(PORTS[build], f"bench-{build}.log", environment=environment))
        asyncio.run(run(list(environments), options))
        collector.shutdown()


if __name__ == "__main__":
    main()
