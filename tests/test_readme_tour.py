"""The README's short tour runs as written against the demo data `make run` loads.

Each ```graphql block and each curl command of the tour is sent as it stands, anonymously, to the app over the first
subjects `credit-graph seed` makes (the seed is a stream: the demo data of any size starts with these). Every answer
must be free of errors and show something: a tour whose examples answer nothing teaches nothing.
"""

import json
import re
import shlex
from typing import Any

import httpx
import pytest

from graph_store.connection import Store

from .conftest import ROOT


def tour() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## A short tour")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def tour_documents() -> list[str]:
    """The tour's GraphQL documents: its graphql blocks and the query of each curl command."""
    text = tour()
    documents = re.findall(r"```graphql\n(.*?)```", text, flags=re.DOTALL)
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        words = shlex.split(block.replace("\\\n", " "))
        documents += [json.loads(words[i + 1])["query"] for i, word in enumerate(words) if word in ("-d", "--data")]
    return documents


def shows_nothing(answer: Any) -> bool:
    """A root field's answer that shows nothing: null, an empty list, a connection without edges."""
    return answer is None or answer == [] or (isinstance(answer, dict) and answer.get("edges") == [])


def test_the_tour_has_its_examples():
    assert len(tour_documents()) >= 3


@pytest.mark.parametrize("document", tour_documents(), ids=lambda document: " ".join(document.split())[:60])
async def test_tour_example_answers_something_on_the_demo_data(
    demo_store: Store, client: httpx.AsyncClient, document: str
):
    response = await client.post("/graphql", json={"query": document})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert not [name for name, answer in body["data"].items() if shows_nothing(answer)], body
