"""Architecture and code quality, run with the suite so that CI enforces them."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "crm_tui"
BIN = Path(sys.executable).parent
BELOW_UI = ("domain", "db", "services", "letters")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.add(node.module.split(".")[0])
    return names


def _modules(*packages: str) -> list[Path]:
    return [p for pkg in packages for p in sorted((PACKAGE / pkg).rglob("*.py"))
            if (PACKAGE / pkg).exists()]


@pytest.mark.parametrize("path", _modules(*BELOW_UI), ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_below_the_ui_imports_textual(path: Path) -> None:
    assert not {"textual", "rich"} & _imports(path)


@pytest.mark.parametrize("path", _modules("domain"), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_is_pure(path: Path) -> None:
    imported = _imports(path)
    assert not {"peewee", "playhouse"} & imported
    assert not any(name.startswith(("crm_tui.db", "crm_tui.services", "crm_tui.ui"))
                   for name in imported)


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    executable = BIN / tool
    if not executable.exists():
        found = shutil.which(tool)
        assert found, f"{tool} is not installed (make test installs it)"
        executable = Path(found)
    return subprocess.run([str(executable), *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)


def test_import_contracts() -> None:
    result = _run("lint-imports")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = _run("ruff", "check", "crm_tui", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
