"""How fields are resolved: graphql-core's executor, without its per-field machinery where a field needs none.

A page resolves about a thousand fields, and graphql-core with Strawberry's wrappers spent some 3.5 µs on each
whatever its resolver, half of a page's CPU (docs/performance.md). The shortcuts, each answering exactly what
the long way answers (tests/test_execution.py):
- most fields are a scalar or an enum the object already holds (`CreditRecord.title`, `Subject.kind`): such a
  field is the attribute, coerced by its type, read in the loop over its object's fields, with the same errors
  where it is null (`Execution.execute_fields`);
- a field that reaches an object or a list of objects (`SubjectEdge.node`, `CreditRecord.documents`) is read
  and its objects go straight to their fields, their selection collected once for all of them
  (`Execution.nested_value`); an object reached otherwise goes straight to its fields too
  (`Execution.complete_value`);
- what a selection asks of a type is worked out once per request, for every object of it (`Execution.steps`);
- a resolver whose arguments are scalars or enums (`CreditRecord.provider`, `Subject.records(first: 10)`) is
  called as it is, not through Strawberry's wrapper that converts arguments and chains field extensions it does
  not have (`lean_resolvers`).
"""

import inspect
from collections.abc import Awaitable, Callable, Iterator, Mapping
from types import CoroutineType
from typing import Any, NamedTuple, TypeVar, cast

import strawberry
from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import collect_iterator_awaitables, to_nodes
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType, GraphQLCoreConverter
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.field import StrawberryField
from strawberry.types.fields.resolver import StrawberryResolver
from strawberry.types.info import Info

ATTRIBUTES = "credit_graph_attributes"
"""Where the schema keeps its table of fields that read an attribute (`GraphQLSchema.extensions`)."""
NESTED = "credit_graph_nested"
"""Where the schema keeps its table of fields that reach objects (`nested_fields`)."""
PLAIN = frozenset({str, int, float, bool})
"""Classes of values that are neither awaitable nor an exception: no test needed."""


class Attribute(NamedTuple):
    """A field answered by reading `name` from its object."""

    name: str
    field_type: GraphQLOutputType
    leaf: GraphQLLeafType
    enum: type | None
    names: Mapping[Any, str]
    """For an enum, each member's name in the schema: Strawberry's enum type finds it by a walk of its values."""
    same: type | None
    """The class of values the leaf type answers as they are (`str` for String and ID, `bool` for Boolean)."""


class Nested(NamedTuple):
    """A field whose value is an object, or a list of objects, of a type that needs no check (no `is_type_of`):
    a basic field's attribute, or what a lean resolver returns."""

    name: str
    field: GraphQLField
    object_type: GraphQLObjectType
    item_type: GraphQLOutputType | None
    """For a list, the type of its items (the object type, or it non-null); None for an object."""
    resolve: Callable[..., Any] | None
    """The lean resolver (`direct_call`), or None for a basic field: the attribute `name` is its value."""


class Step(NamedTuple):
    """One field of a selection on an object type, as `Execution.execute_fields` answers it."""

    response_name: str
    field_details_list: FieldDetailsList
    attribute: Attribute | None
    """How the field reads an attribute, or None."""
    nested: Nested | None
    """How the field reaches its object or objects, or None: with no attribute either, graphql-core executes it."""
    selection: GroupedFieldSet | None
    """A nested field's selection on its object type, collected once for every object it reaches."""
    arguments: dict[str, Any]
    """A lean resolver's arguments, coerced once: the variables are the request's, whichever object it is on."""


WRAPPER_PARAMETERS = frozenset({"_source", "info"})
"""The parameters of Strawberry's resolver wrappers besides their keyword arguments (`_resolver`,
`extension_resolver`, `wrapped_get_result`): an argument of the same name fails there."""

SAME: dict[GraphQLLeafType, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}
"""graphql-core's scalars that answer a value of this class unchanged (`serialize_string`, `serialize_id`,
`serialize_boolean`); Strawberry's schema holds these very objects."""


