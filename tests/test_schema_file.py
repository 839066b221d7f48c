"""schema.graphql is the published query service specification (Art. 17): it must match the code, and its
description and the README must state the limits the code enforces."""

from pathlib import Path

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
