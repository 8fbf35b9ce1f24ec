"""A backup holds its copy to the audit trail as `restore` will (issue 16, X2): a backup of
a database whose trail is BROKEN is written, marked, and fails with exit 3, saying that it
cannot be restored as it stands; a sound one says so in its manifest and exits 0."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.services.core import audit, users
from crm_tui.services.retention.backup import BackupProblem, take_backup
from crm_tui.services.retention.restore import restore
from tests.conftest import FROZEN_NOW
from tests.unit.services.retention.conftest import Live


def _command(live: Live, tmp_path: Path, *args: str) -> Any:
    config = tmp_path / "config.toml"
    config.write_text(f'letters_folder = "{live.letters}"\nevidence_folder = "{live.evidence}"\n')
    return CliRunner().invoke(main, ["--config", str(config), *args, "--db", str(live.database)])


def test_a_backup_of_a_broken_trail_is_marked_and_fails_with_its_own_code(
        live: Live, tmp_path: Path, acting_as: Any) -> None:
    with contextlib.closing(sqlite3.connect(live.database)) as db, db:
        (decision,) = db.execute("SELECT max(id) FROM decision").fetchone()
        db.execute("UPDATE decision SET reason = 'Rewritten after the decision was made' "
                   "WHERE id = ?", (decision,))
    taken = _command(live, tmp_path, "backup", str(tmp_path / "b"))
    said = " ".join(taken.output.split())
    assert taken.exit_code == 3, taken.output
    assert "the backup was written, but it cannot be restored as it stands: its audit " \
           "trail is BROKEN at entry" in said
    assert f"decision {decision} of" in said and "changed outside the app" in said
    assert "Keep it for whoever looks into the change" in said
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["audit_trail_when_taken"].startswith("its audit trail is BROKEN at entry")
    refused = _command(live, tmp_path, "restore", str(tmp_path / "b"))
    assert refused.exit_code == 1 and "audit trail BROKEN at entry" in refused.output


def test_a_sound_backup_says_its_trail_was_intact(live: Live, tmp_path: Path) -> None:
    done = take_backup(live.database, live.evidence, live.letters, tmp_path / "b")
    assert done.broken == ""
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["audit_trail_when_taken"] == "intact"
    # One file: the check left no log or shared-memory file beside the copy.
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "database.sqlite3", "evidence", "letters", "manifest.json"]


def test_a_broken_trail_in_the_service_is_said_not_raised(live: Live, tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(live.database)) as db, db:
        db.execute("DELETE FROM consultation WHERE id = (SELECT max(id) FROM consultation)")
    done = take_backup(live.database, live.evidence, live.letters, tmp_path / "b")
    assert done.broken.startswith("its audit trail is BROKEN at entry")
    assert "is gone" in done.broken


def test_a_backup_whose_last_entry_is_dated_ahead_says_so_until_an_entry_is_written_right(
        live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry written while the clock read 1 Feb 2027, then the clock set back (the suite's
    28 Nov 2026): `restore` takes such a backup for one whose date was changed. The backup
    says so; once an entry is written with the clock right, a backup restores."""
    database = open_database(live.database)
    crm = next(u for u in users.list_users() if u.role.value == "crm")
    actor = users.resolve_actor(crm.login)
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-01T10:00:00")
    audit.record(actor, "note_written", reason="Written while the server's clock was ahead")
    monkeypatch.setenv("CRM_TUI_NOW", FROZEN_NOW)  # set back
    database.close()
    done = take_backup(live.database, live.evidence, live.letters, tmp_path / "b")
    assert done.broken.startswith("its last audit entry is dated 2027-02-01T10:00:00, after "
                                  "the backup (2026-11-28T10:00:00): the clock was ahead")
    fresh = tmp_path / "elsewhere"
    with pytest.raises(BackupProblem, match="its date was changed"):
        restore(tmp_path / "b", fresh / "crm.sqlite3", fresh / "evidence", fresh / "letters",
                new=True)
    database = open_database(live.database)
    audit.record(actor, "note_written", reason="The next morning's work, the clock right")
    database.close()
    again = take_backup(live.database, live.evidence, live.letters, tmp_path / "c")
    assert again.broken == ""
    restored = restore(tmp_path / "c", fresh / "crm.sqlite3", fresh / "evidence",
                       fresh / "letters", new=True)
    assert any("the server's clock was set ahead" in note for note in restored.notes)
