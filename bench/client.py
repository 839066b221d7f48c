"""The load generator's side of the benches: an agency's token, waiting for a server, asking GraphQL over HTTP.

aiohttp, not httpx (which the tests use through its ASGI transport): the load
generator shares the machine's cores with the API and Neo4j, and aiohttp spends
far less CPU per request than httpx (docs/performance.md, "Request floor"), so
less of what a bench reports is its own load.
"""

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
UNLIMITED = {"RATE_LIMIT": "1000000/second", "GRAPHQL_MAX_COST": "1000000", "LOOKUP_CONCURRENCY": "1000"}
"""The API's environment in a bench: it measures speed, not the limits, and one machine's load generator is not an
abuser (docs/limits.md)."""


def agency_token() -> str:
    from authz.principal import development_secret, issue_token
    from server import settings as settings_module

    now = int(time.time())
    claims = {"sub": "bench", "name": "压测", "role": "AGENCY", "unit": "BENCH", "iat": now, "exp": now + 3600}
    return issue_token(claims, development_secret(settings_module.load().data_dir))


def wait_until_up(port: int) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not come up")


@contextmanager
def server_process(
    command: list[str], log_name: str, env: dict[str, str], port: int
) -> Iterator[subprocess.Popen[bytes]]:
    """A server as its own process, from the moment it answers /readyz on `port` until the block ends; what it prints
    goes to .data/`log_name`, out of the report's way."""
    with (ROOT / ".data" / log_name).open("w") as log:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            wait_until_up(port)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=30)


@contextmanager
def api_server(
    port: int, log_name: str, *options: str, environment: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`credit-graph serve` as its own process, in development and with the limits opened (and `environment` added),
    until the block ends. One API process unless `environment` (WEB_WORKERS) or `options` (--workers) ask for more:
    a build's figures stay one process's, whatever the machine's cores (the default of WEB_WORKERS)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PORT": str(port), "CREDIT_GRAPH_ENV": "development", **UNLIMITED}
    env["WEB_WORKERS"] = "1"
    env |= environment or {}
    command = [str(ROOT / ".venv/bin/credit-graph"), "serve", "--port", str(port), *options]
    with server_process(command, log_name, env, port) as server:
        yield server


@asynccontextmanager
async def http_session(
    port: int, headers: dict[str, str], clients: int, timeout: float = 60
) -> AsyncIterator[aiohttp.ClientSession]:
    """One connection per client, kept open, as a pool of API clients would; a request gives up after `timeout`
    seconds."""
    async with aiohttp.ClientSession(
        f"http://127.0.0.1:{port}",
        headers=headers,
        connector=aiohttp.TCPConnector(limit=clients),
        timeout=aiohttp.ClientTimeout(total=timeout),
    ) as session:
        yield session


async def graphql(http: aiohttp.ClientSession, query: str, variables: dict[str, Any], allowed: set[str]) -> Any:
    """The response's data; a failed request, or an error whose code is not in `allowed`, stops the bench."""
    async with http.post("/graphql", json={"query": query, "variables": variables}) as response:
        body = await response.json()
    codes = {error.get("extensions", {}).get("code") for error in body.get("errors") or []}
    if response.status != 200 or codes - allowed:
        raise RuntimeError(f"bench request failed: {response.status} {body.get('errors')}")
    return body["data"]
