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


# The tools' caches go to the test's temporary folder, not into the checkout.
def test_import_contracts() -> None:
    result = _run("lint-imports", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = _run("ruff", "check", "--no-cache", "crm_tui", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean(tmp_path: Path) -> None:
    result = _run("mypy", "--cache-dir", str(tmp_path / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_contracts_that_keep_the_stages_apart_are_in_force() -> None:
    """A contract deleted from pyproject.toml would let lint-imports pass with nothing to
    check: the ones the layout rests on must be there, over the packages they name."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}
    stages = contracts["Stages of the policy point one way"]
    assert stages["containers"] == ["crm_tui.services"]
    named = {part.strip() for layer in stages["layers"] for part in layer.split("|")}
    on_disk = {p.name for p in (PACKAGE / "services").iterdir()
               if (p / "__init__.py").is_file()}
    assert named == on_disk  # every stage package is placed in the order, and no other
    demo = contracts["The demo is built by the demo commands only: nothing in the app imports it"]
    assert {"crm_tui.ui", "crm_tui.services"} <= set(demo["source_modules"])
    assert demo["forbidden_modules"] == ["crm_tui.demo"]


@pytest.mark.parametrize("package", sorted(p.name for p in (PACKAGE / "services").iterdir()
                                           if (p / "__init__.py").is_file()))
def test_each_stage_says_which_part_of_the_policy_it_serves(package: str) -> None:
    tree = ast.parse((PACKAGE / "services" / package / "__init__.py").read_text("utf-8"))
    assert len(ast.get_docstring(tree) or "") > 80
    assert not [p for p in (PACKAGE / "services").glob("*.py") if p.name != "__init__.py"], \
        "services/ holds stage packages only"
