"""The HTTP surface around GraphQL: production mode, and a store that cannot be reached."""

import dataclasses

import httpx

from graph_store import embedded
from server import settings as settings_module
from server.app import create_app

from .conftest import load, sample_objects


def app_client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_graphiql_and_get_queries_are_off_in_production(neo4j_server: embedded.EmbeddedStatus):
    settings = dataclasses.replace(settings_module.load(), development=False)
    app = create_app(settings)
    async with app.router.lifespan_context(app), app_client(app) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        assert "graphiql" not in page.text.lower()
        query = await client.get("/graphql", params={"query": "{ catalog { id } }"})
        assert query.status_code >= 400


async def test_unreachable_store_is_unavailable_not_an_internal_error(neo4j_server: embedded.EmbeddedStatus):
    settings = dataclasses.replace(settings_module.load(), bolt_port=1)
    app = create_app(settings)
    async with app.router.lifespan_context(app), app_client(app) as client:
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        body = (await client.post("/graphql", json={"query": "{ catalog { id } }"})).json()
        assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAVAILABLE"]
        assert body["errors"][0]["message"] == "The credit store is unavailable; try again shortly."


async def test_unexpected_error_is_masked_with_a_request_id(empty_store, client: httpx.AsyncClient, caplog):
    await load(empty_store, sample_objects())
    await empty_store.write("MATCH (r:Record {id: 'REC-REG-0001'}) SET r.nature = 'NOT_A_NATURE'")
    response = await client.post("/graphql", json={"query": '{ record(id: "REC-REG-0001") { nature } }'})
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL"
    assert (
        error["message"] == f"Internal error. Quote request id {response.headers['X-Request-Id']} when you report it."
    )
    assert "NOT_A_NATURE" not in response.text
    assert response.headers["X-Request-Id"] in caplog.text
