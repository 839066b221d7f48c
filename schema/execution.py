"""How fields are resolved: graphql-core's executor, without its per-field machinery where a field needs none.

A page resolves about a thousand fields, and graphql-core with Strawberry's wrappers spent some 3.5 µs on each
whatever its resolver, half of a page's CPU (docs/performance.md). Two shortcuts, each answering exactly what the
long way answers:
- most fields are a scalar or an enum the object already holds (`CreditRecord.title`, `Subject.kind`): such a
  field is the attribute, coerced by its type, with the same errors where it is null (`Execution`);
- a resolver with no arguments (`CreditRecord.provider`) is called as it is, not through the wrapper that
  converts arguments and chains field extensions it does not have (`lean_resolvers`).
"""

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, NamedTuple, cast

from graphql import (
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType, GraphQLCoreConverter
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info


class Attribute(NamedTuple):
    """A field answered by reading `name` from its object."""

    name: str
    field_type: GraphQLOutputType
    leaf: GraphQLLeafType
    enum: type | None
    names: Mapping[Any, str]
    """For an enum, each member's name in the schema: Strawberry's enum type finds it by a walk of its values."""


@cache
def attributes(schema: GraphQLSchema) -> dict[str, dict[str, Attribute]]:
    """Each object type's fields that read an attribute: Strawberry's basic fields (no resolver, no extension)
    of a scalar or an enum, not a list. Made once per schema."""
    found: dict[str, dict[str, Attribute]] = {}
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
            leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            if not isinstance(definition, StrawberryField) or not definition.is_basic_field or not is_leaf_type(leaf):
                continue
            enum = leaf.wrapped_cls if isinstance(leaf, CustomGraphQLEnumType) else None
            names = enum_names(leaf) if isinstance(leaf, CustomGraphQLEnumType) else {}
            found.setdefault(type_name, {})[field_name] = Attribute(
                definition.python_name, field.type, leaf, enum, names
            )
    return found


def enum_names(enum: CustomGraphQLEnumType) -> dict[Any, str]:
    members: list[Any] = list(enum.wrapped_cls)
    return {member: name for member in members for name, value in enum.values.items() if member.value == value.value}


class Execution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context; a field that reads an attribute is answered in `execute_field` itself, and
    an object goes straight to its fields."""

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

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        attribute = attributes(self.schema).get(parent_type.name, {}).get(field_details_list[0].node.name.value)
        if attribute is None or (self.middleware_manager and self.middleware_manager.middlewares):
            return super().execute_field(parent_type, source, field_details_list, path, position_context)
        try:
            value = getattr(source, attribute.name)
            if value is None or value is Undefined:
                if isinstance(attribute.field_type, GraphQLNonNull):
                    field_name = field_details_list[0].node.name.value
                    raise TypeError(f"Cannot return null for non-nullable field {parent_type.name}.{field_name}.")
                return None
            if value.__class__ is attribute.enum and value in attribute.names:
                return attribute.names[value]
            return self.complete_leaf_value(attribute.leaf, value)
        except Exception as raw_error:
            self.handle_field_error(raw_error, attribute.field_type, field_details_list, path)
            return None


def lean_resolvers(schema: GraphQLSchema) -> None:
    """Gives each field whose resolver takes no argument but its object and the info a resolve function that
    calls it directly. Strawberry's own calls it through a wrapper that converts arguments and chains field
    extensions, which such a field does not have (in place, once, when the schema is built)."""
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field in graphql_type.fields.values():
            definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if isinstance(definition, StrawberryField) and without_arguments(definition):
                field.resolve = direct_call(definition)


def without_arguments(field: StrawberryField) -> bool:
    """A resolver taking at most `self` and `info`, on a field with no extension (a permission is one)."""
    resolver = field.base_resolver
    if resolver is None or field.extensions or field.arguments or not callable(resolver.wrapped_func):
        return False
    return resolver.root_parameter is None and resolver.parent_parameter is None


def direct_call(field: StrawberryField) -> Callable[[Any, GraphQLResolveInfo[Any]], Any]:
    resolver = field.base_resolver
    assert resolver is not None  # without_arguments
    function = cast(Callable[..., Any], resolver.wrapped_func)  # without_arguments: callable
    takes_self = resolver.self_parameter is not None
    info_name = resolver.info_parameter.name if resolver.info_parameter else None

    def resolve(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        arguments = (source,) if takes_self else ()
        if info_name is None:
            return function(*arguments)
        return function(*arguments, **{info_name: Info(_raw_info=info, _field=field)})

    return resolve
