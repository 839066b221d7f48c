"""What an operator sees: /metrics in the Prometheus format, and one JSON log line per request that names no
person."""

import json
import logging

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from graph_store.connection import Store

from .conftest import COMPANY, PERSON, ask, headers

SUBJECTS = "{ subjects(first: 2) { totalCount edges { node { name } } } }"


async def series(client: httpx.AsyncClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def test_requests_are_counted_by_root_field_and_code(sample_store: Store, client: httpx.AsyncClient):
    before = await series(client)
    assert "errors" not in await ask(client, SUBJECTS, headers())
    await client.post("/graphql", json={"query": SUBJECTS}, headers={"Authorization": "Bearer forged"})
    after = await series(client)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("credit_graph_requests_total", operation="subjects", code="OK") == 1
    assert grew("credit_graph_requests_total", operation="-", code="UNAUTHENTICATED") == 1
    assert grew("credit_graph_request_duration_seconds_count", operation="subjects") == 1
    assert grew("credit_graph_neo4j_query_duration_seconds_count", access="READ") >= 2  # the page and its count
    assert grew("credit_graph_access_log_append_duration_seconds_count") >= 1  # the names it revealed are logged


async def test_imports_and_the_access_log_queue_are_series(sample_store: Store, client: httpx.AsyncClient):
    found = await series(client)
    assert found[("credit_graph_imported_objects_total", (("kind", "record"),))] > 0  # the sample, loaded
    assert ("credit_graph_access_log_waiting_entries", ()) in found


async def test_a_caller_chosen_name_never_becomes_a_series(sample_store: Store, client: httpx.AsyncClient):
    await client.post("/graphql", json={"query": "query Anything123 { catalog { id } }"})
    await client.post("/graphql", json={"query": "{ x: catalog { id } }"})
    await client.get("/no/such/path")
    names = {dict(labels).get("operation") for name, labels in await series(client) if "requests" in name}
    assert "catalog" in names and not {"Anything123", "x", "no"} & names


async def test_one_json_line_per_request_names_the_request_not_the_person(
    sample_store: Store, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
):
    document = "query($c: String!) { subject(code: $c) { name code } }"
    with caplog.at_level(logging.INFO, logger="credit_graph.requests"):
        response = await client.post(
            "/graphql", json={"query": document, "variables": {"c": PERSON}}, headers=headers("SUBJECT", PERSON)
        )
    body = response.json()
    assert body["data"]["subject"]["code"] == PERSON  # the person reads their own name and ID
    lines = [record.getMessage() for record in caplog.records if record.name == "credit_graph.requests"]
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["requestId"] == response.headers["X-Request-Id"]
    assert line["operation"] == "subject" and line["code"] == "OK" and line["status"] == 200
    assert line["role"] == "SUBJECT" and line["actorId"].startswith("actor-") and line["durationMs"] >= 0
    assert PERSON not in lines[0] and body["data"]["subject"]["name"] not in lines[0] and COMPANY not in lines[0]
