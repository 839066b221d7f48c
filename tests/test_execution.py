"""The executor's shortcuts (schema/execution.py) answer exactly as graphql-core's and Strawberry's way does."""

import asyncio
import datetime
import enum
import inspect
import operator
import sys
from collections.abc import AsyncGenerator
from typing import Annotated, Any, Optional

import pytest
import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.types.field import StrawberryField

from schema.execution import ATTRIBUTES, NESTED, Execution, with_shortcuts


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    DARK_BLUE = "dark blue"


@strawberry.type
class Item:
    name: str
    colour: Colour
    day: datetime.date | None
    tags: list[str]
    broken: str  # set to None below: a non-null field with nothing in it

    @strawberry.field
    def upper(self) -> str:
        return self.name.upper()

    @strawberry.field
    def where(self, info: strawberry.Info) -> str:
        return f"{info.path.key} of {info.field_name} ({info.python_name})"

    @strawberry.field
    async def later(self, info: strawberry.Info) -> str:
        return f"{self.name} at {info.path.as_list()}"

    @strawberry.field
    def shouted(self, times: int = 2, colour: Colour | None = None, tag: strawberry.ID | None = None) -> str:
        return f"{self.name.upper() * times} {colour} {tag}"

    @strawberry.field
    def tagged(self, tags: list[str]) -> str:
        return ",".join(tags)

    @strawberry.field
    async def late_failure(self) -> str:
        raise ValueError(f"{self.name} failed late")


@strawberry.type
class Holder:
    item: Item
    maybe_item: Item | None


def item(**changes: Any) -> Item:
    values: dict[str, Any] = {"name": "a", "colour": Colour.DARK_BLUE, "day": datetime.date(2026, 1, 2), "tags": ["x"]}
    return Item(**{"broken": "b", **values, **changes})


@strawberry.type
class Shelf:
    """Lists and objects reached through attributes and resolvers, holding what graphql-core completes its own way."""

    items: list[Item]
    maybe_items: list[Item | None] | None
    first: Item | None
    absent: Item  # set to None below: a non-null object with nothing in it
    sorted_items: tuple[Item, ...] = ()  # not a list: graphql-core walks any iterable

    @strawberry.field
    def picked(self, at: int = 0) -> Item:
        return self.items[at]

    @strawberry.field
    def maybe_picked(self, at: int = 0) -> Item | None:
        return self.items[at]

    @strawberry.field
    def failing(self) -> Item | None:
        raise ValueError("no item here")

    @strawberry.field
    def failing_items(self) -> list[Item] | None:
        raise ValueError("no items here")

    @strawberry.field
    async def awaited(self) -> list[Item]:
        return self.items

    @strawberry.field
    def with_holes(self) -> list[Item] | None:
        return [self.items[0], None, self.items[-1]]  # type: ignore[list-item]  # a null where none may be

    @strawberry.field
    def generated(self) -> list[Item]:
        return iter(self.items)  # type: ignore[return-value]  # an iterator, not a list


def shelf() -> Shelf:
    items = [item(), item(name="b", colour=Colour.RED, day=None), item(broken=None)]
    return Shelf(items=items, maybe_items=[None, items[0]], first=None, absent=None, sorted_items=tuple(items))  # type: ignore[arg-type]


@strawberry.type
class Query:
    @strawberry.field
    def shelves(self) -> list[Shelf]:
        return [shelf(), shelf()]

    @strawberry.field
    def items(self) -> list[Item]:
        return [item(), item(name="b", colour=Colour.RED, day=None)]

    @strawberry.field
    def version(info: strawberry.Info) -> str:  # noqa: N805  # a resolver without self
        return f"1 ({info.field_name})"

    @strawberry.field
    def holders(self) -> list[Holder]:
        return [Holder(item=item(broken=None), maybe_item=item(broken=None)), Holder(item=item(), maybe_item=None)]


