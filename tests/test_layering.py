"""The layers show in the imports: pure claim/diff logic, prefect only in flow modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IO_LIBRARIES = {"prefect", "requests", "duckdb", "trafilatura", "urllib3", "pyarrow"}
FLOW_MODULES = {"check.py", "reprocess.py", "reporting.py", "prefect_api.py"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


PURE = sorted((ROOT / "flows" / "claims").glob("*.py")) + [ROOT / "flows" / "diff.py", ROOT / "flows" / "textnorm.py",
                                                          ROOT / "flows" / "schedule.py"]


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_modules_import_no_io_library(path):
    assert not imported_roots(path) & IO_LIBRARIES


@pytest.mark.parametrize("path", sorted((ROOT / "flows").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_flow_modules_import_prefect(path):
    if path.name in FLOW_MODULES:
        return
    assert "prefect" not in imported_roots(path), f"{path.name} imports prefect; keep Prefect in the flow modules"


def test_storage_does_not_import_the_flows_layer():
    for path in (ROOT / "storage").glob("*.py"):
        assert "flows" not in imported_roots(path), path.name
