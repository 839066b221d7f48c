"""The request floor under load: `subject(code: $code) { name }`, the cheapest logged request, at many clients.

    .venv/bin/python -m bench.subject_floor [--clients 1,8,16] [--seconds 10] [--rounds 3] [--workers 1]

Runs against the demo Neo4j (`make run` and `credit-graph seed`). One API server runs as its own process
(`credit-graph serve`, `--workers` processes, on `--port`; `--running PID` times the server already running there
as PID, to profile it). Each client asks, as an AGENCY officer with a catalogued purpose (policy, masking and the
access log on), for the name of one subject after another, picked at random from every subject in the store, as
fast as its answers come, for `--seconds`; then the same through the async driver as one hand-written query
(`hand`: the floor of any request, without HTTP, GraphQL, the policy or the log). Reported for each number of clients:
requests a second, p50 and p99 latency, rounds interleaved so both see the same machine. The load generator
shares the machine's cores with the API and Neo4j (and with whatever else runs): compare figures measured in one
run. `API CPU ms` is the CPU time the API's processes used per answer (from /proc, the `hand` line's is the
idle server's), the one figure that does not depend on what else the machine was doing.
"""

import argparse
import asyncio
import os
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.client import agency_token, api_server, graphql, http_session
from graph_store.connection import open_store
from server import settings as settings_module

PORT = 8131
PURPOSE = "MARKET_SUPERVISION"
FLOOR = "query Subject($code: String!) { subject(code: $code) { name } }"
HAND = "MATCH (s:Subject {code: $code}) RETURN s.name AS name"

Ask = Callable[[str], Awaitable[None]]


async def timed(ask: Ask, codes: list[str], clients: int, seconds: float) -> tuple[float, list[float]]:
    """How many answers `clients` closed-loop clients got in `seconds`, and each one's latency."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds
    picks = random.Random(clients)

    async def client() -> None:
        while (started := time.perf_counter()) < stop:
            await ask(picks.choice(codes))
            latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return len(latencies) / (time.perf_counter() - began), latencies


def cpu_seconds(pid: int | None) -> float:
    """CPU time the process `pid` and its descendants (the workers of `credit-graph serve --workers`) have used, from
    /proc (Linux): what a request costs the API whatever else runs on the machine."""
    if pid is None:
        return float("nan")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        process = int(stat.parent.name)
        parents[process] = int(fields[1])
        used[process] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    tree, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(used.get(process, 0.0) for process in tree)


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


async def run(options: argparse.Namespace, server: int | None) -> None:
    async with open_store(settings_module.load().neo4j()) as store:
        codes = [row["code"] for row in await store.read("MATCH (s:Subject) RETURN s.code AS code")]
        headers = {"Authorization": f"Bearer {agency_token()}", "X-Query-Purpose": PURPOSE}
        counts = [int(count) for count in options.clients.split(",")]
        async with http_session(options.port, headers, max(counts)) as http:

            async def through_api(code: str) -> None:
                await graphql(http, FLOOR, {"code": code}, allowed=set())

            async def by_hand(code: str) -> None:
                await store.read(HAND, code=code)

            builds: dict[str, Ask] = {"api": through_api, "hand": by_hand}
            for ask in builds.values():  # warm up: plans, pools, Oso, the page cache
                await timed(ask, codes, max(counts), options.warmup)
            print(f"{len(codes):,} subjects; {options.rounds} rounds of {options.seconds:g} s per build and clients; "
                  f"{'a running server' if options.running else f'{options.workers} API process(es)'}")  # fmt: skip
            print(
                f"{'clients':>7} {'build':6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'API CPU ms':>10}"
            )
            for clients in counts:
                rates: dict[str, list[float]] = {name: [] for name in builds}
                latencies: dict[str, list[float]] = {name: [] for name in builds}
                cpu: dict[str, float] = dict.fromkeys(builds, 0.0)
                for _ in range(options.rounds):
                    for name, ask in builds.items():
                        before = cpu_seconds(server)
                        rate, times = await timed(ask, codes, clients, options.seconds)
                        cpu[name] += cpu_seconds(server) - before
                        rates[name].append(rate)
                        latencies[name] += times
                for name in builds:
                    ordered = sorted(latencies[name])
                    print(f"{clients:7} {name:6} {statistics.mean(rates[name]):8.1f} {percentile(ordered, 0.5):8.1f} "
                          f"{percentile(ordered, 0.99):8.1f} {ordered[-1] * 1000:8.1f} "
                          f"{cpu[name] * 1000 / len(ordered):10.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="1,8,16", help="numbers of clients, comma-separated")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="API processes (credit-graph serve --workers)")
    parser.add_argument("--port", type=int, default=PORT, help="the API's port")
    parser.add_argument("--running", type=int, metavar="PID", help="time the server already running on --port as PID")
    options = parser.parse_args()
    if options.running:
        asyncio.run(run(options, options.running))
        return
    with api_server(options.port, "bench-server.log", "--workers", str(options.workers)) as server:
        asyncio.run(run(options, server.pid))


if __name__ == "__main__":
    main()
