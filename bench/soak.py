"""A soak: minutes of mixed traffic at many clients, watching errors, latency over time and the API's memory.

    .venv/bin/python -m bench.soak [--minutes 10] [--clients 16]

Runs against the demo Neo4j (`make run`, 100,000 subjects). One API server runs as its own process
(`credit-graph serve`); this process is the load. Each client loops over a mix: a subject with its records
(anonymous, 35%), a page of subjects (anonymous, 15%), a credit report (an agency officer, 15%), a relationship
lookup at 2 hops (an agency officer, 20%) and a consent granted by a natural person (a mutation, 15%). Every
client is its own principal, as users are. Each minute it prints requests, errors by code, p50 and p99, and the
server's resident memory; at the end, the growth of that memory from the first minute to the last, and whether
every consent the API acknowledged is in the store.
"""

import argparse
import asyncio
import collections
import random
import statistics
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.client import api_server
from graph_store.connection import Store, open_store
from server import settings as settings_module

PORT = 8112
PURPOSE = "MARKET_SUPERVISION"
SUBJECT = """query ($code: String!) { subject(code: $code) { name kind records(first: 5) { edges { node { id title
    category provider { name } } } } } }"""
SUBJECTS = "{ subjects(first: 20) { edges { node { code name kind } } pageInfo { hasNextPage } } }"
REPORT = """query ($code: String!) { creditReport(code: $code) { subject { name } sections { category records { id
    title } } measures { id } listings { id } } }"""
RELATED = """query ($code: String!) { relatedSubjects(code: $code, maxHops: 2, first: 20) { totalCount
    edges { node { hops subject { code name } } } } }"""
GRANT = """mutation ($input: GrantConsentInput!) { grantConsent(input: $input) { consent { id status } } }"""
MIX = (("subject", 35), ("subjects", 15), ("creditReport", 15), ("relatedSubjects", 20), ("grantConsent", 15))


def token(role: str, unit: str | None, name: str) -> str:
    from authz.principal import development_secret, issue_token

    now = int(time.time())
    claims = {"sub": name, "name": "压测", "role": role, "unit": unit, "iat": now, "exp": now + 7200}
    return issue_token(claims, development_secret(settings_module.load().data_dir))


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def world(store: Store) -> dict[str, list[str]]:
    """Codes to ask about: companies, natural persons, credit service agencies, an agency's unit."""
    rows = await store.read(
        """
        MATCH (s:Subject) WITH s LIMIT 50000
        RETURN collect(CASE WHEN s.kind = 'LEGAL_PERSON' THEN s.code END)[..5000] AS companies,
               collect(CASE WHEN s.kind = 'NATURAL_PERSON' THEN s.code END)[..2000] AS persons
        """
    )
    agencies = await store.read("MATCH (p:Provider {type: 'CREDIT_SERVICE_AGENCY'}) RETURN p.code AS code")
    units = await store.read("MATCH (p:Provider) WHERE p.type <> 'CREDIT_SERVICE_AGENCY' RETURN p.code AS code")
    return {
        "companies": rows[0]["companies"],
        "persons": rows[0]["persons"],
        "agencies": [row["code"] for row in agencies],
        "units": [row["code"] for row in units],
    }


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: collections.Counter[str] = collections.Counter()
        self.granted: list[str] = []


async def client(number: int, codes: dict[str, list[str]], minute: list[Tally], until: float) -> None:
    rng = random.Random(number)
    agency = {"Authorization": f"Bearer {token('AGENCY', rng.choice(codes['units']), f'soak-{number}')}",
              "X-Query-Purpose": PURPOSE}  # fmt: skip
    person = rng.choice(codes["persons"])
    subject = {"Authorization": f"Bearer {token('SUBJECT', person, f'soak-person-{number}')}"}
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    async with aiohttp.ClientSession(f"http://127.0.0.1:{PORT}", timeout=aiohttp.ClientTimeout(total=60)) as http:
        while time.monotonic() < until:
            kind = rng.choices(kinds, weights)[0]
            company = rng.choice(codes["companies"])
            query, variables, headers = {
                "subject": (SUBJECT, {"code": rng.choice(codes["companies"] + codes["persons"])}, {}),
                "subjects": (SUBJECTS, {}, {}),
                "creditReport": (REPORT, {"code": company}, agency),
                "relatedSubjects": (RELATED, {"code": company}, agency),
                "grantConsent": (GRANT, {"input": {
                    "granteeCode": rng.choice(codes["agencies"]), "purpose": PURPOSE, "categories": ["OTHER"],
                    "expiresAt": "2031-01-01T00:00:00+08:00"}}, subject),
            }[kind]  # fmt: skip
            started = time.perf_counter()
            try:
                async with http.post("/graphql", json={"query": query, "variables": variables}, headers=headers) as r:
                    status = r.status
                    body: dict[str, Any] = await r.json(content_type=None)
            except (aiohttp.ClientError, TimeoutError) as exc:
                status, body = 0, {"errors": [{"extensions": {"code": type(exc).__name__}}]}
            tally = minute[-1]
            tally.latencies.append(time.perf_counter() - started)
            for error in body.get("errors") or []:
                tally.errors[f"{kind} {status} {error.get('extensions', {}).get('code')}"] += 1
            if status >= 500 and not body.get("errors"):
                tally.errors[f"{kind} {status}"] += 1
            if kind == "grantConsent" and (body.get("data") or {}).get("grantConsent"):
                tally.granted.append(body["data"]["grantConsent"]["consent"]["id"])


async def run(options: argparse.Namespace, server_pid: int) -> None:
    async with open_store(settings_module.load().neo4j()) as store:
        codes = await world(store)
        minutes: list[Tally] = [Tally()]
        until = time.monotonic() + options.minutes * 60
        clients = asyncio.gather(*(client(n, codes, minutes, until) for n in range(options.clients)))
        memory: list[int] = []
        print(f"{options.clients} clients for {options.minutes} minutes: {dict(MIX)} (%)")
        print(f"{'minute':>6} {'requests':>9} {'p50 ms':>7} {'p99 ms':>7} {'RSS MiB':>8}  errors")
        for number in range(1, options.minutes + 1):
            await asyncio.sleep(max(0.0, min(60.0, until - time.monotonic())))
            tally = minutes[-1]
            minutes.append(Tally())
            memory.append(resident_kib(server_pid))
            ordered = sorted(tally.latencies) or [0.0]
            p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            print(f"{number:6} {len(tally.latencies):9} {statistics.median(ordered) * 1000:7.0f} {p99 * 1000:7.0f} "
                  f"{memory[-1] / 1024:8.1f}  {dict(tally.errors) or '-'}", flush=True)  # fmt: skip
        await clients
        granted = [consent for tally in minutes for consent in tally.granted]
        found = await store.read("MATCH (c:Consent) WHERE c.id IN $ids RETURN count(c) AS n", ids=granted)
        total = sum(len(tally.latencies) for tally in minutes)
        errors = sum(sum(tally.errors.values()) for tally in minutes)
        print(f"{total} requests, {errors} errors; resident memory {memory[0] / 1024:.1f} MiB after the first minute, "
              f"{memory[-1] / 1024:.1f} MiB at the end ({(memory[-1] / memory[0] - 1) * 100:+.1f}%); "
              f"{found[0]['n']} of {len(granted)} acknowledged consents in the store")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--clients", type=int, default=16)
    options = parser.parse_args()
    with api_server(PORT, "soak-server.log") as server:
        asyncio.run(run(options, server.pid))


if __name__ == "__main__":
    main()
