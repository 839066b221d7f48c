"""The Oso policy (policy.polar), loaded once, and the questions the rest of the code asks it."""

import datetime
from functools import cache
from pathlib import Path

from oso import Oso

from graph_store.predicate import Predicate

from .cypher_filter import CypherAdapter, Fetch, FilterQuery
from .resources import FIELDS, Viewer

POLICY_FILE = Path(__file__).resolve().parent.parent / "policy.polar"


def load_policy(fetch: Fetch | None = None) -> Oso:
    """An Oso with our classes and policy; `fetch` lets it look up relations when checking single objects."""
    oso = Oso()
    oso.register_class(Viewer)
    oso.register_class(datetime.date, name="Date")
    oso.register_class(datetime.datetime, name="DateTime")
    for cls, fields in FIELDS.items():
        oso.register_class(cls, fields=fields)
    oso.set_data_filtering_adapter(CypherAdapter(fetch))
    oso.load_files([str(POLICY_FILE)])
    return oso


@cache
def read_policy() -> Oso:
    """The policy for compiling read filters; it never fetches."""
    return load_policy()


def allowed(viewer: Viewer, action: str, resource_type: type) -> Predicate:
    """The Cypher predicate that holds exactly for the nodes of `resource_type` the viewer may `action`."""
    query: FilterQuery = read_policy().authorized_query(viewer, action, resource_type)
    return query.predicate


def is_allowed(viewer: Viewer, action: str, resource: object) -> bool:
    """A single decision, for things that are not lists: a mutation, a whole log."""
    return bool(read_policy().is_allowed(viewer, action, resource))
