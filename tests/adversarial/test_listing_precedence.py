"""A compiled predicate keeps its precedence wherever it is pasted: the public list shows standing listings only."""

import httpx

from graph_store.connection import Store
from graph_store.predicate import Predicate

from ..conftest import RESTAURANT, ask, headers
from ..test_measures_and_listings import AGENCY, PUBLIC_LIST, REMOVE, listed


def test_a_predicate_is_pasted_parenthesized():
    assert Predicate("a OR b").text == "(a OR b)"


async def test_a_listed_subject_does_not_see_its_removed_listing_on_the_public_list(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    listing = await listed(client)
    removal = {"listingId": listing["id"], "reason": "已履行法定义务"}
    assert "errors" not in await ask(client, REMOVE, AGENCY, input=removal)

    for viewer in (headers("SUBJECT", RESTAURANT), AGENCY, headers("ADMIN", "ADMIN-1"), headers()):
        body = await ask(client, PUBLIC_LIST, viewer)
        assert body["data"]["seriousDishonestyList"] == {"totalCount": 0, "edges": []}, viewer
