"""What relationship lookups cost through the API, against the same traversal written by hand for the driver.

    .venv/bin/python -m bench.relationship_lookups [--clients 8] [--subjects 200] [--rounds 3]

Runs against the demo Neo4j (`make run`; use at least 100,000 subjects: `credit-graph seed --subjects 100000`,
whose companies have representatives, investors and branches). One API server runs as its own process
(`credit-graph serve`); the load generator is this process. For each lookup, `--clients` concurrent clients ask
about `--subjects` subjects picked at random (the same for both), first through GraphQL as an AGENCY officer with
a catalogued purpose (policy, masking and access log included), then as one hand-written Cypher query per lookup
through the async driver, which returns the same page. Reported: p50 and p99 latency of each, and API / hand.
The first line is the floor: the cheapest logged request (one subject's name) under the same load. The last two
lines are the worst cases: both lookups at 3 hops from the 20 subjects with the most relationships, one at a time.
Absolute numbers depend on the machine (the load generator shares its 2 cores); the ratios are the result.
"""

import argparse
import asyncio
import datetime
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bench.client import agency_token, api_server, graphql, http_session
from graph_store.connection import Store, open_store
from server import settings as settings_module

PORT = 8111
PURPOSE = "MARKET_SUPERVISION"
RELATED = """query Related($code: String!, $hops: Int!) { relatedSubjects(code: $code, maxHops: $hops, first: 20) {
    totalCount edges { node { hops subject { code name } path { relation from { code } to { code } } } } } }"""
FLOOR = "query Subject($code: String!) { subject(code: $code) { name } }"
"""What any logged request costs: one subject's name. The lookups' own cost is what they add to it."""
RISK = """query Risk($code: String!, $hops: Int!) { riskNetwork(code: $code, maxHops: $hops, first: 20) { totalCount
    edges { node { hops subject { code name } records { id title } path { relation from { code } to { code } } } } }
}"""

HAND_RELATED = """
MATCH (origin:Subject {code: $code})
MATCH p = ANY SHORTEST (origin)-[:REPRESENTS|INVESTS_IN|BRANCH_OF]-{1,%d}(other:Subject)
WHERE other <> origin
WITH other, p LIMIT 10001
WITH other, p ORDER BY length(p), other.id
WITH collect({code: other.code, name: other.name, hops: length(p),
              steps: [r IN relationships(p) | [startNode(r).code, type(r), endNode(r).code]]}) AS found
RETURN size(found) AS total, found[..20] AS page
"""
HAND_RISK = """
MATCH (origin:Subject {code: $code})
MATCH p = ANY SHORTEST (origin)-[:REPRESENTS|INVESTS_IN|BRANCH_OF]-{1,%d}(other:Subject)
WHERE other <> origin
WITH other, p LIMIT 10001
WITH other, p
WHERE EXISTS {
          MATCH (other)<-[:ABOUT]-(r:Record {nature: 'DISHONEST', status: 'ACTIVE'})
          WHERE r.confirmedAt <= $today AND (r.disclosureUntil IS NULL OR r.disclosureUntil >= $today)
            AND (r.disclosureMode IN ['PUBLIC_NOTICE', 'GOVERNMENT_SHARING']
                 OR (r.disclosureMode = 'SUBJECT_PUBLISHED' AND r.publishedBySubjectAt IS NOT NULL))
      }
   OR EXISTS { (other)<-[:OF]-(:Listing {status: 'ACTIVE'}) }
WITH other, p ORDER BY length(p), other.id
WITH collect({other: other, p: p}) AS risky
UNWIND risky[..20] AS row
WITH size(risky) AS total, row.other AS other, row.p AS p
RETURN total, other.code AS code, other.name AS name, length(p) AS hops,
       COLLECT {
           MATCH (other)<-[:ABOUT]-(r:Record {nature: 'DISHONEST', status: 'ACTIVE'})
           WHERE r.confirmedAt <= $today AND (r.disclosureUntil IS NULL OR r.disclosureUntil >= $today)
             AND (r.disclosureMode IN ['PUBLIC_NOTICE', 'GOVERNMENT_SHARING']
                  OR (r.disclosureMode = 'SUBJECT_PUBLISHED' AND r.publishedBySubjectAt IS NOT NULL))
           RETURN {id: r.id, title: r.title} ORDER BY r.confirmedAt DESC LIMIT 20
       } AS records,
       [r IN relationships(p) | [startNode(r).code, type(r), endNode(r).code]] AS steps
"""

