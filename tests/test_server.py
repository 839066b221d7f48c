"""The HTTP surface around GraphQL: production mode, and a store that cannot be reached."""

import dataclasses
import functools
import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import neo4j
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from neo4j.exceptions import ClientError

from authz.principal import development_secret, issue_token
from graph_store import embedded
from graph_store.connection import Store
from server import settings as settings_module

from .conftest import load, make_app, sample_objects


def app_client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def production_environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The tests' environment without CREDIT_GRAPH_ENV (so: production), with a server secret and `settings`."""
    (tmp_path / "server.key").write_text("a server secret for the tests, long enough to be a real one")
    environment = {name: value for name, value in os.environ.items() if name != "CREDIT_GRAPH_ENV"}
    return environment | {"CREDIT_GRAPH_SECRET_FILE": str(tmp_path / "server.key")} | settings


def production_settings(tmp_path: Path) -> tuple[settings_module.Settings, rsa.RSAPrivateKey]:
    """Production verifies RS256 tokens with the identity provider's public key, never the development secret."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_key_file = tmp_path / "jwt-public.pem"
    public_key_file.write_bytes(
        private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    settings = settings_module.load(production_environment(tmp_path, JWT_PUBLIC_KEY_FILE=str(public_key_file)))
    assert not settings.development
    return settings, private_key


async def test_graphiql_is_off_in_production_and_queries_over_get_still_run(
    neo4j_server: embedded.EmbeddedStatus, tmp_path: Path
):
    settings, _ = production_settings(tmp_path)
    app = make_app(settings)
    async with app.router.lifespan_context(app), app_client(app) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 404 and "graphiql" not in page.text.lower()
        query = await client.get("/graphql", params={"query": "{ catalog { id } }"})
        assert query.status_code == 200 and "errors" not in query.json()


async def test_production_accepts_rs256_tokens_and_refuses_development_ones(
    neo4j_server: embedded.EmbeddedStatus, tmp_path: Path
):
    settings, private_key = production_settings(tmp_path)
    now = int(time.time())
    claims = {"sub": "u1", "name": "王芳", "role": "ADMIN", "unit": "ADMIN-1", "iat": now, "exp": now + 60}
    rs256 = jwt.encode(claims, private_key, algorithm="RS256")
    development = issue_token(claims, development_secret(settings.data_dir))
    app = make_app(settings)
    async with app.router.lifespan_context(app), app_client(app) as client:
        query = {"query": "{ catalog { id } }"}
        accepted = await client.post("/graphql", json=query, headers={"Authorization": f"Bearer {rs256}"})
        assert accepted.status_code == 200 and "errors" not in accepted.json()
        refused = await client.post("/graphql", json=query, headers={"Authorization": f"Bearer {development}"})
        assert refused.status_code == 401


def test_production_is_the_default_and_refuses_to_start_without_its_keys(tmp_path: Path):
    without_environment = {name: value for name, value in os.environ.items() if name != "CREDIT_GRAPH_ENV"}
    with pytest.raises(SystemExit, match="JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL"):
        make_app(settings_module.load(production_environment(tmp_path)))
    with pytest.raises(SystemExit, match="CREDIT_GRAPH_SECRET_FILE"):
        make_app(settings_module.load(without_environment | {"JWT_JWKS_URL": "https://idp.example/jwks"}))


async def test_unreachable_store_is_unavailable_not_an_internal_error(neo4j_server: embedded.EmbeddedStatus):
    settings = dataclasses.replace(settings_module.load(), bolt_port=1)
    app = make_app(settings)
    async with app.router.lifespan_context(app), app_client(app) as client:
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        body = (await client.post("/graphql", json={"query": "{ catalog { id } }"})).json()
        assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAVAILABLE"]
        assert body["errors"][0]["message"] == "The credit store is unavailable; try again shortly."


async def test_a_session_is_used_again_after_a_query_read_to_the_end_but_never_after_one_that_failed(store: Store):
    idle = store.sessions.idle[neo4j.READ_ACCESS]
    await store.read("RETURN 1 AS one")
    session = idle[-1]
    await store.read("RETURN 1 AS one")
    assert idle[-1] is session
    with pytest.raises(ClientError):
        await store.read("RETURN 1 / $zero AS never", zero=0)
    assert session not in idle
    assert session.closed()
    assert await store.read("RETURN 2 AS two") == [{"two": 2}]


@pytest.mark.sample_day  # it loads the sample
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


@pytest.fixture
def jwks_server(tmp_path: Path) -> Iterator[tuple[str, rsa.RSAPrivateKey]]:
    """An identity provider's JWKS endpoint on loopback, publishing one RS256 key."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key()))
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [{**jwk, "kid": "idp-1", "use": "sig", "alg": "RS256"}]}))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json", private_key
    server.shutdown()


async def test_production_verifies_tokens_against_a_jwks_url(
    neo4j_server: embedded.EmbeddedStatus, jwks_server: tuple[str, rsa.RSAPrivateKey], tmp_path: Path
):
    url, private_key = jwks_server
    settings = settings_module.load(production_environment(tmp_path, JWT_JWKS_URL=url))
    now = int(time.time())
    claims = {"sub": "u2", "name": "赵敏", "role": "AUDITOR", "unit": "AUDIT-1", "iat": now, "exp": now + 60}
    signed = jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": "idp-1"})
    app = make_app(settings)
    async with app.router.lifespan_context(app), app_client(app) as client:
        query = {"query": "{ catalog { id } }"}
        response = await client.post("/graphql", json=query, headers={"Authorization": f"Bearer {signed}"})
        assert response.status_code == 200 and "errors" not in response.json()