def strawberry_fields(schema: GraphQLSchema) -> Iterator[tuple[GraphQLObjectType, str, GraphQLField, StrawberryField]]:
    """Each field of the schema's object types (introspection's left out) with the Strawberry field it was made
    from: what both shortcuts are decided from."""
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if isinstance(definition, StrawberryField):
                yield graphql_type, field_name, field, definition


def attributes(schema: GraphQLSchema, default_resolver: Any) -> dict[str, dict[str, Attribute]]:
    """Each object type's fields that read an attribute: Strawberry's basic fields (no resolver, no extension)
    of a scalar or an enum, not a list."""
    found: dict[str, dict[str, Attribute]] = {}
    if default_resolver is not getattr:  # StrawberryConfig(default_resolver=...): the long way reads otherwise
        return found
    for graphql_type, field_name, field, definition in strawberry_fields(schema):
        leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if not definition.is_basic_field or not is_leaf_type(leaf):
            continue
        if type(definition).get_result is not StrawberryField.get_result:  # a subclass answers its own way
            continue
        enum, names = (leaf.wrapped_cls, enum_names(leaf)) if isinstance(leaf, CustomGraphQLEnumType) else (None, {})
        found.setdefault(graphql_type.name, {})[field_name] = Attribute(
            definition.python_name, field.type, leaf, enum, names, SAME.get(leaf)
        )
    return found


def enum_names(enum: CustomGraphQLEnumType) -> dict[Any, str]:
    members: list[Any] = list(enum.wrapped_cls)
    values = enum.values.items()
    return {member: name for member in members for name, value in values if member.value == value.value}


def nested_fields(schema: strawberry.Schema) -> dict[str, dict[str, Nested]]:
    """Each object type's fields that reach an object or a list of objects (of a type with no `is_type_of`)
    through a basic field or a lean resolver (run `lean_resolvers` first); none that an exception handler
    answers for."""
    found: dict[str, dict[str, Nested]] = {}
    default_resolver = schema.config.default_resolver
    for graphql_type, field_name, field, definition in strawberry_fields(schema._schema):
        if schema.schema_converter._get_field_exception_handlers(definition):
            continue
        field_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        item_type = field_type.of_type if isinstance(field_type, GraphQLList) else None
        reached = item_type if item_type is not None else field_type
        object_type = reached.of_type if isinstance(reached, GraphQLNonNull) else reached
        if not isinstance(object_type, GraphQLObjectType) or object_type.is_type_of is not None:
            continue
        if getattr(field.resolve, "__qualname__", "").startswith(direct_call.__qualname__):
            resolve = field.resolve
        elif definition.is_basic_field and default_resolver is getattr:
            if type(definition).get_result is not StrawberryField.get_result:  # a subclass answers its own way
                continue
            resolve = None
        else:
            continue
        found.setdefault(graphql_type.name, {})[field_name] = Nested(
            definition.python_name, field, object_type, item_type, resolve
        )
    return found


def with_shortcuts(schema: strawberry.Schema) -> None:
    """Prepares a built schema for `Execution`: its tables of attribute and nested fields, and lean resolvers (in
    place, once, when the schema is built)."""
    schema._schema.extensions[ATTRIBUTES] = attributes(schema._schema, schema.config.default_resolver)
    lean_resolvers(schema)
    schema._schema.extensions[NESTED] = nested_fields(schema)


