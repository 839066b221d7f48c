"""How fields are resolved: graphql-core's executor, without its per-field machinery where a field needs none.

A page resolves about a thousand fields, and graphql-core with Strawberry's wrappers spent some 3.5 µs on each
whatever its resolver, half of a page's CPU (docs/performance.md). Three shortcuts, each answering exactly what
the long way answers (tests/test_execution.py):
- most fields are a scalar or an enum the object already holds (`CreditRecord.title`, `Subject.kind`): such a
  field is the attribute, coerced by its type, read in the loop over its object's fields, with the same errors
  where it is null (`Execution.execute_fields`);
- an object goes straight to its fields (`Execution.complete_value`);
- a resolver whose arguments are scalars or enums (`CreditRecord.provider`, `Subject.records(first: 10)`) is
  called as it is, not through Strawberry's wrapper that converts arguments and chains field extensions it does
  not have (`lean_resolvers`).
"""

from collections.abc import Awaitable, Callable, Iterator, Mapping
from types import CoroutineType
from typing import Any, NamedTuple, cast

import strawberry
from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import to_nodes
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
            definition.python_name, field.type, leaf, enum, names
        )
    return found


def enum_names(enum: CustomGraphQLEnumType) -> dict[Any, str]:
    members: list[Any] = list(enum.wrapped_cls)
    values = enum.values.items()
    return {member: name for member in members for name, value in values if member.value == value.value}


def with_shortcuts(schema: strawberry.Schema) -> None:
    """Prepares a built schema for `Execution`: its table of attribute fields, and lean resolvers (in place,
    once, when the schema is built)."""
    schema._schema.extensions[ATTRIBUTES] = attributes(schema._schema, schema.config.default_resolver)
    lean_resolvers(schema)


class Execution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context: a field that reads an attribute is answered in the loop over its object's
    fields, and an object goes straight to its fields."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        """graphql-core's loop over an object's fields, answering attribute fields in place: no resolve info, no
        path (unless one fails), no resolver, no walk of the type. The other fields, and the gathering of those
        that answer later, are as graphql-core does them."""
        attributes = self.schema.extensions.get(ATTRIBUTES, {}).get(parent_type.name)
        if attributes is None or (self.middleware_manager and self.middleware_manager.middlewares):
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        later: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                attribute = attributes.get(field_details_list[0].node.name.value)
                if attribute is not None:
                    result = self.attribute_value(
                        attribute, parent_type, source_value, field_details_list, path, response_name, position_context
                    )
                    results[response_name] = result
                    if result.__class__ is CoroutineType:  # an awaitable in the attribute, completed the long way
                        later.append(response_name)
                    continue
                field_path = Path(path, response_name, parent_type.name)
                result = self.execute_field(parent_type, source_value, field_details_list, field_path, position_context)
                if result is not Undefined:
                    results[response_name] = result
                    if self.is_awaitable(result):
                        later.append(response_name)
        except Exception:
            if later:  # settle what the other fields started: they may fail too
                self.settle_in_background([results[name] for name in later])
            raise
        return self.gathered(results, later) if later else results

    async def gathered(self, results: dict[str, Any], later: list[str]) -> dict[str, Any]:
        if len(later) == 1:
            results[later[0]] = await results[later[0]]
        else:
            awaited = await gather_with_cancel(*(cast(Awaitable[Any], results[name]) for name in later))
            results.update(zip(later, awaited, strict=True))
        return results

    def attribute_value(
        self,
        attribute: Attribute,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path | None,
        response_name: str,
        position_context: Any,
    ) -> Any:
        try:
            value = getattr(source, attribute.name)
            if value.__class__ is attribute.enum and value in attribute.names:
                return attribute.names[value]
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

    def resolve(source: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        keywords = {names[name]: value for name, value in arguments.items()}
        if info_name is not None:
            keywords[info_name] = info_class(_raw_info=info, _field=field)
        return function(source, **keywords) if takes_self else function(**keywords)

    return resolve