HUBS = """
MATCH (s:Subject)
WITH s, COUNT { (s)-[:REPRESENTS|INVESTS_IN|BRANCH_OF]-() } AS degree
ORDER BY degree DESC LIMIT 20
RETURN s.code AS code
"""
"""The worst cases: a lookup from a hub reaches thousands of subjects (or is refused with LIMIT_EXCEEDED)."""

Ask = Callable[[str], Awaitable[None]]


async def timed(ask: Ask, codes: list[str], clients: int) -> list[float]:
    """Latencies of asking about every code once, `clients` at a time."""
    queue = list(codes)
    latencies: list[float] = []

    async def client() -> None:
        while queue:
            code = queue.pop()
            started = time.perf_counter()
            await ask(code)
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


def through_api(http: aiohttp.ClientSession, query: str, **variables: object) -> Ask:
    async def ask(code: str) -> None:
        await graphql(http, query, {"code": code, **variables}, allowed={"LIMIT_EXCEEDED"})

    return ask


def by_hand(store: Store, query: str, **params: Any) -> Ask:
    async def ask(code: str) -> None:
        await store.read(query, code=code, **params)

    return ask


def summary(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


async def run(options: argparse.Namespace) -> None:
    async with open_store(settings_module.load().neo4j()) as store:
        everyone = [row["code"] for row in await store.read("MATCH (s:Subject) RETURN s.code AS code")]
        codes = random.Random(options.seed).sample(everyone, options.subjects)
        today = datetime.date.today()
        headers = {"Authorization": f"Bearer {agency_token()}", "X-Query-Purpose": PURPOSE}
        async with http_session(PORT, headers, options.clients) as http:
            lookups = {
                "subject (request floor)": (
                    through_api(http, FLOOR),
                    by_hand(store, "MATCH (s:Subject {code: $code}) RETURN s.name"),
                ),
                "relatedSubjects 2 hops": (through_api(http, RELATED, hops=2), by_hand(store, HAND_RELATED % 2)),
                "relatedSubjects 3 hops": (through_api(http, RELATED, hops=3), by_hand(store, HAND_RELATED % 3)),
                "riskNetwork 2 hops": (through_api(http, RISK, hops=2), by_hand(store, HAND_RISK % 2, today=today)),
            }
            for api, hand in lookups.values():  # warm up: plans, pools, Oso, page cache
                await timed(api, codes[:50], options.clients)
                await timed(hand, codes[:50], options.clients)
            print(f"{len(everyone):,} subjects; {options.clients} clients; {options.subjects} subjects asked about, "
                  f"{options.rounds} rounds")  # fmt: skip
            print(f"{'lookup':24} {'API p50':>8} {'API p99':>8} {'hand p50':>9} {'hand p99':>9} {'p50 ratio':>9}")
            for name, (api, hand) in lookups.items():
                api_times: list[float] = []
                hand_times: list[float] = []
                for _ in range(options.rounds):  # interleaved, so both see the same machine
                    api_times += await timed(api, codes, options.clients)
                    hand_times += await timed(hand, codes, options.clients)
                (api_p50, api_p99), (hand_p50, hand_p99) = summary(api_times), summary(hand_times)
                print(f"{name:24} {api_p50:8.1f} {api_p99:8.1f} {hand_p50:9.1f} {hand_p99:9.1f} "
                      f"{api_p50 / hand_p50:9.1f}")  # fmt: skip
            hubs = [row["code"] for row in await store.read(HUBS)]
            for name, api, hand in (
                ("relatedSubjects", through_api(http, RELATED, hops=3), by_hand(store, HAND_RELATED % 3)),
                ("riskNetwork", through_api(http, RISK, hops=3), by_hand(store, HAND_RISK % 3, today=today)),
            ):
                slowest_api, slowest_hand = max(await timed(api, hubs, 1)), max(await timed(hand, hubs, 1))
                print(f"{name} 3 hops from each of the {len(hubs)} subjects with the most relationships, one at a "
                      f"time: slowest {slowest_api * 1000:.0f} ms (by hand {slowest_hand * 1000:.0f} ms)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--subjects", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="API processes (credit-graph serve --workers)")
    options = parser.parse_args()
    with api_server(PORT, "bench-server.log", "--workers", str(options.workers)):
        asyncio.run(run(options))


if __name__ == "__main__":
    main()
