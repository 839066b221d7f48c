"""`credit-graph serve` with two processes, as a real command: the rate limit counts a caller's requests in all of
them, and /metrics counts the requests of both whichever answers the scrape (server/shared_limits.py,
server/observability.py).

Every request goes on a connection of its own, many at once, so the kernel hands them to both processes."""

import os
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from graph_store.connection import Store
from server import settings as settings_module
from server.cli import shared_between
from server.observability import MULTIPROCESS

from .conftest import ROOT, headers

LIMIT = 5
BURST = 24
QUERY = {"query": "{ catalog { id } }"}
CREDIT_GRAPH = ROOT / ".venv" / "bin" / "credit-graph"


@dataclass
class Served:
    url: str
    statuses: list[tuple[int, str | None]]
    """The burst's answers: status, and the error code of a refusal."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fresh(url: str, path: str, **sent: str) -> httpx.Response:
    """A request on a connection of its own, closed after it."""
    with httpx.Client(base_url=url, headers={"Connection": "close", **sent}, timeout=30) as client:
        return client.post(path, json=QUERY) if path == "/graphql" else client.get(path)


def answered(response: httpx.Response) -> tuple[int, str | None]:
    errors = response.json().get("errors") if response.status_code != 200 else None
    return response.status_code, errors[0]["extensions"]["code"] if errors else None


def started(process: subprocess.Popen[str], workers: int, lines: list[str]) -> None:
    """Wait until each of the processes has said its app started (uvicorn's log), keeping what `serve` printed."""
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if sum("Application startup complete" in seen for seen in lines) >= workers:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60):
        process.kill()
        raise RuntimeError("serve did not start its processes:\n" + "".join(lines))


@pytest.fixture(scope="module")
def two_processes(store: Store) -> Iterator[Served]:
    """`serve --workers 2` with LIMIT requests a minute, after a burst of BURST anonymous requests at once."""
    port = free_port()
    environ = {**os.environ, "RATE_LIMIT": f"{LIMIT}/minute", "PORT": str(port)}
    environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [str(CREDIT_GRAPH), "serve", "--workers", "2"]
    process = subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        started(process, 2, lines)
        url = f"http://127.0.0.1:{port}"
        with ThreadPoolExecutor(BURST) as pool:
            statuses = [answered(response) for response in pool.map(lambda _: fresh(url, "/graphql"), range(BURST))]
        yield Served(url, statuses)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_caller_gets_its_limit_and_no_more_when_two_processes_answer_it(two_processes: Served):
    assert sorted(two_processes.statuses) == [(200, None)] * LIMIT + [(429, "RATE_LIMITED")] * (BURST - LIMIT)


def test_metrics_count_the_requests_of_both_processes_whichever_answers_the_scrape(two_processes: Served):
    def requests_counted(scrape: int) -> float:
        # Each scrape as a principal of its own: the anonymous caller is past its limit, and so would a scraper be.
        response = fresh(two_processes.url, "/metrics", **headers("AUDITOR", f"SCRAPER-{scrape}"))
        assert response.status_code == 200
        return sum(
            sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples
            if sample.name == "credit_graph_requests_total" and sample.labels["operation"] != "/metrics"
        )

    with ThreadPoolExecutor(8) as pool:
        counted = list(pool.map(requests_counted, range(8)))
    assert counted == [BURST] * 8


def test_serve_runs_one_process_per_core_it_may_use_unless_told_otherwise():
    assert settings_module.load({}).workers == len(os.sched_getaffinity(0))
    assert settings_module.load({"WEB_WORKERS": "1"}).workers == 1


def test_the_processes_folder_is_made_before_they_start_and_removed_when_they_stop():
    with shared_between(1):  # one process keeps its counts and series in its memory
        assert settings_module.load().shared_dir is None and MULTIPROCESS not in os.environ
    with shared_between(2):
        settings = settings_module.load()
        assert settings.shared_dir is not None and settings.rate_limit_store is not None
        assert settings.rate_limit_store.exists()  # its table made before the processes race to make it
        assert os.environ[MULTIPROCESS] == str(settings.shared_dir / settings_module.METRICS_DIR)
        assert os.listdir(os.environ[MULTIPROCESS]) == []
        assert settings.shared_dir.stat().st_mode & 0o077 == 0  # the counts name callers: this user's only
    assert not settings.shared_dir.exists()
    assert settings_module.load().shared_dir is None and MULTIPROCESS not in os.environ