async def run(query: str, shortcuts: bool) -> dict[str, Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=Execution if shortcuts else None)
    if shortcuts:
        with_shortcuts(schema)
    result = await schema.execute(query)
    errors = [(error.message, error.path) for error in result.errors or []]
    return {"data": result.data, "errors": errors}


@pytest.mark.parametrize(
    "query",
    [
        "{ items { name colour day tags upper alias: colour where later shouted(times: 3) } version }",
        '{ items { a: shouted b: shouted(colour: DARK_BLUE, tag: 7) c: shouted(colour: null) tagged(tags: ["q"]) } }',
        "{ holders { item { name broken } maybeItem { broken name } } }",
        "{ holders { maybeItem { broken } } }",
        "{ shelves { items { name later } maybeItems { name } first { name } sortedItems { colour } } }",
        "{ shelves { picked(at: 1) { name } second: picked(at: 2) { name broken } failing { name } } }",
        "{ shelves { failingItems { name } awaited { name later } withHoles { name } generated { name } } }",
        "{ shelves { items { broken } } }",
        "{ shelves { maybePicked { name lateFailure } maybeItems { lateFailure } } }",
        "{ shelves { absent { name } } }",
        "{ shelves { first { name } maybeItems { name } } }",
        "{ shelves { items @include(if: true) { name } picked(at: 9) { name } } }",
        "query { shelves { ... on Shelf { items { name } } items { colour } } }",
        "query Picked($at: Int = 2) { shelves { picked(at: $at) { name } again: picked(at: $at) { colour } } }",
    ],
)
async def test_fields_answer_and_fail_through_the_shortcuts_as_graphql_core_answers_them(query: str) -> None:
    assert await run(query, shortcuts=True) == await run(query, shortcuts=False)


def test_only_scalar_and_enum_attributes_take_the_shortcut() -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=Execution)
    with_shortcuts(schema)
    assert set(schema._schema.extensions[ATTRIBUTES]["Item"]) == {"name", "colour", "day", "broken"}
    assert "Holder" not in schema._schema.extensions[ATTRIBUTES]


def test_resolvers_with_scalar_or_enum_arguments_are_called_directly_and_the_others_through_strawberry() -> None:
    schema = strawberry.Schema(query=Query)
    with_shortcuts(schema)
    item_fields = schema._schema.type_map["Item"].fields  # type: ignore[attr-defined]
    query_fields = schema._schema.type_map["Query"].fields  # type: ignore[attr-defined]
    direct = {
        name
        for name, field in {**item_fields, **query_fields}.items()
        if field.resolve is not None and field.resolve.__qualname__.startswith("direct_call.")
    }
    assert direct == {"upper", "where", "later", "lateFailure", "shouted", "version", "items", "holders", "shelves"}


def test_objects_and_lists_of_objects_are_reached_through_attributes_and_lean_resolvers() -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=Execution)
    with_shortcuts(schema)
    nested = schema._schema.extensions[NESTED]
    assert {
        name: (field.resolve is not None, field.item_type is not None) for name, field in nested["Shelf"].items()
    } == {
        "items": (False, True),
        "maybeItems": (False, True),
        "first": (False, False),
        "absent": (False, False),
        "maybePicked": (True, False),
        "sortedItems": (False, True),
        "picked": (True, False),
        "failing": (True, False),
        "failingItems": (True, True),
        "awaited": (True, True),
        "withHoles": (True, True),
        "generated": (True, True),
    }
    assert set(nested["Holder"]) == {"item", "maybeItem"}
    assert "Item" not in nested  # no field of it reaches an object


# What a schema can ask of Strawberry that the shortcuts must leave to it (found by a review attacking them).


class Missing(Exception):
    pass


@strawberry.type
class MissingError:
    message: str


class MissingAnswered(strawberry.ExceptionHandler[Missing, MissingError]):
    def handle(self, exception: Missing, *, field: Any, info: Any) -> MissingError:
        return MissingError(message=str(exception))


