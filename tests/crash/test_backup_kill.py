"""A backup killed half-way (issue 16: killed at 0.45 s, DEST held database.sqlite3 and
evidence/ with no manifest: refused by restore, but a whole copy of the personal data left
unnoticed, in the dated folder a cron line makes each night). Now the backup keeps a locked
marker in its folder and says where in the database before it writes; the next command that
writes (or the next backup) removes what a killed one copied.

The kill lands mid-copy: a forked copy of this process takes the backup and dies (SIGKILL)
as it starts copying the letters, the database and the documents already copied."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crm_tui.db import copies
from crm_tui.db.connection import open_database
from crm_tui.db.models import Setting
from crm_tui.services.core import leftovers
from crm_tui.services.retention import backup
from tests.unit.services.retention.conftest import Live, live  # noqa: F401


def _backup_killed_mid_copy(live: Live, dest: Path) -> int:  # noqa: F811
    pid = os.fork()
    if pid == 0:  # the child: backs up, and is killed as it copies the letters
        try:
            copy_folder = backup.copy_folder

            def killed(source: Path, target: Path, *only: Any) -> list[dict[str, Any]]:
                if target.name == backup.LETTERS:
                    os.kill(os.getpid(), signal.SIGKILL)
                return copy_folder(source, target, *only)

            backup.copy_folder = killed
            backup.take_backup(live.database, live.evidence, live.letters, dest)
        finally:
            os._exit(1)  # not killed: the test fails on the status
    return os.waitpid(pid, 0)[1]


def test_a_backup_killed_half_way_is_removed_by_the_next_start(live: Live,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    dest = tmp_path / "nightly" / "2026-11-28"
    dest.parent.mkdir()
    status = _backup_killed_mid_copy(live, dest)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
    assert (dest / backup.DATABASE).is_file() and any((dest / backup.EVIDENCE).iterdir())
    assert not (dest / backup.MANIFEST).exists()
    database = open_database(live.database)
    try:
        swept = leftovers.sweep()  # the next command that writes
        assert swept.backups == 1 and "1 backup cut short (no manifest), removed" in swept.said
        assert not dest.exists()
        assert not Setting.select().where(
            Setting.key.startswith(leftovers.BACKUP_IN_PROGRESS)).exists()
    finally:
        database.close()
    # A backup that finishes leaves neither its marker nor the note of it, here or in the copy.
    done = backup.take_backup(live.database, live.evidence, live.letters, dest)
    assert not (done.folder / leftovers.BACKUP_MARKER).exists()
    assert (done.folder / backup.MANIFEST).is_file()
    database = open_database(live.database)
    try:
        assert not leftovers.sweep().backups and dest.exists()
    finally:
        database.close()



def test_an_account_that_may_only_read_the_database_backs_up_all_the_same(
        live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """(Here as root, a file's mode does not stop a write: the database says it instead.)"""
    put = copies.put_setting

    def read_only(path: Path, *args: Any) -> None:
        if path == live.database:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        put(path, *args)

    monkeypatch.setattr(copies, "put_setting", read_only)
    done = backup.take_backup(live.database, live.evidence, live.letters, tmp_path / "b")
    assert (done.folder / backup.MANIFEST).is_file()
    assert not (done.folder / leftovers.BACKUP_MARKER).exists()
