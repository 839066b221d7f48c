"""With TRUSTED_DOCUMENTS, only the front ends' own documents run: by documentId or as their exact text."""

import hashlib
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from graph_store.connection import Store
from server import settings as settings_module

from ..conftest import make_app
from ..test_server import app_client

CATALOG = "query Catalog { catalog { id } }"
PROVIDER = 'query Provider { provider(code: "11430000006147849R") { name } }'


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def manifest(tmp_path: Path, documents: dict[str, str]) -> Path:
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps(documents))
    return path


@pytest.fixture(scope="module")
async def trusted_app(store: Store, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Starlette]:
    path = manifest(
        tmp_path_factory.mktemp("manifest"), {f"sha256:{sha256(CATALOG)}": CATALOG, sha256(PROVIDER): PROVIDER}
    )
    app = make_app(settings_module.load(dict(os.environ) | {"TRUSTED_DOCUMENTS": str(path)}))
    async with app.router.lifespan_context(app):
        yield app


async def test_a_trusted_document_runs_by_its_id_over_post_and_get(trusted_app: Starlette):
    async with app_client(trusted_app) as client:
        posted = await client.post("/graphql", json={"documentId": f"sha256:{sha256(CATALOG)}"})
        got = await client.get("/graphql", params={"documentId": f"sha256:{sha256(CATALOG)}"})
        bare = await client.post("/graphql", json={"documentId": sha256(PROVIDER)})
    assert posted.status_code == got.status_code == 200
    assert posted.json()["data"]["catalog"] and got.json()["data"]["catalog"]
    assert "errors" not in bare.json(), bare.text


async def test_the_full_text_of_a_trusted_document_runs(trusted_app: Starlette):
    async with app_client(trusted_app) as client:
        response = await client.post("/graphql", json={"query": CATALOG})
    assert response.json()["data"]["catalog"]


@pytest.mark.parametrize(
    "query", ["{ catalog { id } }", CATALOG + " ", "query Catalog { catalog { id name } }", "{ __typename }"]
)
async def test_any_other_document_is_refused_before_it_is_parsed(trusted_app: Starlette, query: str):
    async with app_client(trusted_app) as client:
        response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "only trusted documents" in error["message"]


async def test_an_unknown_document_id_says_to_deploy_the_manifest(trusted_app: Starlette):
    async with app_client(trusted_app) as client:
        response = await client.post("/graphql", json={"documentId": "sha256:" + "0" * 64})
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_manifest_whose_keys_are_not_their_documents_hashes_stops_the_server(tmp_path: Path):
    path = manifest(tmp_path, {sha256(CATALOG): PROVIDER})
    with pytest.raises(SystemExit, match="not the sha256 of their document"):
        make_app(settings_module.load(dict(os.environ) | {"TRUSTED_DOCUMENTS": str(path)}))


async def test_without_a_manifest_any_document_runs(client: httpx.AsyncClient):
    assert (await client.post("/graphql", json={"query": "{ catalog { id name } }"})).json()["data"]["catalog"]
