"""Fixtures of the adversarial suite: the sample loaded afresh, so each attack starts from the same graph."""

import pytest

from graph_store.connection import Store

from ..conftest import load, sample_objects, wipe


@pytest.fixture
async def sample(store: Store) -> Store:
    """The example file, loaded afresh for a test that changes the graph."""
    await wipe(store)
    await load(store, sample_objects())
    return store
