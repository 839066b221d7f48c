"""What the shared rate limit costs a request: one `hit` of limits' sliding window counter, in this process's memory
(MemoryStorage, one process) against the SQLite file the processes of one `serve` share (server/shared_limits.py).

    .venv/bin/python -m bench.rate_limit_hit [--hits 20000] [--rounds 5]

No server, no Neo4j: the limiter alone, as RateLimitMiddleware calls it, over 2,000 callers (anonymous addresses)
with limits never reached. `alone`: one process hits, the other processes of a serve idle. `two at once`: two
processes hit the same file at the same time (each its own core if the machine has two): the cost when they wait
for each other's transaction. Reported: microseconds per hit, the median and the best of the rounds.
"""

import argparse
import asyncio
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from server.shared_limits import SharedWindows

CALLERS = [f"10.{n // 65536}.{n // 256 % 256}.{n % 256}" for n in range(2000)]
LIMIT = parse("1000000/second")


async def per_hit(limiter: SlidingWindowCounterRateLimiter, hits: int, rounds: int) -> list[float]:
    for caller in CALLERS:  # every caller's window exists, as on a busy server
        await limiter.hit(LIMIT, caller)
    timed = []
    for _ in range(rounds):
        started = time.perf_counter()
        for n in range(hits):
            await limiter.hit(LIMIT, CALLERS[n % len(CALLERS)])
        timed.append((time.perf_counter() - started) / hits * 1e6)
    return timed


def shared_per_hit(path: Path, hits: int, rounds: int) -> list[float]:
    return asyncio.run(per_hit(SlidingWindowCounterRateLimiter(SharedWindows(path)), hits, rounds))


def report(name: str, timed: list[float]) -> None:
    print(f"{name:<24} {statistics.median(timed):6.1f} µs per hit (best {min(timed):.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hits", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    report("memory", asyncio.run(per_hit(SlidingWindowCounterRateLimiter(MemoryStorage()), args.hits, args.rounds)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rate-limits.sqlite"
        report("shared, alone", shared_per_hit(path, args.hits, args.rounds))
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            both = pool.starmap(shared_per_hit, [(path, args.hits, args.rounds)] * 2)
        report("shared, two at once", [hit for timed in both for hit in timed])


if __name__ == "__main__":
    main()
