"""b16e F9: a backup taken before a destruction, restored in place, brought the destroyed
case's personal data back without a word. The restore now names the files the trail of the
database it replaces records destroying since, and refuses unless told to bring them back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case
from crm_tui.services.core import users
from crm_tui.services.retention import schedule
from crm_tui.services.retention.backup import BackupProblem, take_backup
from crm_tui.services.retention.restore import restore
from tests.demo_copies import keep_demo_passphrases
from tests.unit.services.retention.conftest import Live


def _destroy_what_is_due(live: Live, demo_db: Path) -> list[str]:
    # The CRM's signing key (her passphrase confirms a destruction), beside the copy, where
    # the demo's database looks for it.
    signing = live.database.parent / "demo-signing"
    shutil.copytree(demo_db.parent / "demo-signing", signing)
    keep_demo_passphrases(signing)
    database = open_database(live.database)
    try:
        report = schedule.run(users.resolve_actor("ceri.hughes"))  # the demo's CRM
        assert not report.refused and not report.held, (report.refused, report.held)
        return [row.reference for row in report.destroyed]
    finally:
        database.close()


def _cases(live: Live) -> set[str]:
    database = open_database(live.database)
    try:
        return {str(case.reference) for case in Case.select(Case.reference)}
    finally:
        database.close()


def test_a_backup_from_before_a_destruction_is_refused_naming_the_file(
        live: Live, tmp_path: Path, demo_db: Path) -> None:
    backup = tmp_path / "backup"
    take_backup(live.database, live.evidence, live.letters, backup)
    destroyed = _destroy_what_is_due(live, demo_db)
    assert destroyed  # the demo has a file due for destruction
    before = live.database.read_bytes()
    with pytest.raises(BackupProblem) as refused:
        restore(backup, live.database, live.evidence, live.letters)
    said = str(refused.value)
    for reference in destroyed:
        assert f"{reference} (destroyed on " in said
    assert "give --bring-back-destroyed" in said and "nothing was restored or changed" in said
    assert live.database.read_bytes() == before
    assert not set(destroyed) & _cases(live)
    done = restore(backup, live.database, live.evidence, live.letters,
                   bring_back_destroyed=True)
    [note] = [n for n in done.notes if n.startswith("Brought back")]
    assert all(reference in note for reference in destroyed)
    assert "the next `crm-tui retention run` destroys them again" in note
    assert set(destroyed) <= _cases(live)
