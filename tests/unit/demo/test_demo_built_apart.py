"""`crm-tui demo` builds the demo in a process of its own, then opens the app: built in the
app's process, the memory the build used was never given back (memBW: the app started at
175 MB after `demo --fresh`, 82 MB on a kept demo). What the build says is still said."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import cli_commands
from crm_tui.cli import main
from crm_tui.demo import build
from crm_tui.services.core.database_facts import DEMO_BUILT_KEY


def test_fresh_builds_the_demo_apart_then_opens_it(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "demo.sqlite3"

    def built_here(path: Path, config: object = None) -> build.DemoSummary:
        raise AssertionError("the demo was built in the app's process")
    monkeypatch.setattr(build, "build_demo", built_here)
    opened: list[str] = []
    monkeypatch.setattr(cli_commands, "_launch", lambda state, target, login: opened.append(target))
    # The build's process has no keyring of the person running the tests to write to.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    result = CliRunner().invoke(main, ["demo", "--fresh", "--yes", "--db", str(path)])
    assert result.exit_code == 0, result.output
    said = result.stderr
    assert "Building the demo database: --fresh was given." in said, said
    assert f"Demo database: {path} (19 cases, " in said, said
    assert said.count("Demo personal keys") == 1, said
    assert len(opened) == 1
    with sqlite3.connect(path) as built:
        marks = built.execute("SELECT value FROM setting WHERE key = ?",
                              (DEMO_BUILT_KEY,)).fetchall()
    built.close()
    assert marks, "the demo opened has no record that its build finished"