class NamedInfo(strawberry.Info):
    @property
    def named(self) -> str:
        return "named info"


class Uppercase(StrawberryField):
    def get_result(self, source: Any, info: Any, args: Any, kwargs: Any) -> Any:
        return str(super().get_result(source, info, args, kwargs)).upper()


class Odd:
    """An object whose attributes hold what a resolver may return: an exception, an awaitable."""

    def __init__(self) -> None:
        self.name = ValueError("boom")
        self.colour = Colour.RED

    @property
    def note(self) -> Any:
        async def note() -> str:
            return "awaited"

        return note()


@strawberry.type
class OddItem:
    name: str
    colour: Colour
    note: str | None = None


@strawberry.type
class Shouting:
    name: str = Uppercase()  # type: ignore[assignment]
    shout: str = Uppercase()(lambda: "abc")  # type: ignore[assignment]


@strawberry.type
class Unusual:
    @strawberry.field
    def thing(self, code: str) -> Item | MissingError:
        raise Missing(f"no {code}")

    @strawberry.field
    def info_kind(self, info: strawberry.Info) -> str:
        return f"{type(info).__name__}: {getattr(info, 'named', 'plain')}"

    @strawberry.field
    def odd(self) -> OddItem:
        return Odd()  # type: ignore[return-value]

    @strawberry.field
    def shouting(self) -> Shouting:
        return Shouting(name="abc")

    @strawberry.field
    def row(self) -> OddItem:
        return {"name": "from a dict", "colour": Colour.RED}  # type: ignore[return-value]


@strawberry.type
class Ticks:
    @strawberry.subscription
    async def ticks(self, upto: int = 2) -> AsyncGenerator[int, None]:
        for tick in range(upto):
            yield tick


async def answered(query: str, shortcuts: bool, **schema: Any) -> dict[str, Any]:
    built = strawberry.Schema(query=Unusual, execution_context_class=Execution if shortcuts else None, **schema)
    if shortcuts:
        with_shortcuts(built)
    result = await built.execute(query)
    return {"data": result.data, "errors": [(error.message, error.path) for error in result.errors or []]}


@pytest.mark.parametrize(
    ("query", "schema"),
    [
        (
            '{ thing(code: "a") { __typename ... on MissingError { message } } }',
            {"exception_handlers": [MissingAnswered()]},
        ),
        ("{ infoKind }", {"config": StrawberryConfig(info_class=NamedInfo)}),
        ("{ odd { colour name } }", {}),
        ("{ odd { note } }", {}),
        ("{ shouting { name shout } }", {}),
        ("{ row { name colour } }", {"config": StrawberryConfig(default_resolver=operator.getitem)}),
    ],
)
async def test_what_strawberry_is_asked_to_do_otherwise_is_done_as_it_does(query: str, schema: dict[str, Any]) -> None:
    assert await answered(query, True, **schema) == await answered(query, False, **schema)


async def test_a_subscription_sends_its_events_through_the_shortcuts_as_without_them() -> None:
    async def events(shortcuts: bool) -> list[Any]:
        built = strawberry.Schema(
            query=Unusual, subscription=Ticks, execution_context_class=Execution if shortcuts else None
        )
        if shortcuts:
            with_shortcuts(built)
        subscription = await built.subscribe("subscription { ticks(upto: 2) }")
        return [(event.data, event.errors) async for event in subscription]

    assert await events(True) == await events(False) == [({"ticks": 0}, None), ({"ticks": 1}, None)]


# Found by the review of the nested steps (branch review-nested).

SETTLED: list[str] = []
"""What the awaitable items of a list did: graphql-core settles them even when the list fails."""


async def settled_item(name: str) -> Item:
    SETTLED.append(name)
    return item(name=name)


