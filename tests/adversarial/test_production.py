"""Production-safe by default: no development shortcuts unless asked for, tokens checked the way the platform says."""

import asyncio
import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from typer.testing import CliRunner

from authz.principal import development_secret, issue_token
from graph_store import embedded
from server import settings as settings_module
from server.cli import app as cli

from ..conftest import make_app
from ..test_server import app_client, production_environment

QUERY = {"query": "{ catalog { id } }"}


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": "u-1",
        "name": "王芳",
        "role": "AUDITOR",
        "unit": "AUDIT-1",
        "iat": now,
        "exp": now + 600,
    } | overrides


def test_an_unset_environment_is_production():
    without = {name: value for name, value in os.environ.items() if name != "CREDIT_GRAPH_ENV"}
    assert settings_module.load(without).development is False
    assert settings_module.load(without | {"CREDIT_GRAPH_ENV": "staging"}).development is False


def test_production_refuses_to_start_without_rs256_keys_or_its_secret(tmp_path: Path):
    with pytest.raises(SystemExit, match="JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL"):
        make_app(settings_module.load(production_environment(tmp_path)))
    without_secret = production_environment(tmp_path, JWT_JWKS_URL="https://idp.example/jwks")
    del without_secret["CREDIT_GRAPH_SECRET_FILE"]
    with pytest.raises(SystemExit, match="CREDIT_GRAPH_SECRET_FILE"):
        make_app(settings_module.load(without_secret))


def test_the_cli_issues_no_token_in_production(tmp_path: Path):
    result = CliRunner().invoke(
        cli,
        ["token", "--role", "ADMIN", "--name", "王芳"],
        env={**production_environment(tmp_path), "CREDIT_GRAPH_ENV": None},
    )
    assert result.exit_code != 0 and "only in development" in result.output


@pytest.mark.parametrize("role", ["AGENCY", "PROVIDER", "CREDIT_SERVICE", "SUBJECT", "ADMIN", "AUDITOR"])
async def test_every_token_must_name_its_person(client: httpx.AsyncClient, role: str):
    unnamed = {key: value for key, value in claims(role=role, unit="914301023210987656").items() if key != "name"}
    secret = development_secret(settings_module.load().data_dir)
    for token in (issue_token(unnamed, secret), issue_token({**unnamed, "name": "  "}, secret)):
        response = await client.post("/graphql", json=QUERY, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401 and "name" in response.json()["errors"][0]["message"]


async def test_issuer_and_audience_are_checked_when_configured(neo4j_server: embedded.EmbeddedStatus):
    settings = settings_module.load(
        {**os.environ, "JWT_ISSUER": "https://idp.hunan.example", "JWT_AUDIENCE": "credit-graph"}
    )
    secret = development_secret(settings.data_dir)
    right = {"iss": "https://idp.hunan.example", "aud": "credit-graph"}
    app = make_app(settings)
    async with app.router.lifespan_context(app), app_client(app) as http:
        for wrong in ({}, {**right, "iss": "https://elsewhere.example"}, {**right, "aud": "another-api"}):
            token = issue_token(claims(**wrong), secret)
            refused = await http.post("/graphql", json=QUERY, headers={"Authorization": f"Bearer {token}"})
            assert refused.status_code == 401, wrong
        token = issue_token(claims(**right), secret)
        accepted = await http.post("/graphql", json=QUERY, headers={"Authorization": f"Bearer {token}"})
        assert accepted.status_code == 200 and "errors" not in accepted.json()


class IdentityProvider:
    """A JWKS endpoint on loopback whose keys and speed the test changes while the API runs."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        self.published = [{**public, "kid": "idp-1", "use": "sig", "alg": "RS256"}]
        self.delay = 0.0
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                time.sleep(provider.delay)
                body = json.dumps({"keys": provider.published}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"

    def token(self) -> str:
        return jwt.encode(claims(), self.key, algorithm="RS256", headers={"kid": "idp-1"})


@pytest.fixture
def identity_provider() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    yield provider
    provider.server.shutdown()


async def test_a_key_taken_out_of_the_jwks_is_refused_within_the_refresh_period(
    neo4j_server: embedded.EmbeddedStatus, identity_provider: IdentityProvider, tmp_path: Path
):
    refresh = 1.0
    environment = production_environment(tmp_path, JWT_JWKS_URL=identity_provider.url, JWT_JWKS_REFRESH=str(refresh))
    app = make_app(settings_module.load(environment))
    bearer = {"Authorization": f"Bearer {identity_provider.token()}"}
    async with app.router.lifespan_context(app), app_client(app) as http:
        assert (await http.post("/graphql", json=QUERY, headers=bearer)).status_code == 200
        identity_provider.published = []  # the identity provider withdraws its key
        await asyncio.sleep(refresh + 0.2)
        refused = await http.post("/graphql", json=QUERY, headers=bearer)
        assert refused.status_code == 401 and "withdrawn" in refused.json()["errors"][0]["message"]


async def test_fetching_the_jwks_does_not_hold_up_other_requests(
    neo4j_server: embedded.EmbeddedStatus, identity_provider: IdentityProvider, tmp_path: Path
):
    identity_provider.delay = 1.5  # a slow identity provider
    app = make_app(settings_module.load(production_environment(tmp_path, JWT_JWKS_URL=identity_provider.url)))
    bearer = {"Authorization": f"Bearer {identity_provider.token()}"}
    async with app.router.lifespan_context(app), app_client(app) as http:
        signed_in = asyncio.create_task(http.post("/graphql", json=QUERY, headers=bearer))
        longest_wait, last = 0.0, time.perf_counter()
        while not signed_in.done():  # how long the event loop went without serving anything else
            await asyncio.sleep(0.01)
            longest_wait, last = max(longest_wait, time.perf_counter() - last), time.perf_counter()
        assert (await signed_in).status_code == 200
    assert longest_wait < 0.5, f"the event loop stood still for {longest_wait:.2f} s while the JWKS was fetched"
