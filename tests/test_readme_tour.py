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

from .conftest import ROOT, headers


def tour() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## A short tour")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


SIGNED = re.compile(r"# (?P<role>[A-Z_]+) (?P<unit>\S+?)(?:, X-Query-Purpose: (?P<purpose>[A-Z_]+))?:")
"""The first line of a block a signed-in party sends: its role, its unit and the purpose it declares."""


def signed_documents() -> list[tuple[dict[str, str | None], str]]:
    """The tour's blocks sent by a signed-in party, in order, each with who sends it."""
    blocks = re.findall(r"```graphql\n(.*?)```", tour(), flags=re.DOTALL)
    return [(found.groupdict(), block) for block in blocks if (found := SIGNED.match(block))]


def tour_documents() -> list[str]:
    """The tour's GraphQL documents sent anonymously: its other graphql blocks and the query of each curl command."""
    text = tour()
    documents = [
        block for block in re.findall(r"```graphql\n(.*?)```", text, flags=re.DOTALL) if not SIGNED.match(block)
    ]
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


async def test_the_tours_defence_and_listing_run_in_order_as_written(demo_store: Store, client: httpx.AsyncClient):
    """The notice, the subject's statement and waiver on it, then the listing showing the statement: each block sent
    by the party its first line names, with the notice's id in place of NOTICE_ID."""
    steps = signed_documents()
    assert [who["role"] for who, _ in steps] == ["AGENCY", "SUBJECT", "AGENCY"]
    notice_id, answers = "", []
    for who, document in steps:
        response = await client.post(
            "/graphql",
            json={"query": document.replace("NOTICE_ID", notice_id)},
            headers=headers(who["role"], who["unit"], who["purpose"]),
        )
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        assert not [name for name, answer in body["data"].items() if shows_nothing(answer)], body
        answers.append(body["data"])
        notice_id = notice_id or body["data"]["serveNotice"]["notice"]["id"]
    [statement] = re.findall(r'submitStatement\(input: \{targetId: "NOTICE_ID", text: "(.*?)"', steps[1][1])
    assert answers[-1]["listSeriousDishonesty"]["listing"]["statements"] == [{"text": statement}]
