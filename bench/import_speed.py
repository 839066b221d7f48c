"""Import speed: records per second for a file of about 100,000 records, on a Neo4j of its own.

    .venv/bin/python bench/import_speed.py [--records 100000] [--port 7689]

Writes a JSON Lines file from the seed generator (every kind of the contract,
about three records per subject), starts a bench Neo4j (.data/neo4j-bench,
port 7689 unless --port or BENCH_NEO4J_PORT says), empties it, and times `credit-graph import` of the whole file in
one transaction: once into the empty store, once more to show a re-import.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / ".data" / "neo4j-bench"
PORT = os.environ.get("BENCH_NEO4J_PORT", "7689")
SUBJECTS_PER_RECORD = 1 / 3.04  # measured mean of the seed generator


def write_file(path: Path, records: int) -> int:
    from intake.seed import generate

    encoder = json.JSONEncoder(ensure_ascii=False)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for obj in generate(round(records * SUBJECTS_PER_RECORD), seed=1, today=datetime.date.today()):
            out.write(encoder.encode(obj) + "\n")
            written += obj["kind"] == "record"
    return written


def run(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "credit-graph"), *args], env=env, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--port", default=PORT, help="the bench Neo4j's Bolt port (default: BENCH_NEO4J_PORT or 7689)")
    options = parser.parse_args()
    env = {**os.environ, "CREDIT_GRAPH_NEO4J_HOME": str(HOME), "NEO4J_BOLT_PORT": str(options.port)}
    env.pop("NEO4J_URI", None)
    path = ROOT / ".data" / "bench-import.jsonl"
    path.parent.mkdir(exist_ok=True)
    records = write_file(path, options.records)
    lines = sum(1 for _ in path.open(encoding="utf-8"))
    run("neo4j", "start", env=env)
    subprocess.run(
        [sys.executable, "-c", "import asyncio, bench.wipe as w; asyncio.run(w.wipe())"], env=env, check=True, cwd=ROOT
    )
    run("migrate", env=env)
    first = run("import", str(path), env=env)
    again = run("import", str(path), env=env)
    print(f"file: {lines} objects, {records} records ({path.stat().st_size / 1e6:.0f} MB)")
    print(
        f"import into an empty store: {first:.1f} s = {records / first:,.0f} records/s ({lines / first:,.0f} objects/s)"
    )
    print(f"re-import (no changes):     {again:.1f} s = {records / again:,.0f} records/s")


if __name__ == "__main__":
    main()
