"""The request floor under load: `subject(code: $code) { name }`, the cheapest logged request, at many clients.

    .venv/bin/python -m bench.subject_floor [--clients 1,8,16] [--seconds 10] [--rounds 3] [--workers 1]

Runs against the demo Neo4j (`make run` and `credit-graph seed`). One API server runs as its own process
(`credit-graph serve`, `--workers` processes, on `--port`; `--running PID` times the server already running there
as PID, to profile it; `--before DIR` also times the code of another checkout, such as a worktree of main, on the
next port). Each client asks, as an AGENCY officer with a catalogued purpose (policy, masking and the access log
on), for the name of one subject after another, picked at random from every subject in the store, as fast as its
answers come, for `--seconds`; then the same through the async driver as one hand-written query (`hand`: the
floor of any request, without HTTP, GraphQL, the policy or the log). Reported for each number of clients:
requests a second, p50 and p99 latency, the builds' rounds interleaved so all see the same machine. The load
generator shares the machine's cores with the API and Neo4j (and with whatever else runs): compare figures
measured in one run. `API CPU ms` is the CPU time the build's API processes used per answer (from /proc), the one
figure that depends little on what else the machine was doing.
"""

import argparse
import asyncio
import functools
import os
import random
import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, ExitStack, contextmanager
from pathlib import Path

import aiohttp

from bench.client import ROOT, UNLIMITED, agency_token, api_server, graphql, http_session, server_process
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


async def run(options: argparse.Namespace, servers: dict[str, tuple[int, int | None]]) -> None:
    """`servers`: each API build's port and process id, by name."""
    async with open_store(settings_module.load().neo4j()) as store, AsyncExitStack() as stack:
        codes = [row["code"] for row in await store.read("MATCH (s:Subject) RETURN s.code AS code")]
        headers = {"Authorization": f"Bearer {agency_token()}", "X-Query-Purpose": PURPOSE}
        counts = [int(count) for count in options.clients.split(",")]
        builds: dict[str, tuple[Ask, int | None]] = {}
        for name, (port, pid) in servers.items():
            http = await stack.enter_async_context(http_session(port, headers, max(counts)))
            builds[name] = (functools.partial(through_api, http), pid)

        async def by_hand(code: str) -> None:
            await store.read(HAND, code=code)

        builds["hand"] = (by_hand, None)
        for ask, _ in builds.values():  # warm up: plans, pools, Oso, the page cache
            await timed(ask, codes, max(counts), options.warmup)
        processes = "a running server" if options.running else f"{options.workers} API process(es) per build"
        print(f"{len(codes):,} subjects; {options.rounds} rounds of {options.seconds:g} s per build and clients, "
              f"interleaved; {processes}")  # fmt: skip
        print(f"{'clients':>7} {'build':6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'API CPU ms':>10}")
        for clients in counts:
            rates: dict[str, list[float]] = {name: [] for name in builds}
            latencies: dict[str, list[float]] = {name: [] for name in builds}
            cpu: dict[str, float] = dict.fromkeys(builds, 0.0)
            for _ in range(options.rounds):
                for name, (ask, pid) in builds.items():
                    used = cpu_seconds(pid)
                    rate, times = await timed(ask, codes, clients, options.seconds)
                    cpu[name] += cpu_seconds(pid) - used
                    rates[name].append(rate)
                    latencies[name] += times
            for name, (_, pid) in builds.items():
                ordered = sorted(latencies[name])
                per_answer = "-" if pid is None else f"{cpu[name] * 1000 / len(ordered):.2f}"
                print(f"{clients:7} {name:6} {statistics.mean(rates[name]):8.1f} {percentile(ordered, 0.5):8.1f} "
                      f"{percentile(ordered, 0.99):8.1f} {ordered[-1] * 1000:8.1f} "
                      f"{per_answer:>10}")  # fmt: skip


async def through_api(http: aiohttp.ClientSession, code: str) -> None:
    await graphql(http, FLOOR, {"code": code}, allowed=set())


@contextmanager
def checkout_server(root: Path, port: int, workers: int) -> Iterator[subprocess.Popen[bytes]]:
    """`credit-graph serve` with the code of another checkout (`root`, e.g. a worktree of main), over this one's data
    directory (its Neo4j, its token secret), with the limits opened as `api_server` does."""
    env = {**os.environ, "PYTHONPATH": str(root), "PORT": str(port), "CREDIT_GRAPH_ENV": "development", **UNLIMITED}
    env.setdefault("CREDIT_GRAPH_DATA", str(ROOT / ".data"))
    command = [str(ROOT / ".venv/bin/credit-graph"), "serve", "--port", str(port), "--workers", str(workers)]
    with server_process(command, "bench-before-server.log", env, port) as server:
        yield server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="1,8,16", help="numbers of clients, comma-separated")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="API processes (credit-graph serve --workers)")
    parser.add_argument("--port", type=int, default=PORT, help="the API's port")
    parser.add_argument("--running", type=int, metavar="PID", help="time the server already running on --port as PID")
    parser.add_argument(
        "--before", type=Path, help="also time the code of this checkout (on --port + 1), interleaved: before and after"
    )
    options = parser.parse_args()
    if options.running:
        asyncio.run(run(options, {"api": (options.port, options.running)}))
        return
    with ExitStack() as stack:
        server = stack.enter_context(api_server(options.port, "bench-server.log", "--workers", str(options.workers)))
        servers: dict[str, tuple[int, int | None]] = {"api": (options.port, server.pid)}
        if options.before:
            before = stack.enter_context(checkout_server(options.before.resolve(), options.port + 1, options.workers))
            servers["before"] = (options.port + 1, before.pid)
        asyncio.run(run(options, servers))


if __name__ == "__main__":
    main()