class Execution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context: a field that reads an attribute is answered in the loop over its object's
    fields, and objects go straight to their fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plans: dict[int, tuple[GroupedFieldSet, list[Step]]] = {}
        """Each selection's steps, by the identity of its grouped field set, kept alive with it so that the
        identity is not reused: graphql-core collects a list's items' fields once, so a page's 250 records share
        one."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        """graphql-core's loop over an object's fields, answering attribute fields in place: no resolve info, no
        path (unless one fails), no resolver, no walk of the type; a string or an enum member, the usual attribute,
        is answered without a call. The other fields, and the gathering of those that answer later, are as
        graphql-core does them."""
        steps = self.steps(parent_type, grouped_field_set) if position_context is None else None
        if steps is None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        later: list[str] = []
        try:
            for response_name, field_details_list, attribute, nested, selection, arguments in steps:
                if attribute is not None:
                    try:
                        value = getattr(source_value, attribute.name)
                    except Exception as error:  # as a resolver's exception: a field error
                        value = error
                    if value.__class__ is attribute.same:
                        results[response_name] = value
                        continue
                    if value.__class__ is attribute.enum and value in attribute.names:
                        results[response_name] = attribute.names[value]
                        continue
                    result = self.attribute_value(
                        attribute, value, parent_type, field_details_list, path, response_name, position_context
                    )
                    results[response_name] = result
                    if result.__class__ is CoroutineType:  # an awaitable in the attribute, completed the long way
                        later.append(response_name)
                    continue
                field_path = Path(path, response_name, parent_type.name)
                if nested is not None:
                    result = self.nested_value(
                        nested, selection, arguments, parent_type, source_value, field_details_list, field_path
                    )
                else:
                    result = self.execute_field(
                        parent_type, source_value, field_details_list, field_path, position_context
                    )
                    if result is Undefined:
                        continue
                results[response_name] = result
                if self.is_awaitable(result):
                    later.append(response_name)
        except Exception:
            if later:  # settle what the other fields started: they may fail too
                self.settle_in_background([results[name] for name in later])
            raise
        return gathered(results, later) if later else results

    def steps(self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet) -> list[Step] | None:
        """The selection's steps, or None where graphql-core executes it all: a type with no attribute or nested
        field, or middleware, which every field must go through."""
        planned = self.plans.get(id(grouped_field_set))
        if planned is not None:
            return planned[1]
        attributes = self.schema.extensions.get(ATTRIBUTES, {}).get(parent_type.name, {})
        nested = self.schema.extensions.get(NESTED, {}).get(parent_type.name, {})
        if not (attributes or nested) or (self.middleware_manager and self.middleware_manager.middlewares):
            return None
        steps = [
            self.step(response_name, field_details_list, attributes, nested)
            for response_name, field_details_list in grouped_field_set.items()
        ]
        self.plans[id(grouped_field_set)] = (grouped_field_set, steps)
        return steps

    def step(
        self,
        response_name: str,
        field_details_list: FieldDetailsList,
        attributes: Mapping[str, Attribute],
        nested_fields: Mapping[str, Nested],
    ) -> Step:
        """How one field is answered. A nested field goes the long way if a directive is left on it (@stream,
        @defer), if its selection defers, or if its arguments do not coerce (graphql-core then fails it on
        every object, as it does)."""
        first = field_details_list[0]
        field_name = first.node.name.value
        nested = nested_fields.get(field_name)
        if nested is None or any(details.node.directives for details in field_details_list):
            return Step(response_name, field_details_list, attributes.get(field_name), None, None, {})
        collected = self.collect_subfields(nested.object_type, field_details_list)
        if collected.new_defer_usages:
            return Step(response_name, field_details_list, None, None, None, {})
        arguments: dict[str, Any] = {}
        if nested.resolve is not None and (nested.field.args or first.node.arguments):
            try:
                arguments = get_argument_values(
                    nested.field,
                    first.node,
                    self.variable_values,
                    first.fragment_variable_values,
                    self.hide_suggestions,
                )
            except Exception:
                return Step(response_name, field_details_list, None, None, None, {})
        return Step(response_name, field_details_list, None, nested, collected.grouped_field_set, arguments)

    def nested_value(
        self,
        nested: Nested,
        selection: GroupedFieldSet | None,
        arguments: dict[str, Any],
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        """graphql-core's `execute_field` for a nested field: its value, from the attribute or the lean resolver
        (with its resolve info), completed at once when it is an object or a list of objects; anything else
        (null, an exception, an awaitable, another iterable) is completed by graphql-core."""
        info = None
        try:
            if nested.resolve is None:
                value = getattr(source, nested.name)
            else:
                info = self.build_resolve_info(nested.field, to_nodes(field_details_list), parent_type, path)
                value = nested.resolve(source, info, **arguments)
            if self.is_awaitable(value):
                info = info or self.build_resolve_info(nested.field, to_nodes(field_details_list), parent_type, path)
                return self.complete_awaitable_value(nested.field.type, field_details_list, info, path, value, None)
            plain = value is not None and value is not Undefined and not isinstance(value, Exception)
            if plain and nested.item_type is None:
                completed = self.execute_fields(nested.object_type, value, path, cast(GroupedFieldSet, selection), None)
            else:
                info = info or self.build_resolve_info(nested.field, to_nodes(field_details_list), parent_type, path)
                if plain and value.__class__ is list:
                    selected = cast(GroupedFieldSet, selection)
                    completed = self.completed_list(nested, selected, field_details_list, info, path, value)
                else:
                    completed = self.complete_value(nested.field.type, field_details_list, info, path, value, None)
            if self.is_awaitable(completed):
                return self.settled(completed, nested.field.type, field_details_list, path)
            return completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, nested.field.type, field_details_list, path)
            return None

    def completed_list(
        self,
        nested: Nested,
        selection: GroupedFieldSet,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: list[Any],
    ) -> Any:
        """graphql-core's `complete_iterable_value` for a list of objects with no @stream: an object goes
        straight to its fields, anything else is completed by graphql-core."""
        item_type = cast(GraphQLOutputType, nested.item_type)
        completed: list[Any] = []
        awaited: list[int] = []
        iterator = iter(items)
        try:
            for index, item in enumerate(iterator):
                item_path = path.add_key(index, None)
                if item is None or item is Undefined or isinstance(item, Exception) or self.is_awaitable(item):
                    if self.is_awaitable(item):
                        completed.append(
                            self.complete_awaitable_list_item_value(
                                item, item_type, field_details_list, info, item_path, None
                            )
                        )
                        awaited.append(index)
                    elif self.complete_list_item_value(
                        item, completed, item_type, field_details_list, info, item_path, None
                    ):
                        awaited.append(index)
                    continue
                try:
                    value = self.execute_fields(nested.object_type, item, item_path, selection, None)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                    value = None
                if self.is_awaitable(value):
                    value = self.settled(value, item_type, field_details_list, item_path)
                    awaited.append(index)
                completed.append(value)
        except Exception:  # settle what the other items started, and the awaitable items left: they may fail too
            pending = [completed[index] for index in awaited]
            pending.extend(collect_iterator_awaitables(iterator, self.is_awaitable))
            if pending:
                self.settle_in_background(pending)
            raise
        return gathered(completed, awaited) if awaited else completed

    async def settled(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        """A value completing later, its error handled as graphql-core handles it (`await_completed`)."""
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def attribute_value(
        self,
        attribute: Attribute,
        value: Any,
        parent_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        path: Path | None,
        response_name: str,
        position_context: Any,
    ) -> Any:
        """The attribute's `value` completed as graphql-core completes a resolver's: null, a leaf coerced by its
        type, an exception (the one reading it raised) or an awaitable."""
        try:
            if value is None or value is Undefined:
                if isinstance(attribute.field_type, GraphQLNonNull):
                    field_name = field_details_list[0].node.name.value
                    raise TypeError(f"Cannot return null for non-nullable field {parent_type.name}.{field_name}.")
                return None
            if value.__class__ in PLAIN or not (isinstance(value, Exception) or self.is_awaitable(value)):
                return self.complete_leaf_value(attribute.leaf, value)
            if isinstance(value, Exception):  # graphql-core raises what a resolver returns as an exception
                raise value
            field_path = Path(path, response_name, parent_type.name)  # an awaitable: graphql-core awaits it
            field_def = parent_type.fields[field_details_list[0].node.name.value]
            info = self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type, field_path)
            return self.complete_awaitable_value(
                attribute.field_type, field_details_list, info, field_path, value, position_context
            )
        except Exception as raw_error:
            field_path = Path(path, response_name, parent_type.name)
            self.handle_field_error(raw_error, attribute.field_type, field_details_list, field_path)
            return None

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's, but an object that needs no check of its type (no `is_type_of`) and no incremental
        delivery has its fields executed at once: graphql-core passes it through five more calls to get there."""
        object_type = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if (
            isinstance(object_type, GraphQLObjectType)
            and object_type.is_type_of is None
            and position_context is None
            and result is not None
            and result is not Undefined
            and not isinstance(result, Exception)
        ):
            collected = self.collect_subfields(object_type, field_details_list)
            if not collected.new_defer_usages:
                return self.execute_fields(object_type, result, path, collected.grouped_field_set, None)
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)


