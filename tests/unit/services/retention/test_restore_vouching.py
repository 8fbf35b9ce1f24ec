"""`restore` holds the copy to the same checks as `audit verify` before it replaces anything,
checks its rows can be read by this version, and repeats no manifest field unchecked (issue
16, b16a F2 and F7): a backup whose decision and restriction were edited, its manifest
recomputed, was restored as "audit trail intact"; an unknown restriction kind then crashed
`crm-tui cases`; an edited date and count in the manifest were printed as fact."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.domain.restrictions import named
from crm_tui.services.core import audit, users
from crm_tui.services.retention.backup import BackupProblem
from tests.conftest import FROZEN_NOW
from tests.unit.services.retention.conftest import Live
from tests.unit.services.retention.test_backup import (
    _backup,
    _configured,
    _hash_tree,
    _restore,
)


def _edit_copy(backup: Path, *statements: str) -> None:
    """Edit the backup's database and make the manifest agree with it, as a forger would."""
    copy = backup / "database.sqlite3"
    with contextlib.closing(sqlite3.connect(copy)) as db, db:
        for statement in statements:
            db.execute(statement)
    _edit_manifest(backup, database=True)


def _edit_manifest(backup: Path, database: bool = False, **fields: object) -> None:
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest.update(fields)
    if database:
        copy = backup / "database.sqlite3"
        entry = next(f for f in manifest["files"] if f["path"] == "database.sqlite3")
        entry["sha256"] = hashlib.sha256(copy.read_bytes()).hexdigest()
        entry["size"] = copy.stat().st_size
    (backup / "manifest.json").write_text(json.dumps(manifest))


def _refused(live: Live, backup: Path) -> str:
    before = _hash_tree(live.database.parent)
    with pytest.raises(BackupProblem, match="nothing was restored or changed") as refused:
        _restore(live, backup)
    assert _hash_tree(live.database.parent) == before
    return str(refused.value)


def test_a_copy_whose_decision_was_edited_is_refused(live: Live, tmp_path: Path) -> None:
    backup = _backup(live, tmp_path / "backup")
    with contextlib.closing(sqlite3.connect(backup / "database.sqlite3")) as db:
        decision, reference = db.execute(
            'SELECT d.id, c.reference FROM decision d JOIN "case" c ON c.id = d.case_id '
            "WHERE d.action = 'impose_restrictions' ORDER BY d.id LIMIT 1").fetchone()
    _edit_copy(backup, "UPDATE decision SET reason = 'Customer was rude once', "
               f"ends_on = '2036-12-11' WHERE id = {decision}")
    said = _refused(live, backup)
    assert f"decision {decision} of {reference} is not as entry" in said


def test_a_copy_with_a_kind_this_version_cannot_read_is_refused(live: Live,
                                                                tmp_path: Path) -> None:
    backup = _backup(live, tmp_path / "backup")
    with contextlib.closing(sqlite3.connect(backup / "database.sqlite3")) as db:
        restriction, reference = db.execute(
            'SELECT r.id, c.reference FROM restriction r JOIN "case" c ON c.id = r.case_id '
            "ORDER BY r.id LIMIT 1").fetchone()
    _edit_copy(backup, "UPDATE restriction SET kind = 'telephone_blocked' "
               f"WHERE id = {restriction}")
    said = _refused(live, backup)
    # Named by its case, never by its row's number (b15e F10: read as one of the six kinds).
    assert f'a restriction of {reference}: "telephone_blocked" is not a restriction kind ' \
        "this version knows" in said
    assert f"restriction {restriction}:" not in said


def test_a_copy_whose_restriction_terms_cannot_be_read_is_refused_naming_its_kind(
        live: Live, tmp_path: Path) -> None:
    backup = _backup(live, tmp_path / "backup")
    with contextlib.closing(sqlite3.connect(backup / "database.sqlite3")) as db:
        restriction, kind, reference = db.execute(
            'SELECT r.id, r.kind, c.reference FROM restriction r JOIN "case" c '
            "ON c.id = r.case_id ORDER BY r.id LIMIT 1").fetchone()
    _edit_copy(backup, f"UPDATE restriction SET parameters = '[1, 2' WHERE id = {restriction}")
    said = _refused(live, backup)
    assert f"{named(kind)} of {reference}: its terms are not readable" in said
    assert f"restriction {restriction}:" not in said


