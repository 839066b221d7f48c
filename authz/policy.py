"""The Oso policy (policy.polar), loaded once, and the questions the rest of the code asks it."""

import datetime
import re
from collections.abc import Hashable
from functools import cache, lru_cache
from pathlib import Path

from oso import Oso

from graph_store.predicate import NOTHING, Predicate

from .cypher_filter import MEMBERS, CypherAdapter, Fetch, FilterQuery
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


# Stand-ins for a viewer's values while compiling: the policy only compares them with the resource's
# fields, so they come out as parameters, and one compiled predicate serves every viewer of the same shape.
UNIT = "\x00unit"
PURPOSE = "\x00purpose"
CATEGORIES = (MEMBERS,)
TODAY = datetime.date(1, 1, 1)
NOW = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


def stand_in(role: str | None, has_unit: bool, has_purpose: bool) -> Viewer:
    """A viewer of this shape, its values stand-ins."""
    return Viewer(
        role=role,
        unit=UNIT if has_unit else None,
        purpose=PURPOSE if has_purpose else None,
        today=TODAY,
        now=NOW,
        categories=CATEGORIES if has_purpose else (),
    )


@lru_cache(maxsize=512)
def compiled(action: str, resource_type: type, role: str | None, has_unit: bool, has_purpose: bool) -> Predicate:
    """Oso data filtering takes milliseconds; it varies only with the shape of the viewer (role, unit, purpose)."""
    viewer = stand_in(role, has_unit, has_purpose)
    query: FilterQuery = read_policy().authorized_query(viewer, action, resource_type)
    return namespaced(query.predicate, action)


def namespaced(predicate: Predicate, action: str) -> Predicate:
    """The predicate with its parameters named after the action too: a query that takes several predicates on the
    same type (who may read a record, who may know the people it names) gets one value per name."""
    rename = {name: f"{name}_{action}" for name in predicate.params}
    condition = re.sub(
        r"\$(\w+)\b", lambda found: "$" + rename.get(found.group(1), found.group(1)), predicate.condition
    )
    return Predicate(condition, {rename[name]: value for name, value in predicate.params.items()})


def allowed(viewer: Viewer, action: str, resource_type: type) -> Predicate:
    """The Cypher predicate that holds exactly for the nodes of `resource_type` the viewer may `action`."""
    template, stand_ins = with_stand_ins(
        action, resource_type, viewer.role, viewer.unit is not None, viewer.purpose is not None
    )
    if not stand_ins:
        return template
    actual = {
        UNIT: viewer.unit, PURPOSE: viewer.purpose, MEMBERS: list(viewer.categories), TODAY: viewer.today,
        NOW: viewer.now,
    }  # fmt: skip
    return Predicate(template.condition, template.params | {name: actual[value] for name, value in stand_ins})


STAND_INS = frozenset({UNIT, PURPOSE, MEMBERS, TODAY, NOW})


@lru_cache(maxsize=512)
def with_stand_ins(
    action: str, resource_type: type, role: str | None, has_unit: bool, has_purpose: bool
) -> tuple[Predicate, tuple[tuple[str, Hashable], ...]]:
    """The compiled predicate, and which of its parameters stand in for the viewer's values: found once, not on
    every request (a read filter asks for ten predicates, and checking each value was most of their cost)."""
    template = compiled(action, resource_type, role, has_unit, has_purpose)
    stand_ins = tuple(
        (name, value) for name, value in template.params.items() if isinstance(value, Hashable) and value in STAND_INS
    )
    return template, stand_ins


def is_allowed(viewer: Viewer, action: str, resource: object) -> bool:
    """A single decision, for things that are not lists: a mutation, a whole log."""
    if isinstance(resource, str):
        return allowed_on_kind(action, resource, viewer.role, viewer.unit is not None, viewer.purpose is not None)
    return bool(read_policy().is_allowed(viewer, action, resource))


@lru_cache(maxsize=512)
def allowed_on_kind(action: str, kind: str, role: str | None, has_unit: bool, has_purpose: bool) -> bool:
    """Decisions on a whole kind of thing ("RELATIONS", "ACCESS_LOG") speak only of the viewer's role and whether
    it has a unit and a purpose, so they are made once per shape, like the compiled filters (a Polar query costs
    about a millisecond). A rule that compared the stand-ins' values would deny, never allow."""
    return bool(read_policy().is_allowed(stand_in(role, has_unit, has_purpose), action, kind))


def allowed_at_all(viewer: Viewer, action: str, resource: type | str) -> bool:
    """Whether the policy lets the viewer `action` anything of a kind, asked as the resolvers ask it, at the level of
    the viewer's role, unit and purpose: for a whole kind ("RELATIONS", "ACCESS_LOG") the decision itself; for a type
    of object (a record to correct, a listing to remove), whether the filter the policy compiles to for it can hold
    for any object at all, that is whether one of the action's rules is open to this viewer. Which objects it holds
    for is still decided object by object when the viewer acts."""
    has_unit, has_purpose = viewer.unit is not None, viewer.purpose is not None
    if isinstance(resource, str):
        return allowed_on_kind(action, resource, viewer.role, has_unit, has_purpose)
    return compiled(action, resource, viewer.role, has_unit, has_purpose).condition != NOTHING.condition