Gathered = TypeVar("Gathered", dict[str, Any], list[Any])


async def gathered(values: Gathered, keys: list[Any]) -> Gathered:
    """`values` with the awaitables at `keys` (an object's response names, a list's indices) awaited together, as
    graphql-core gathers them: one alone without a gather."""
    if len(keys) == 1:
        values[keys[0]] = await values[keys[0]]
    else:
        awaited = await gather_with_cancel(*(cast(Awaitable[Any], values[key]) for key in keys))
        for key, value in zip(keys, awaited, strict=True):
            values[key] = value
    return values


def lean_resolvers(schema: strawberry.Schema) -> None:
    """Gives each field whose resolver takes only its object, the info and scalar or enum arguments a resolve
    function that calls it directly. Strawberry's own calls it through a wrapper that converts arguments (which
    for scalars and enums passes graphql-core's values on as they are) and chains field extensions, which such a
    field does not have."""
    for _, _, field, definition in strawberry_fields(schema._schema):
        if called_plainly(definition) and not schema.schema_converter._get_field_exception_handlers(definition):
            names = {
                schema.config.name_converter.from_argument(item): item.python_name for item in definition.arguments
            }
            if WRAPPER_PARAMETERS.intersection(names) or WRAPPER_PARAMETERS.intersection(names.values()):
                continue  # Strawberry's wrappers fail such an argument (got multiple values): they answer it
            field.resolve = direct_call(definition, names, schema.config.info_class)


