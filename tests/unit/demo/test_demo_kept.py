"""`crm-tui demo` (and so `make run`) keeps the demo between runs: it opens it as it was left,
and builds it only when there is none, when it was made for another schema, when its build
did not finish, or with --fresh, saying which. The builds are stubbed: what is tried is the
choice, on a copy of a real demo."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crm_tui.cli import main
from crm_tui.demo import build
from crm_tui.services.core.database_facts import DEMO_BUILT_KEY, DEMO_EDITION_KEY


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    made: list[Path] = []

    def stub(path: Path, config: object = None) -> build.DemoSummary:
        made.append(path)
        return build.DemoSummary(path, 0, 0, 0)
    monkeypatch.setattr(build, "build_demo", stub)
    return made


@pytest.fixture
def kept(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_db, path)
    return path


def run(path: Path, *more: str) -> Result:
    result = CliRunner().invoke(main, ["demo", "--db", str(path), "--no-launch", *more])
    assert result.exit_code == 0, result.output
    return result


def _sql(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(statement)
    connection.close()


def test_the_demo_is_kept_as_it_was_left(kept: Path, builds: list[Path]) -> None:
    before = hashlib.sha256(kept.read_bytes()).hexdigest()
    result = run(kept)
    assert builds == []
    assert "as you left it (crm-tui demo --fresh builds it again)" in result.stderr
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == before


def test_fresh_builds_it_again(kept: Path, builds: list[Path]) -> None:
    assert "Building the demo database: --fresh was given" in run(kept, "--fresh").stderr
    assert builds == [kept]


def test_a_missing_demo_is_built(tmp_path: Path, builds: list[Path]) -> None:
    path = tmp_path / "new" / "demo.sqlite3"
    assert "there is no demo database at" in run(path).stderr
    assert builds == [path]


def test_an_older_schema_is_built_again_and_said_so(kept: Path, builds: list[Path]) -> None:
    _sql(kept, "DELETE FROM schema_migration WHERE name = "
               "(SELECT MAX(name) FROM schema_migration)")
    assert "was made by an older version of crm-tui (schema" in run(kept).stderr
    assert builds == [kept]


def test_a_build_cut_short_is_built_again(kept: Path, builds: list[Path]) -> None:
    _sql(kept, f"DELETE FROM setting WHERE key = '{DEMO_BUILT_KEY}'")
    assert "has no record that its build finished" in run(kept).stderr
    assert builds == [kept]


def test_a_demo_of_an_earlier_edition_is_built_again(kept: Path, builds: list[Path]) -> None:
    # A kept demo would show facts stored by an earlier rule (its cases' next actions).
    _sql(kept, f"DELETE FROM setting WHERE key = '{DEMO_EDITION_KEY}'")
    assert "made by an older version of crm-tui's demo" in run(kept).stderr
    assert builds == [kept]


def test_letters_signed_in_the_demo_go_beside_it(kept: Path, builds: list[Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # They went to the real letters folder, among a real database's letters.
    from crm_tui import cli

    launched: list[str] = []
    monkeypatch.setattr(cli, "_launch", lambda state, target, login: launched.append(
        state.config.letters_folder))
    result = CliRunner().invoke(main, ["demo", "--db", str(kept)])
    assert result.exit_code == 0, result.output
    assert launched == [str(kept.with_name("demo-letters"))]
    assert builds == []
