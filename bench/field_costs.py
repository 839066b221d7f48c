"""What the expensive root fields cost, in units of the cheapest logged read: the weights of schema/cost.py.

    .venv/bin/python -m bench.field_costs [--subjects 30]

Runs in this process against the demo Neo4j (`make run`, 100,000 subjects: `credit-graph seed --subjects
100000`), one request at a time, as an AGENCY officer with a catalogued purpose. For each field it asks about
`--subjects` companies picked at random (the same for every field) and reports the median latency and its ratio
to `subject(code) { name }`, the unit weight. The ratio is what the field should weigh in the cost limit.
"""

import argparse
import asyncio
import os
import random
import statistics
import time

import httpx

from bench.client import UNLIMITED, agency_token
from graph_store.connection import open_store
from server import settings as settings_module

PURPOSE = "MARKET_SUPERVISION"
FIELDS = {
    "subject (the unit)": "query ($code: String!) { subject(code: $code) { name } }",
    "subjects page of 20": "{ subjects(first: 20) { edges { node { code name } } } }",
    "creditReport": """query ($code: String!) { creditReport(code: $code) { subject { name } sections { category
        records { id title } } measures { id } listings { id } } }""",
    "relatedSubjects, 2 hops": """query ($code: String!) { relatedSubjects(code: $code, maxHops: 2, first: 20) {
        totalCount edges { node { hops subject { code name } } } } }""",
    "riskNetwork, 2 hops": """query ($code: String!) { riskNetwork(code: $code, maxHops: 2, first: 20) {
        totalCount edges { node { hops subject { code name } records { id } } } } }""",
    "connection, 3 hops": """query ($code: String!, $to: String!) { connection(fromCode: $code, toCode: $to,
        maxHops: 3) { steps { relation } } }""",
}


async def companies(count: int) -> list[str]:
    async with open_store(settings_module.load().neo4j()) as store:
        rows = await store.read(
            "MATCH (s:Subject {kind: 'LEGAL_PERSON'}) WITH s LIMIT 20000 "
            "RETURN s.code AS code ORDER BY rand() LIMIT $n",
            n=count,
        )
    return [row["code"] for row in rows]


async def main(subjects: int) -> None:
    from server.app import create_app

    codes = await companies(subjects * 2)
    app = create_app(settings_module.load())
    headers = {"Authorization": f"Bearer {agency_token()}", "X-Query-Purpose": PURPOSE}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", headers=headers) as client,
    ):
        medians: dict[str, float] = {}
        for name, query in FIELDS.items():
            seconds = []
            for code, other in zip(codes[:subjects], codes[subjects:], strict=True):
                started = time.perf_counter()
                response = await client.post(
                    "/graphql", json={"query": query, "variables": {"code": code, "to": other}}
                )
                seconds.append(time.perf_counter() - started)
                refused = {error["extensions"]["code"] for error in response.json().get("errors", [])}
                assert refused <= {"LIMIT_EXCEEDED"}, response.text  # a lookup past its time limit cost that much
            medians[name] = statistics.median(seconds)
        unit = medians["subject (the unit)"]
        print(f"{'field':28} {'p50 ms':>8} {'weight':>7}")
        for name, median in medians.items():
            print(f"{name:28} {median * 1000:8.1f} {median / unit:7.1f}")


if __name__ == "__main__":
    os.environ.setdefault("CREDIT_GRAPH_ENV", "development")
    os.environ.update(UNLIMITED)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subjects", type=int, default=30)
    random.seed(1)
    asyncio.run(main(parser.parse_args().subjects))
