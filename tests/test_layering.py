"""The layers show in the imports: the README's code map is the rule, and this test enforces it."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IO_LIBRARIES = {"prefect", "requests", "duckdb", "trafilatura", "urllib3", "pyarrow", "lxml", "prefect_dask"}
# Where the mapped packages live in the checkout (pyproject's package-dir).
MAPPED = {"factwatch.flows": ROOT / "flows", "factwatch.storage": ROOT / "storage"}
# Always allowed: the package root (its version) and its configuration errors.
ALWAYS = {"factwatch", "errors"}


def code_map() -> dict[str, tuple[set[str], set[str]]]:
    """package -> (factwatch packages it may import, libraries it may import), from the README table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Code map", 1)[1].split("\n## ", 1)[0]
    rules = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.match(r"`(factwatch(?:\.\w+)?)`", cells[0]) if len(cells) == 4 else None
        if not match:
            continue
        words = [{w.strip() for w in cell.split(",") if w.strip() and w.strip() != "none"} for cell in cells[2:]]
        rules[match.group(1)] = (words[0], words[1])
    return rules


def package_files(package: str) -> list[Path]:
    base = MAPPED.get(package) or ROOT / Path(*package.split("."))
    if base.with_suffix(".py").is_file():
        return [base.with_suffix(".py")]
    return sorted(base.rglob("*.py"))


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports (factwatch.…)"
            found.add(node.module)
            if node.module == "factwatch":
                found |= {f"factwatch.{alias.name}" for alias in node.names if alias.name != "__version__"}
    return found


RULES = code_map()


def test_code_map_covers_every_package():
    assert set(RULES) >= {"factwatch.net", "factwatch.extract", "factwatch.claims", "factwatch.changes",
                          "factwatch.schedule", "factwatch.runtime", "factwatch.storage", "factwatch.flows",
                          "factwatch.cli", "factwatch.settings", "factwatch.alerts", "factwatch.stories"}
    listed = {p for package in RULES for p in package_files(package)}
    shipped = {p for p in (ROOT / "factwatch").rglob("*.py") if p.parent != ROOT / "factwatch"}
    shipped |= set((ROOT / "flows").rglob("*.py")) | set((ROOT / "storage").rglob("*.py"))
    assert shipped <= listed, f"not in the README code map: {sorted(map(str, shipped - listed))}"


@pytest.mark.parametrize("package", sorted(RULES))
def test_imports_follow_the_code_map(package):
    own, libraries = RULES[package]
    for path in package_files(package):
        for name in imports(path):
            parts = name.split(".")
            if parts[0] == "factwatch":
                if "any" in own or len(parts) == 1:
                    continue
                inner = parts[1:]
                allowed = ALWAYS | own | {package.removeprefix("factwatch.")}
                assert inner[0] in allowed or ".".join(inner[:2]) in allowed, \
                    f"{path.relative_to(ROOT)} imports {name}; the code map allows {sorted(own) or 'none'}"
            elif parts[0] not in sys.stdlib_module_names and parts[0] != "__future__":
                assert parts[0] in libraries, \
                    f"{path.relative_to(ROOT)} imports {parts[0]}; the code map allows {sorted(libraries) or 'none'}"


PURE = (package_files("factwatch.claims") + package_files("factwatch.changes") + package_files("factwatch.schedule")
        + package_files("factwatch.alerts") + package_files("factwatch.stories") + [ROOT / "factwatch" / "extract" / "textnorm.py"])


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_modules_import_no_io_library(path):
    roots = {name.split(".")[0] for name in imports(path)}
    assert not roots & IO_LIBRARIES
    assert not {n for n in imports(path) if n.startswith(("factwatch.net", "factwatch.storage", "factwatch.flows",
                                                         "factwatch.runtime", "factwatch.extract.article"))}


def test_only_flows_import_prefect():
    for path in (ROOT / "factwatch").rglob("*.py"):
        assert "prefect" not in {n.split(".")[0] for n in imports(path)}, path
    for path in (ROOT / "storage").rglob("*.py"):
        assert "prefect" not in {n.split(".")[0] for n in imports(path)}, path