# Tester v16 N7: a date not come yet was repeated as the backup's date.
LATER_THIS_MONTH = (datetime.fromisoformat(FROZEN_NOW) + timedelta(days=26)).isoformat()


@pytest.mark.parametrize(("fields", "said"), [
    ({"taken_at": "2020-01-01T00:00:00"}, "its date was changed"),
    ({"audit_entries": 3}, "the manifest says the copy holds 3 audit entries"),
    ({"taken_at": "yesterday"}, "is not a date and time"),
    # Tester b16c F7: said to be tampering ("its date was changed") where the clock may
    # have been ahead when it was taken.
    ({"taken_at": LATER_THIS_MONTH},
     f"the manifest dates the backup {LATER_THIS_MONTH}, after now"),
], ids=["taken earlier", "entries", "no date", "in the future"])
def test_a_manifest_field_that_disagrees_with_the_copy_is_refused(
        live: Live, tmp_path: Path, fields: dict[str, object], said: str) -> None:
    backup = _backup(live, tmp_path / "backup")
    _edit_manifest(backup, **fields)
    refused = _refused(live, backup)
    assert said in refused
    # The database holds: the manifest is what is wrong, and the heading says so.
    assert refused.startswith("the backup's manifest does not agree with its database")
    assert "does not hold" not in refused


def test_a_manifest_dated_after_now_may_be_the_clock_ahead(live: Live, tmp_path: Path,
                                                           acting_as: Any) -> None:
    backup = _backup(live, tmp_path / "backup")
    _edit_manifest(backup, taken_at=LATER_THIS_MONTH)
    refused = _refused(live, backup)
    assert "the date was edited, or the clock was ahead when it was taken" in refused
    assert "its date was changed" not in refused
    said = CliRunner().invoke(main, [*_configured(live, tmp_path), "restore", str(backup),
                                     "--db", str(live.database)])
    out = " ".join(said.output.split())
    assert said.exit_code == 1 and "the backup's manifest does not agree with its database" in out
    assert "the clock was ahead when it was taken" in out


def _written_with_the_clock_ahead(live: Live) -> str:
    """The live trail as a server's whose clock was once set ahead: one entry written in
    2033, then the clock put right and one written now. Returns the entry's date."""
    ahead = datetime(2033, 1, 2, 10, 0)
    database = open_database(live.database)
    actor = users.resolve_actor(next(u for u in users.list_users()
                                     if u.role.value == "crm").login)
    with clock.travel_to(ahead):
        audit.record(actor, "test_write", reason="with the clock set ahead")
    audit.record(actor, "test_write", reason="the clock put right")
    assert audit.verify().backwards  # what `audit verify` notes
    database.close()
    return ahead.isoformat()


def test_a_backup_after_the_clock_was_set_back_restores_and_says_so(
        live: Live, tmp_path: Path) -> None:
    """Tester v16 N8: after one entry written with the clock ahead, every later backup was
    refused as "its date was changed"; `audit verify` only notes it. The backup's date is
    held to the last entry written, and the entry dated later is said."""
    ahead = _written_with_the_clock_ahead(live)
    backup = _backup(live, tmp_path / "backup")
    done = _restore(live, backup)
    [said] = [note for note in done.notes if "set ahead" in note]
    assert f"entries dated after the backup (the latest {ahead})" in said
    assert done.last_entry_at == clock.now().isoformat()


def test_a_backup_date_edited_before_its_last_entry_is_refused_though_the_clock_was_set_back(
        live: Live, tmp_path: Path) -> None:
    """N8's tolerance is no way round the check: a date before the last entry written is
    still a date changed."""
    _written_with_the_clock_ahead(live)
    backup = _backup(live, tmp_path / "backup")
    edited = (clock.now() - timedelta(days=1)).isoformat()
    _edit_manifest(backup, taken_at=edited)
    assert f"the manifest dates the backup {edited}, before the copy's last audit entry " \
        f"({clock.now().isoformat()}): its date was changed" in _refused(live, backup)
