"""schema.graphql is the published query service specification (Art. 17): it must match the code, and its
description and the README must state the limits the code enforces."""

from pathlib import Path
from typing import cast

from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type, is_non_null_type

from resolvers.pagination import DEFAULT_PAGE
from schema import build_schema, schema
from schema.description import limits

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"
README = SCHEMA_FILE.with_name("README.md")


def test_schema_file_matches_the_code():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "schema.graphql is out of date: run `make schema` and commit it"
    )


def test_every_type_and_field_is_documented():
    undocumented = [
        f"{type_name}.{field_name}" if field_name else type_name
        for type_name, graphql_type in schema._schema.type_map.items()
        if not type_name.startswith("__") and type_name not in {"String", "Int", "Boolean", "ID", "Float"}
        for field_name, description in [(None, graphql_type.description)]
        + [(name, field.description) for name, field in getattr(graphql_type, "fields", {}).items()]
        if not description
    ]
    assert undocumented == []


def test_the_description_states_every_limit_with_its_figure():
    described = schema._schema.description
    assert described is not None
    for limit, figure in limits():
        assert f"- {limit}: {figure}\n" in described + "\n"
    assert "- depth through the schema's types: 12 levels" in described
    assert "- cost: 2,000 points per operation" in described
    assert "- page size (`first`): 20 when not given, at most 100" in described
    assert "- rate per caller: 30 requests a second and 1,200 a minute" in described


def test_a_server_describes_the_limits_it_was_configured_with():
    configured = build_schema(max_cost=500, rate_limit="5/second").as_str()
    assert "- cost: 500 points per operation" in configured and "- rate per caller: 5 requests a second" in configured


def test_the_readme_states_the_same_limits():
    section = README.read_text(encoding="utf-8").split("\n## Limits\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split(" | ")[:2] for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert [(limit.removeprefix("| "), figure) for limit, figure in rows[1:]] == limits()


def test_closed_sets_are_enums():
    """Every field and argument whose values come from a fixed set has an enum type a front end can generate code
    from; a String there would take any text and match nothing."""
    closed = {
        ("Consent", "status"): "ConsentStatus",
        ("Objection", "status"): "ObjectionStatus",
        ("RepairApplication", "status"): "RepairStatus",
        ("Notice", "kind"): "NoticeKind",
        ("AccessRecord", "role"): "Role",
        ("AccessRecord", "decision"): "AccessDecision",
        ("AccessLogEntry", "role"): "Role",
        ("AccessLogEntry", "decision"): "AccessDecision",
        ("DecideObjectionInput", "outcome"): "ObjectionOutcome",
        ("ServeNoticeInput", "kind"): "AgencyNoticeKind",
        ("Query", "objections", "status"): "ObjectionStatus",
    }
    types = schema._schema.type_map
    found = {}
    for key in closed:
        field = cast(GraphQLObjectType | GraphQLInputObjectType, types[key[0]]).fields[key[1]]
        typed = field.args[key[2]].type if len(key) == 3 else field.type
        found[key] = get_named_type(typed).name
    assert found == closed


def test_every_mutation_has_relays_shape():
    """One `input: XInput!` carrying clientMutationId; a nullable `XPayload` echoing it, with what changed."""
    misshapen = []
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None
    for name, field in mutation_type.fields.items():
        expected = name[0].upper() + name[1:]
        argument = field.args.get("input")
        payload = field.type
        if (
            list(field.args) != ["input"]
            or not is_non_null_type(argument.type)
            or get_named_type(argument.type).name != f"{expected}Input"
            or "clientMutationId" not in cast(GraphQLInputObjectType, get_named_type(argument.type)).fields
            or is_non_null_type(payload)
            or payload.name != f"{expected}Payload"
            or "clientMutationId" not in payload.fields
            or not all(is_non_null_type(f.type) for n, f in payload.fields.items() if n != "clientMutationId")
        ):
            misshapen.append(name)
    assert misshapen == []


def test_names_say_whether_they_hold_a_date_or_an_instant():
    """A Date ends in On or Date, a DateTime in At (`at` itself included): the name tells a front end what to send."""
    endings = {"Date": ("On", "Date"), "DateTime": ("At", "at")}
    misnamed = []
    for type_name, graphql_type in schema._schema.type_map.items():
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            named = [(field_name, field.type)] + [(name, arg.type) for name, arg in getattr(field, "args", {}).items()]
            for name, typed in named:
                scalar = get_named_type(typed).name
                if scalar in endings and not name.endswith(endings[scalar]):
                    misnamed.append(f"{type_name}.{field_name}" + ("" if name == field_name else f"({name})"))
    assert misnamed == []


def test_every_first_shows_the_page_size_it_gets():
    firsts = [
        (f"{type_name}.{field_name}", field.args["first"].default_value)
        for type_name, graphql_type in schema._schema.type_map.items()
        for field_name, field in getattr(graphql_type, "fields", {}).items()
        if "first" in getattr(field, "args", {})
    ]
    assert firsts and all(default == DEFAULT_PAGE for _, default in firsts), firsts


def test_root_lists_and_lookups_are_nullable():
    """A refused root field answers null with its error, and leaves the request's other fields in place."""
    query = schema._schema.query_type
    assert query is not None
    non_null = [name for name, field in query.fields.items() if field.args and is_non_null_type(field.type)]
    assert non_null == []
