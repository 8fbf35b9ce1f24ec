"""A PostgreSQL database whose connections a worker's read closes are kept for the next one.

Every read the app does in a thread worker opens the database for that block and closes it
after (`services.core.database.session`). On SQLite that opens a file; on a server it starts
a new server process for the login (connection, authentication, the process's start): 3 ms
on an idle machine, 20 to 90 ms on a loaded one, on every screen opened, every page of the
log sheet, every month of the calendar, before its first query. Here the connection such a
block closes (`connection_context`) is kept, idle, for the next block to take: a few at
most, one per worker thread that reads at the same time, each closed once unused for
IDLE_SECONDS (an app left open holds no more of the server's connections than before).
`close()` itself still closes:
whoever closes a database to copy it, drop it or be done with it has it closed.

A connection is kept only as it was when opened: no transaction open in it (or failed), not
closed. One taken again is checked without a round trip: a connection the server ended
meanwhile (restarted, its administrator's `pg_terminate_backend`, a template copy asking
everyone to leave) has said so on its socket, and is closed and replaced by a new one.
Nothing of a session is set on the app's connections (each transaction says its own
isolation, the write lock is the transaction's), so one thread's connection serves another's
read as it would have served its own. Connections taken by `_connect` itself (the committed
view, the outside-changes watcher) are closed by their users as before.
"""

from __future__ import annotations

import contextlib
import select
import threading
import time
from typing import Any

from peewee import ConnectionContext, PostgresqlDatabase

# One per worker thread reading at the same time: Textual's thread workers run in the event
# loop's default executor, of at most min(32, cores + 4) threads.
KEPT = 4
# A kept connection unused this long is closed: a team's apps left open hold the server's
# connections (max_connections, 100 by default) only while someone works in them.
IDLE_SECONDS = 30.0


def _reusable(conn: Any) -> bool:
    """Open, idle (no transaction open or failed), and with nothing on its socket: an idle
    connection is told nothing unasked, except that the server is ending it."""
    import psycopg2.extensions  # type: ignore[import-untyped]

    try:
        if conn.closed or (conn.get_transaction_status()
                           != psycopg2.extensions.TRANSACTION_STATUS_IDLE):
            return False
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except Exception:  # a socket already gone
        return False
    return not readable


class _Kept(ConnectionContext):
    """`connection_context()`: the connection the block opened is kept when it ends."""

    def __exit__(self, *exc: object) -> None:
        self.db._state.ctx.pop()
        if not self.db._state.ctx:
            self.db.close_kept()


class ServerDatabase(PostgresqlDatabase):
    """PostgreSQL, the connection a worker's read closes kept for the next (module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle: list[Any] = []
        self._since: dict[int, float] = {}  # when each kept connection was kept
        self._sweeper: threading.Timer | None = None
        self._idle_lock = threading.Lock()
        self._keeping = threading.local()
        self.opened = 0  # connections made to the server: for the tests and benchmarks

    def connection_context(self) -> Any:
        return _Kept(self)

    def close_kept(self) -> bool:
        """Close this thread's connection as `close()` does, but keep it for the next
        thread's read where it can be."""
        self._keeping.on = True
        try:
            return bool(self.close())
        finally:
            self._keeping.on = False

    def _connect(self) -> Any:
        while True:
            with self._idle_lock:
                conn = self._idle.pop() if self._idle else None
                self._since.pop(id(conn), None)
            if conn is None:
                break
            if _reusable(conn):
                return conn
            self._close_quietly(conn)
        self.opened += 1
        return super()._connect()  # type: ignore[misc]

    def _close(self, conn: Any) -> None:
        if getattr(self._keeping, "on", False) and _reusable(conn):
            with self._idle_lock:
                if len(self._idle) < KEPT:
                    self._idle.append(conn)
                    self._since[id(conn)] = time.monotonic()
                    self._sweep_later()
                    return
        super()._close(conn)  # type: ignore[misc]

    def _sweep_later(self) -> None:
        """(With the lock held.) Look for connections kept too long, once they may be."""
        if self._sweeper is None:
            self._sweeper = threading.Timer(IDLE_SECONDS, self._sweep)
            self._sweeper.daemon = True
            self._sweeper.start()

    def _sweep(self) -> None:
        now = time.monotonic()
        with self._idle_lock:
            self._sweeper = None
            stale = [conn for conn in self._idle
                     if now - self._since.get(id(conn), now) >= IDLE_SECONDS]
            self._idle = [conn for conn in self._idle if conn not in stale]
            for conn in stale:
                self._since.pop(id(conn), None)
            if self._idle:
                self._sweep_later()
        for conn in stale:
            self._close_quietly(conn)

    def close_idle(self) -> None:
        """Close the connections kept for later (this database is done with)."""
        with self._idle_lock:
            kept, self._idle = self._idle, []
            self._since.clear()
            if self._sweeper is not None:
                self._sweeper.cancel()
                self._sweeper = None
        for conn in kept:
            self._close_quietly(conn)

    @staticmethod
    def _close_quietly(conn: Any) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing to close
            conn.close()
