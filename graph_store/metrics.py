"""What the store side of a request costs, as Prometheus series (served at /metrics, docs/operations.md).

The series live here, at the bottom of the layers, so the code that does the work records it: every query to
Neo4j, every append to the access log, every committed import.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Gauge, Histogram

NEO4J_QUERY_SECONDS = Histogram(
    "credit_graph_neo4j_query_duration_seconds",
    "Time of one query to Neo4j, from sending it to its last row, by access mode.",
    ["access"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
LOG_APPEND_SECONDS = Histogram(
    "credit_graph_access_log_append_duration_seconds",
    "Time of one group commit of access-log entries (the log's lock, the chain, the commit).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
LOG_WAITING = Gauge(
    "credit_graph_access_log_waiting_entries",
    "Access-log entries waiting for the next group commit; each is a request whose answer waits with it.",
    multiprocess_mode="livesum",  # with several API processes: the sum over those alive
)
IMPORTED_OBJECTS = Counter(
    "credit_graph_imported_objects",
    "Objects committed by imports and seeding, by kind (provider, subject, record, ...).",
    ["kind"],
)


@contextmanager
def timed(histogram: Histogram, *labels: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        (histogram.labels(*labels) if labels else histogram).observe(time.perf_counter() - started)
