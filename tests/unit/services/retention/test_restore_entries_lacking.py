"""v16g G6: every `restore` ended "Entries written after the backup are not in the restored
trail…", also for `--new` into a new database and over a trail whose head was the backup's.
It is said only when the trail replaced had entries the backup lacks, naming how many."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.services.core import audit, users
from tests.unit.services.retention.conftest import Live

SAID = "of the trail replaced"


def _restore(config: Path, backup: Path, database: Path, *more: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), "restore", str(backup), *more,
                                     "--db", str(database)])


def _config(path: Path, evidence: Path, letters: Path) -> Path:
    path.write_text(f'letters_folder = "{letters}"\nevidence_folder = "{evidence}"\n')
    return path


def _write_entries(database: Path, count: int) -> None:
    opened = open_database(database)
    try:
        crm = next(u for u in users.list_users() if u.role.value == "crm")
        actor = users.resolve_actor(crm.login)
        for _ in range(count):
            audit.record(actor, "test_write", reason="written after the backup was taken")
    finally:
        opened.close()


def test_said_only_when_the_replaced_trail_had_entries_the_backup_lacks(
        live: Live, tmp_path: Path, acting_as: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config(tmp_path / "config.toml", live.evidence, live.letters)
    backup = tmp_path / "backup"
    taken = CliRunner().invoke(main, ["--config", str(config), "backup", str(backup), "--db",
                                      str(live.database)])
    assert taken.exit_code == 0, taken.output
    # In place over the trail the backup holds whole: nothing is left out, nothing said.
    same = _restore(config, backup, live.database)
    assert same.exit_code == 0, same.output
    assert "Restored the backup" in same.output
    assert SAID not in same.output and "no longer verifies" not in same.output
    # Into a new database: there was no trail to leave anything of.
    elsewhere = tmp_path / "elsewhere"
    fresh = _restore(_config(tmp_path / "new.toml", elsewhere / "evidence",
                             elsewhere / "letters"), backup, elsewhere / "x.sqlite3", "--new")
    assert fresh.exit_code == 0, fresh.output
    assert SAID not in fresh.output and "no longer verifies" not in fresh.output
    # Two entries written since the backup: named.
    _write_entries(live.database, 2)
    # A minute on: the copies the first restore kept aside are named for their second.
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-28T10:01:00")
    behind = _restore(config, backup, live.database)
    assert behind.exit_code == 0, behind.output
    assert ("2 entries of the trail replaced are not in the backup (written after it was "
            "taken) and so not in the restored trail: an audit anchor kept since then no "
            "longer verifies; note the restore beside it.") in behind.output