@strawberry.type
class Review:
    @strawberry.field
    def spoiled(self) -> list[Item]:
        """A non-null item failing before an awaitable item: graphql-core drains the list and settles it."""
        return [item(broken=None), settled_item("after the failure")]  # type: ignore[list-item]

    @strawberry.field
    async def streamed(self) -> list[Item]:  # type: ignore[misc]  # an async generator typed as the field's list
        """An async generator: Strawberry calls it from a coroutine, which a synchronous execution cannot await."""
        yield item()

    @strawberry.field
    def quoted(self, source: str = "a book") -> str:
        """An argument named as the lean resolver's first parameter: graphql-core passes it by keyword."""
        return f"from {source}"

    @strawberry.field
    def sourced(self, source: str = "a shelf") -> Item:
        return item(name=source)

    @strawberry.field
    def named_info(self, given: Annotated[int, strawberry.argument(name="info")] = 1) -> str | None:
        """Arguments named as the parameters of Strawberry's wrappers: it fails them (got multiple values)."""
        return f"{given}"

    @strawberry.field
    def underscored(self, _source: int = 1) -> str | None:
        return f"{_source}"


@strawberry.type
class Link:
    @strawberry.field
    def next(self) -> Optional["Link"]:
        return Link()


@strawberry.type
class Chain:
    @strawberry.field
    def link(self) -> Link:
        return Link()


async def reviewed(query: str, shortcuts: bool, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    SETTLED.clear()
    built = strawberry.Schema(query=Review, execution_context_class=Execution if shortcuts else None)
    if shortcuts:
        with_shortcuts(built)
    result = await built.execute(query, variable_values=variables)
    for _ in range(3):  # let what is settled in the background run
        await asyncio.sleep(0)
    errors = [(error.message, error.path) for error in result.errors or []]
    return {"data": result.data, "errors": errors, "settled": sorted(SETTLED)}


@pytest.mark.parametrize(
    "query",
    [
        "{ spoiled { broken } }",  # the first item fails: the awaitable item after it is settled all the same
        '{ quoted sourced { name } again: quoted(source: "a paper") }',  # an argument named `source`
        "{ namedInfo underscored }",  # arguments named `info` and `_source`
    ],
)
async def test_the_review_of_the_nested_steps_finds_them_answering_as_graphql_core(query: str) -> None:
    assert await reviewed(query, shortcuts=True) == await reviewed(query, shortcuts=False)


def test_a_synchronous_execution_fails_an_async_generator_resolver_as_strawberry_does() -> None:
    def answered_now(shortcuts: bool) -> dict[str, Any]:
        built = strawberry.Schema(query=Review, execution_context_class=Execution if shortcuts else None)
        if shortcuts:
            with_shortcuts(built)
        result = built.execute_sync("{ streamed { name } }")
        return {"data": result.data, "errors": [(error.message, error.path) for error in result.errors or []]}

    assert answered_now(shortcuts=True) == answered_now(shortcuts=False)


@pytest.mark.xfail(
    strict=True,
    reason="the shortcuts take fewer frames a level: a query deep enough for graphql-core to exceed the recursion "
    "limit (a field error) is answered; schema/limits.py's MAX_DEPTH (12) refuses such a query before it runs",
)
def test_a_query_deep_enough_to_exceed_the_recursion_limit_fails_as_through_graphql_core() -> None:
    def answered_now(shortcuts: bool, query: str) -> dict[str, Any]:
        built = strawberry.Schema(query=Chain, execution_context_class=Execution if shortcuts else None)
        if shortcuts:
            with_shortcuts(built)
        result = built.execute_sync(query)
        return {"data": result.data, "errors": [(error.message, error.path) for error in result.errors or []]}

    query = "{ link { " + "next { " * 30 + "__typename" + " }" * 30 + " } }"
    depth, limit = len(inspect.stack()), sys.getrecursionlimit()
    try:
        for frames in range(100, 600, 10):  # whatever frames a level takes, some limit falls between the two ways
            sys.setrecursionlimit(depth + frames)
            assert answered_now(True, query) == answered_now(False, query), frames
    finally:
        sys.setrecursionlimit(limit)
