"""A restore killed at any step of putting the backup in place (round 10, found when tried:
killed after the folders were swapped and before the database was renamed, it left the
evidence store swapped, and the next start did not put it back). The next start settles it
from the journal: the database, the evidence and the letters are all the backup's, or all
as they were before."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.config import Config
from crm_tui.services.core import settings
from crm_tui.services.core.database_facts import EVIDENCE_KEY
from crm_tui.services.retention import restore_swap
from crm_tui.services.retention.backup import take_backup
from crm_tui.services.retention.restore import restore


class Killed(BaseException):
    """The process gone at this step: nothing after it runs, not even a clean-up."""


def _state(folder: Path) -> tuple[int, dict[str, str]]:
    with contextlib.closing(sqlite3.connect(folder / "crm.sqlite3")) as db:
        rows = db.execute("SELECT count(*) FROM setting").fetchone()[0]
    files = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for sub in ("evidence", "letters") for p in sorted((folder / sub).rglob("*"))
             if p.is_file()}
    return rows, files


STEPS = 6  # evidence aside, evidence in, letters aside, letters in, database kept, database in


@pytest.mark.parametrize("step", range(STEPS + 1))
def test_a_restore_killed_at_any_step_is_settled_by_the_next_start(
        demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: int) -> None:
    folder = tmp_path / "live"
    folder.mkdir()
    database = folder / "crm.sqlite3"
    shutil.copy(demo_db, database)
    shutil.copytree(demo_db.parent / "demo-evidence", folder / "evidence")
    shutil.copytree(demo_db.parent / "demo-letters", folder / "letters")
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        db.execute("UPDATE setting SET value = ? WHERE key = ?",
                   (str(folder / "evidence"), EVIDENCE_KEY))
    config = Config(letters_folder=str(folder / "letters"),
                    evidence_folder=str(folder / "evidence"))
    settings.configure(config)
    take_backup(database, folder / "evidence", folder / "letters", tmp_path / "backup")
    backup_state = _state(folder)
    # Since the backup: a setting more, a letter more, a document more.
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        db.execute("INSERT INTO setting (key, value) VALUES ('written_since', 'the backup')")
    (folder / "letters" / "since.pdf").write_bytes(b"%PDF- since")
    (folder / "evidence" / "since").write_bytes(b"since")
    before_state = _state(folder)
    assert before_state != backup_state

    real_move, real_link = restore_swap._move, restore_swap._link
    count = [0]

    def cut(real: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
        def step_taken(source: Path, target: Path) -> None:
            if count[0] == step:
                raise Killed
            count[0] += 1
            real(source, target)
        return step_taken

    monkeypatch.setattr(restore_swap, "_move", cut(real_move))
    monkeypatch.setattr(restore_swap, "_link", cut(real_link))
    monkeypatch.setattr(restore_swap, "settle", lambda database: None)  # killed: no clean-up
    if step < STEPS:
        with pytest.raises(Killed):
            restore(tmp_path / "backup", database, folder / "evidence", folder / "letters")
    else:  # killed after the last rename, before the journal was removed
        restore(tmp_path / "backup", database, folder / "evidence", folder / "letters")
    monkeypatch.undo()
    assert restore_swap.journal_path(database).exists()

    config_file = tmp_path / "config.toml"
    config_file.write_text(f'letters_folder = "{folder / "letters"}"\n'
                           f'evidence_folder = "{folder / "evidence"}"\n')
    started = CliRunner().invoke(main, ["--config", str(config_file), "audit", "verify",
                                        "--db", str(database)])
    assert started.exit_code == 0, started.output
    assert ("was finished" if step == STEPS else "was undone") in started.output
    assert _state(folder) == (backup_state if step == STEPS else before_state)
    assert not restore_swap.journal_path(database).exists()
    assert not [p for p in folder.iterdir() if "restoring" in p.name]


def test_a_restore_under_way_elsewhere_is_left_to_finish(tmp_path: Path) -> None:
    """A start beside a restore still at work (its process alive) never undoes it."""
    database = tmp_path / "crm.sqlite3"
    database.write_bytes(b"the database in use")
    staged = tmp_path / ".crm.sqlite3.restoring-1"
    staged.write_bytes(b"the backup's")
    journal = restore_swap.journal_path(database)
    journal.write_text(json.dumps({"database": str(database), "pid": os.getppid(),
                                   "staged": str(staged), "inode": [0, 0],
                                   "database_kept": None, "folders": []}))
    with pytest.raises(restore_swap.JournalProblem, match="is under way"):
        restore_swap.settle(database)
    assert journal.exists() and staged.exists()
