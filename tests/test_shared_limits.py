"""The rate limit's counts in the file the processes of one `serve` share (server/shared_limits.py): two storages
on one file are one count, the sliding window is MemoryStorage's, and expired windows do not stay."""

import asyncio
import multiprocessing
import time
from pathlib import Path

import pytest
from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from server.shared_limits import SharedWindows


async def test_two_processes_on_one_file_count_one_callers_requests_together(tmp_path: Path):
    limit = parse("5/minute")
    one = SlidingWindowCounterRateLimiter(SharedWindows(tmp_path / "counts.sqlite"))
    other = SlidingWindowCounterRateLimiter(SharedWindows(tmp_path / "counts.sqlite"))
    answers = [await (one if i % 2 else other).hit(limit, "10.0.0.1") for i in range(8)]
    assert answers == [True] * 5 + [False] * 3
    assert await one.hit(limit, "10.0.0.2")  # another caller has its own count
    reset_at, remaining = await other.get_window_stats(limit, "10.0.0.1")
    assert remaining == 0 and time.time() < reset_at <= time.time() + 120


def hits(path: Path, count: int, start: float) -> list[bool]:
    """`count` hits of one caller as fast as a process can, in a process of its own, from `start` on (both processes
    start together however long each took to spawn)."""

    async def run() -> list[bool]:
        limiter = SlidingWindowCounterRateLimiter(SharedWindows(path))
        time.sleep(max(0.0, start - time.time()))
        return [await limiter.hit(parse("2000/minute"), "10.0.0.1") for _ in range(count)]

    return asyncio.run(run())


def test_two_processes_hitting_at_once_let_the_limit_through_and_no_more(tmp_path: Path):
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        answers = pool.starmap(hits, [(tmp_path / "counts.sqlite", 1500, time.time() + 1.5)] * 2)
    assert sum(sum(answered) for answered in answers) == 2000


async def test_the_shared_count_answers_as_the_memory_one_across_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    limit = parse("3/second")
    memory = SlidingWindowCounterRateLimiter(MemoryStorage())
    shared = SlidingWindowCounterRateLimiter(SharedWindows(tmp_path / "counts.sqlite"))
    start = 1_800_000_000.0
    answers: dict[str, list[bool]] = {"memory": [], "shared": []}
    clock = [start]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    for step in range(40):  # hits every 0.15 s: the previous window's count weighs less as the current one goes on
        clock[0] = start + step * 0.15
        answers["memory"].append(await memory.hit(limit, "caller"))
        answers["shared"].append(await shared.hit(limit, "caller"))
    assert answers["shared"] == answers["memory"]
    assert True in answers["shared"] and False in answers["shared"]


async def test_expired_windows_are_deleted_however_many_callers_came(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    storage = SharedWindows(tmp_path / "counts.sqlite")
    limiter = SlidingWindowCounterRateLimiter(storage)
    limit = parse("30/second")
    start = 1_800_000_000.0
    monkeypatch.setattr(time, "time", lambda: start)
    for address in range(500):
        await limiter.hit(limit, f"10.0.{address // 250}.{address % 250}")
    rows = storage.connection.execute("SELECT count(*) FROM windows").fetchone()[0]
    assert rows == 500
    monkeypatch.setattr(time, "time", lambda: start + SharedWindows.PURGE_SECONDS + 3)
    await limiter.hit(limit, "10.1.0.1")
    assert storage.connection.execute("SELECT key FROM windows").fetchall() == [
        (limit.key_for("10.1.0.1") + "/1800000013",)
    ]
