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
from pathlib import Path

import pytest

from crm_tui.services.retention.backup import BackupProblem
from tests.unit.services.retention.conftest import Live
from tests.unit.services.retention.test_backup import _backup, _hash_tree, _restore


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
        (restriction,) = db.execute("SELECT min(id) FROM restriction").fetchone()
    _edit_copy(backup, "UPDATE restriction SET kind = 'telephone_blocked' "
               f"WHERE id = {restriction}")
    said = _refused(live, backup)
    assert f'restriction {restriction}: "telephone_blocked" is not a restriction kind this ' \
        "version knows" in said


@pytest.mark.parametrize(("fields", "said"), [
    ({"taken_at": "2020-01-01T00:00:00"}, "its date was changed"),
    ({"audit_entries": 3}, "the manifest says the copy holds 3 audit entries"),
    ({"taken_at": "yesterday"}, "is not a date and time"),
], ids=["taken earlier", "entries", "no date"])
def test_a_manifest_field_that_disagrees_with_the_copy_is_refused(
        live: Live, tmp_path: Path, fields: dict[str, object], said: str) -> None:
    backup = _backup(live, tmp_path / "backup")
    _edit_manifest(backup, **fields)
    assert said in _refused(live, backup)
