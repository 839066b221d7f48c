"""The API's own CPU per page: the peer bench's anonymous page, asked one at a time in process.

    .venv/bin/python -m bench.page_cpu [--pages 100]

Runs the app in this process against the demo Neo4j (`make run` seeds it) and walks the list of legal persons as
bench.peer_compare does, after ten pages of warm-up; reports wall time and this process's CPU time per page (the
API's work, with the in-process client's: a few percent). No load generator shares the cores with it, so the CPU
figure moves little between runs: run it in a checkout of an older commit to compare the two.
"""

import argparse
import asyncio
import os
import time

import httpx

from bench.client import UNLIMITED
from bench.peer_compare import API_PAGE


async def main(pages: int) -> None:
    from server import settings as settings_module
    from server.app import create_app

    os.environ.update({"CREDIT_GRAPH_ENV": "development", **UNLIMITED})
    app = create_app(settings_module.load())
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client,
    ):

        async def page(after: str | None) -> str | None:
            response = await client.post("/graphql", json={"query": API_PAGE, "variables": {"after": after}})
            info = response.json()["data"]["subjects"]["pageInfo"]
            return info["endCursor"] if info["hasNextPage"] else None

        after = None
        for _ in range(10):
            after = await page(after)
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(pages):
            after = await page(after)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{pages} pages: {wall / pages * 1000:.1f} ms wall, {cpu / pages * 1000:.1f} ms CPU per page")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    asyncio.run(main(parser.parse_args().pages))
