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


ROLE_PASSED_ON = {
    ("authz/read_filter.py", "viewer_of"): "into the policy, as the viewer's role",
    ("authz/policy.py", "allowed"): "into the policy: the key of the compiled decisions",
    ("authz/policy.py", "is_allowed"): "into the policy: the key of the compiled decisions",
    ("authz/policy.py", "allowed_at_all"): "into the policy: the key of the compiled decisions",
    ("authz/access_log.py", "entry_fields"): "into the access-log entry, which names who asked",
    ("resolvers/changes.py", "change"): "into the key of a clientMutationId's receipt",
    ("resolvers/viewer.py", "viewer"): "back to the principal, as its own token says it",
}
"""Where a role may be read outside policy.polar, and what it is passed to; nowhere is it compared. authz/principal.py
is left out: it says what a principal is (which roles a token must name a unit for; anonymous is no role), not what
it may do."""


def decided_on(node: ast.AST) -> list[ast.AST]:
    """What `node` decides on directly: the operands of a comparison, a lookup's key, a branch's condition."""
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    if isinstance(node, ast.Subscript):
        return [node.slice]
    if isinstance(node, ast.Match):
        return [node.subject]
    if isinstance(node, ast.If | ast.IfExp | ast.While | ast.Assert):
        return [node.test]
    if isinstance(node, ast.BoolOp):
        return list(node.values)
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    return []


def role_reads(path: Path) -> list[tuple[int, str | None, bool]]:
    """Each read of a `.role` attribute: its line, the function it is in, and whether a decision is made on it."""
    found: list[tuple[int, str | None, bool]] = []

    def visit(node: ast.AST, function: str | None, decided: set[int]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        decided = decided | {id(operand) for operand in decided_on(node)}
        if isinstance(node, ast.Attribute) and node.attr == "role" and isinstance(node.ctx, ast.Load):
            found.append((node.lineno, function, id(node) in decided))
        for child in ast.iter_child_nodes(node):
            visit(child, function, decided)

    visit(ast.parse(path.read_text(encoding="utf-8")), None, set())
    return found


def test_role_decisions_live_in_the_policy():
    """Who may do what by role is decided in policy.polar only (through authz/policy.py); the code around it reads a
    principal's role only to pass it on (ROLE_PASSED_ON), never to compare it, look it up or branch on it."""
    wrong = []
    for layer in ("schema", "resolvers", "authz"):
        for path in sorted((ROOT / layer).rglob("*.py")):
            where = str(path.relative_to(ROOT))
            if where == "authz/principal.py":
                continue
            for line, function, compared in role_reads(path):
                if compared or (where, function) not in ROLE_PASSED_ON:
                    wrong.append(f"{where}:{line} ({function}) reads a role{' and compares it' if compared else ''}")
    assert wrong == []