def called_plainly(field: StrawberryField) -> bool:
    """A resolver taking at most `self`, `info` and arguments of a scalar or an enum, on a field with no
    extension (a permission is one)."""
    resolver = field.base_resolver
    if resolver is None or field.extensions or not callable(resolver.wrapped_func) or field.is_subscription:
        return False
    if (
        type(field).get_result is not StrawberryField.get_result
        or type(resolver).__call__ is not StrawberryResolver.__call__
    ):
        return False
    if resolver.root_parameter is not None or resolver.parent_parameter is not None:
        return False
    if inspect.isasyncgenfunction(resolver.wrapped_func):  # Strawberry calls it from a coroutine: awaited first
        return False
    return all(plain_argument(argument.type) for argument in field.arguments)


def plain_argument(argument_type: Any) -> bool:
    """A scalar or an enum, or an optional one: Strawberry passes it on as graphql-core coerced it."""
    if isinstance(argument_type, StrawberryMaybe):
        return False
    if isinstance(argument_type, StrawberryOptional):
        argument_type = argument_type.of_type
    if isinstance(argument_type, StrawberryList):
        return False
    if argument_type in (str, int, float, bool, strawberry.ID):
        return True
    definition = getattr(argument_type, "__strawberry_definition__", argument_type)
    return isinstance(definition, StrawberryEnumDefinition)


def direct_call(field: StrawberryField, names: Mapping[str, str], info_class: type[Info]) -> Callable[..., Any]:
    """The resolver of `field`, called with its object, its info and its arguments under their Python names."""
    resolver = field.base_resolver
    assert resolver is not None  # called_plainly
    function = cast(Callable[..., Any], resolver.wrapped_func)  # called_plainly: callable
    takes_self = resolver.self_parameter is not None
    info_name = resolver.info_parameter.name if resolver.info_parameter else None

    def resolve(source: Any, info: GraphQLResolveInfo[Any], /, **arguments: Any) -> Any:  # an argument `source` too
        keywords = {names[name]: value for name, value in arguments.items()}
        if info_name is not None:
            keywords[info_name] = info_class(_raw_info=info, _field=field)
        return function(source, **keywords) if takes_self else function(**keywords)

    return resolve
