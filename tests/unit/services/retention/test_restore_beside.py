"""A restore run while another program has the database open (the app, a long import) refuses
in words and changes nothing (round 10, found when tried: it went ahead, the other program's
locks having been dropped by a descriptor of the file closed behind SQLite's back). Real
processes on a real file; the other program does what the app does while it runs: it reads a
page, asks whether the file is encrypted, and stays open."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from crm_tui.config import Config
from crm_tui.services.core import settings
from crm_tui.services.core.database_facts import EVIDENCE_KEY
from crm_tui.services.retention.backup import BackupProblem, take_backup
from crm_tui.services.retention.restore import restore

APP = ("import sys\n"
       "from pathlib import Path\n"
       "from crm_tui.db import cipher\n"
       "from crm_tui.db.connection import open_database\n"
       "db = open_database(sys.argv[1], migrate=False)\n"
       "db.execute_sql('SELECT count(*) FROM audit_entry').fetchone()\n"
       "cipher.is_encrypted(Path(sys.argv[1]))\n"
       "print('open', flush=True)\n"
       "sys.stdin.read()\n")


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "-wal" not in p.name
            and "-shm" not in p.name}


def test_a_restore_beside_another_program_using_the_database_refuses(
        demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "live"
    folder.mkdir()
    database = folder / "crm.sqlite3"
    shutil.copy(demo_db, database)
    shutil.copytree(demo_db.parent / "demo-evidence", folder / "evidence")
    shutil.copytree(demo_db.parent / "demo-letters", folder / "letters")
    with closing(sqlite3.connect(database)) as db, db:
        db.execute("UPDATE setting SET value = ? WHERE key = ?",
                   (str(folder / "evidence"), EVIDENCE_KEY))
    settings.configure(Config(letters_folder=str(folder / "letters"),
                              evidence_folder=str(folder / "evidence")))
    take_backup(database, folder / "evidence", folder / "letters", tmp_path / "backup")
    before = _tree(folder)
    other = subprocess.Popen([sys.executable, "-c", APP, str(database)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "open"
        with pytest.raises(BackupProblem, match=r"is open \(the app, or a command, is using it\)"):
            restore(tmp_path / "backup", database, folder / "evidence", folder / "letters")
    finally:
        other.communicate("", timeout=30)
    assert other.returncode == 0
    assert _tree(folder) == before
    assert not [p for p in folder.iterdir() if "restor" in p.name]
