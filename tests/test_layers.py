"""The layers import one way (docs/architecture.md):

    server -> schema -> resolvers -> authz -> graph_store -> credit

A module may import its own package and the packages after it, never one before it. `intake` (import and seed) sits
beside the API: it may import `graph_store` and `credit`, and only the command line imports it, so no request can
reach import code."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["server", "schema", "resolvers", "authz", "graph_store", "credit"]
INTAKE_MAY_IMPORT = {"intake", "graph_store", "credit"}
INTAKE_IMPORTED_BY = {"server/cli.py"}


def imported(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def ours(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in [*LAYERS, "intake"] else None


def test_imports_point_one_way():
    wrong = []
    for rank, layer in enumerate(LAYERS):
        for path in sorted((ROOT / layer).rglob("*.py")):
            for line, module in imported(path):
                top = ours(module)
                pointing_back = top in LAYERS and LAYERS.index(top) < rank
                into_intake = top == "intake" and str(path.relative_to(ROOT)) not in INTAKE_IMPORTED_BY
                if pointing_back or into_intake:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == []


def test_intake_imports_only_storage_and_rules():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / "intake").rglob("*.py"))
        for line, module in imported(path)
        if ours(module) not in {None, *INTAKE_MAY_IMPORT}
    ]
    assert wrong == []


def test_the_domain_rules_know_nothing_of_neo4j_or_graphql():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / "credit").rglob("*.py"))
        for line, module in imported(path)
        if module.split(".")[0] in {"neo4j", "strawberry", "graphql", "oso", "starlette"}
    ]
    assert wrong == []


def test_the_api_loads_no_intake_code():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, server.app; print(sorted(m for m in sys.modules if m.startswith('intake')))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
