"""The repository explains itself: its docs name only files that exist, and docs/architecture.md names every module,
so a newcomer finds each one where the docs say it is."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PACKAGES = ["server", "schema", "resolvers", "authz", "graph_store", "credit", "intake"]
CITED_PATH = re.compile(r"`((?:[\w.-]+/)+[\w.-]+\.\w+)`")


def test_every_file_the_docs_name_exists():
    """Paths in our own folders; `src/gql/...` is the front-end team's project, not ours."""
    missing = [
        f"{doc.relative_to(ROOT)} names {path}"
        for doc in DOCS
        for path in CITED_PATH.findall(doc.read_text(encoding="utf-8"))
        if (ROOT / path.split("/")[0]).is_dir() and "<" not in path and not (ROOT / path).exists()
    ]
    assert missing == []


def test_the_architecture_names_every_module():
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    unnamed = [
        str(module.relative_to(ROOT))
        for package in PACKAGES
        for module in sorted((ROOT / package).glob("*.py"))
        if module.name != "__init__.py"
        and f"`{module.relative_to(ROOT)}`" not in architecture
        and f"`{module.name}`" not in architecture
    ]
    assert unnamed == []
