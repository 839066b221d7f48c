"""The API's own CPU per page: the peer bench's anonymous page, asked one at a time in process.

    .venv/bin/python -m bench.page_cpu [--pages 100] [--compare-execution]

Runs the app in this process against the demo Neo4j (`make run` seeds it) and walks the list of legal persons as
bench.peer_compare does, after ten pages of warm-up; reports wall time and this process's CPU time per page (the
API's work, with the in-process client's: a few percent). No load generator shares the cores with it, so the CPU
figure moves little between runs: run it in a checkout of an older commit to compare the two.

`--compare-execution` also times the same app with graphql-core's and Strawberry's execution as they are (no
shortcuts of schema/execution.py), in alternating blocks of pages, and says what the shortcuts save.
"""

import argparse
import asyncio
import os
import time
from contextlib import AsyncExitStack

import httpx
from starlette.applications import Starlette

from bench.client import UNLIMITED
from bench.peer_compare import API_PAGE

BLOCKS = 4
"""With --compare-execution, each build's pages are timed in this many blocks, the builds taking turns."""


class Walk:
    """One app walking the list of legal persons a page at a time, from where it last stopped."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.after: str | None = None
        self.wall = self.cpu = 0.0
        self.pages = 0

    async def page(self) -> None:
        response = await self.client.post("/graphql", json={"query": API_PAGE, "variables": {"after": self.after}})
        info = response.json()["data"]["subjects"]["pageInfo"]
        self.after = info["endCursor"] if info["hasNextPage"] else None

    async def timed(self, pages: int) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(pages):
            await self.page()
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu
        self.pages += pages

    def report(self, name: str) -> str:
        wall, cpu = self.wall * 1000 / self.pages, self.cpu * 1000 / self.pages
        return f"{name}{self.pages} pages: {wall:.1f} ms wall, {cpu:.1f} ms CPU per page"


async def main(pages: int, compare_execution: bool) -> None:
    from schema import build_schema
    from server import settings as settings_module
    from server.app import create_app

    os.environ.update({"CREDIT_GRAPH_ENV": "development", **UNLIMITED})
    settings = settings_module.load()
    apps: dict[str, Starlette] = {"": create_app(settings)}
    if compare_execution:
        plain = build_schema(max_cost=settings.max_cost, shortcuts=False)
        apps = {"shortcuts: ": apps[""], "graphql-core as it is: ": create_app(settings, graphql_schema=plain)}
    async with AsyncExitStack() as stack:
        walks: dict[str, Walk] = {}
        for name, app in apps.items():
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx.ASGITransport(app=app)
            client = httpx.AsyncClient(transport=transport, base_url="http://bench")
            walks[name] = Walk(await stack.enter_async_context(client))
        for walk in walks.values():
            for _ in range(10):
                await walk.page()
        blocks = BLOCKS if compare_execution else 1
        for _ in range(blocks):
            for walk in walks.values():
                await walk.timed(pages // blocks)
        for name, walk in walks.items():
            print(walk.report(name))
        if compare_execution:
            with_shortcuts, without = walks.values()
            print(f"the shortcuts' CPU per page over graphql-core's: {with_shortcuts.cpu / without.cpu:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--compare-execution", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.pages, arguments.compare_execution))
