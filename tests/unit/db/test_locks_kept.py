"""The app's SQLite locks on its database hold while it runs (round 10, found when tried: a
command run beside the app deleted the app's write-ahead log, and the next change in the app
corrupted the database). Closing any descriptor of a file drops every POSIX lock the process
holds on it, so the app never reads the header of a database it has open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crm_tui.db import cipher
from crm_tui.db.connection import open_database

OTHER_PROGRAM = ("import sqlite3, sys\n"
                 "c = sqlite3.connect(sys.argv[1])\n"
                 "c.execute('SELECT count(*) FROM sqlite_master').fetchone()\n"
                 "c.close()\n")


def test_a_program_beside_the_app_never_deletes_its_write_ahead_log(db: object,
                                                                      db_path: Path) -> None:
    database = open_database(db_path)
    database.execute_sql("CREATE TABLE probe (x INTEGER)")
    database.execute_sql("INSERT INTO probe VALUES (1)")
    wal = Path(f"{db_path}-wal")
    assert wal.exists()
    # What the app does while it runs: its watcher of outside changes connects, and it asks
    # whether the file is encrypted (for a copy, a peek, a backup).
    cipher.connect(db_path, isolation_level=None).close()
    assert not cipher.is_encrypted(db_path)
    subprocess.run([sys.executable, "-c", OTHER_PROGRAM, str(db_path)], check=True)
    assert wal.exists()  # the other program did not take itself for the last user
    database.execute_sql("INSERT INTO probe VALUES (2)")
    [(ok,)] = database.execute_sql("PRAGMA integrity_check").fetchall()
    assert ok == "ok"
