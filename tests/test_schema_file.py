"""schema.graphql is the published query service specification (Art. 17): it must match the code."""

from pathlib import Path

from graphql import get_named_type

from schema import schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


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
        field = types[key[0]].fields[key[1]]
        typed = field.args[key[2]].type if len(key) == 3 else field.type
        found[key] = get_named_type(typed).name
    assert found == closed
