"""Changes committed by another program on the same database (a log sheet imported with
`crm-tui import log-sheet` in another terminal, a second copy of the app), told to this one's
listeners (`changes`) as if made here, so that every screen shows them without F5.

SQLite's `PRAGMA data_version`, asked on a connection of its own, changes when any other
connection commits. About once a second it is asked; when it has changed, the audit entries
written since the last one seen are read, and each that names a case and was not written by
this program is told. Every change to a case writes its audit entry, so nothing is missed.
Runs on a daemon thread of its own: never on the caller's (the UI's event loop).

On PostgreSQL, the highest audit entry number, asked on a connection of its own, stands for
SQLite's data_version: every change that concerns a listener writes an entry.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from peewee import PostgresqlDatabase, SqliteDatabase

from crm_tui.db import cipher
from crm_tui.db.models import AuditEntry, database_proxy
from crm_tui.services.core import changes, grants
from crm_tui.services.core.changes import Change

EVERY_SECONDS = 1.0


class OutsideChanges:
    """Looks for commits made by other connections to the database file at `path`."""

    # What a look may meet and look again after (None: the file's, cipher.failures, asked
    # for when met: SQLCipher's errors are among them once it is imported).
    failures: tuple[type[BaseException], ...] | None = None

    def __init__(self, path: str | Path, every: float = EVERY_SECONDS) -> None:
        self.path = str(path)
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: Any = None
        self._version: int | None = None
        self._keeping = False
        self.last_seen = 0

    @classmethod
    def for_open_database(cls, every: float = EVERY_SECONDS) -> OutsideChanges | None:
        """For the database the models are bound to, if it is an SQLite file (None else)."""
        db = database_proxy.obj
        if isinstance(db, PostgresqlDatabase):
            return _OnServer(db, every)
        if not isinstance(db, SqliteDatabase) or db.database in ("", ":memory:"):
            return None
        return cls(db.database, every)

    def _connect(self) -> Any:
        if self._connection is None:
            # Autocommit: a read holds no transaction open, so each look sees the latest
            # commit; the thread that made it is the only one to use it.
            self._connection = cipher.connect(Path(self.path), isolation_level=None,
                                              check_same_thread=False, timeout=5.0)
            self._version = self._data_version()
            self.last_seen = self._last_entry()
        return self._connection

    def _data_version(self) -> int:
        assert self._connection is not None
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def _last_entry(self) -> int:
        assert self._connection is not None
        row = self._connection.execute(
            f'SELECT MAX(seq) FROM "{AuditEntry._meta.table_name}"').fetchone()
        return int(row[0] or 0)

    def _entries_after(self, connection: Any, seq: int) -> list[Any]:
        rows: list[Any] = connection.execute(
            f'SELECT seq, case_reference, action FROM "{AuditEntry._meta.table_name}" '
            "WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
        return rows

    def start_watching(self) -> None:
        """Remember from now which entries this program writes (call before `poll`)."""
        if not self._keeping:
            changes.keep_ours(True)
            self._keeping = True
        self._connect()

    def poll(self) -> list[Change]:
        """One look: the changes committed elsewhere since the last look, told to the
        listeners, and returned."""
        connection = self._connect()
        version = self._data_version()
        if version == self._version:
            return []
        self._version = version
        rows = self._entries_after(connection, self.last_seen)
        # A change of who may act names no case, and is told too: the app may be acting as
        # the person whose access was just ended (grants).
        found = [Change(reference or "", action) for seq, reference, action in rows
                 if (reference or action in grants.ACCESS_CHANGES)
                 and not changes.ours(int(seq))]
        if rows:
            self.last_seen = int(rows[-1][0])
            changes.forget_ours_up_to(self.last_seen)
        # Stopped meanwhile (its app closed while it looked): its news is for no one now, and
        # the listeners may be another app's, on another database, by then.
        if found and not self._stop.is_set():
            changes.tell(found)
        return found

    def start(self) -> None:
        """Look about every `every` seconds on a daemon thread, until `stop`."""
        self.start_watching()
        self._thread = threading.Thread(target=self._run, name="outside-changes", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.poll()
            except self._failures():
                continue  # the file (or server) busy or gone for a moment: look again

    def _failures(self) -> tuple[type[BaseException], ...]:
        return self.failures if self.failures is not None else cipher.failures()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2 * self.every + 1)
        if self._keeping:
            changes.keep_ours(False)
            self._keeping = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _OnServer(OutsideChanges):
    """The same looks at a PostgreSQL database, on a connection of its own (autocommit: each
    look sees the latest commit)."""

    def __init__(self, db: PostgresqlDatabase, every: float) -> None:
        import psycopg2  # type: ignore[import-untyped]

        super().__init__(db.database, every)
        self.failures = (psycopg2.Error, OSError)
        self._open: Any = db._connect  # type: ignore[attr-defined]  # same server and login

    def _connect(self) -> Any:
        if self._connection is None:
            self._connection = self._open()
            self._connection.autocommit = True
            self._version = self._data_version()
            self.last_seen = self._last_entry()
        return self._connection

    def _ask(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        assert self._connection is not None
        with self._connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def _data_version(self) -> int:
        return self._last_entry()

    def _last_entry(self) -> int:
        rows = self._ask(f'SELECT MAX(seq) FROM "{AuditEntry._meta.table_name}"')
        return int(rows[0][0] or 0)

    def _entries_after(self, connection: Any, seq: int) -> list[Any]:
        return self._ask(f'SELECT seq, case_reference, action FROM '
                         f'"{AuditEntry._meta.table_name}" WHERE seq > %s ORDER BY seq', (seq,))
