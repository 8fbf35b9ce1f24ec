"""Where the benchmarks' databases are: files in benchmarks/.data (SQLite), or databases on a
PostgreSQL server named by `--db` (the demo there; the others made from it as templates).

Each database is built once and kept: the demo by `crm-tui demo`, the large one by
`crm-tui seed`, the evidence and calendar ones by adding rows to a copy of the demo. A run that
changes what it measures (a letter issued, a review session started) works on a fresh copy."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

CRM_TUI = str(Path(sys.executable).with_name("crm-tui"))
NOW = "2026-11-28T10:00:00"
BIG_CUSTOMERS, BIG_CONTACTS = 100_000, 5_000_000


class Store:
    def __init__(self, data: Path, url: str | None = None) -> None:
        self.data = data
        self.url = url
        self.engine = "postgresql" if url else "sqlite"
        self._demo_checked = False
        data.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items()
                     if k not in ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")}
        return {**inherited, "CRM_TUI_NOW": NOW,
                # Warm means compiled too: an installed crm-tui has its bytecode, and with
                # PYTHONDONTWRITEBYTECODE set (as on this project's machine) every start
                # compiled some 500 modules from source. Kept with the benchmarks' data.
                "PYTHONPYCACHEPREFIX": str(self.data / "pycache"),
                "CRM_TUI_DATA_DIR": str(self.data),
                "CRM_TUI_CONFIG_DIR": str(self.data / "config"), "TERM": "xterm-256color",
                # The demo keeps its signing passphrase in a keyring: never in yours.
                "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}

    # -- names ---------------------------------------------------------------------------
    def target(self, name: str) -> str:
        """The database called `name` ("demo", "evidence-15k"): a file, or a database on the
        server beside the one `--db` names."""
        if self.url is None:
            return str(self.data / f"{name}.sqlite3")
        parts = urlsplit(self.url)
        base = parts.path.lstrip("/") or "crm_tui_bench"
        database = base if name == "demo" else f"{base}_{name.replace('-', '_')}"
        return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))

    def exists(self, name: str) -> bool:
        if self.url is None:
            return Path(self.target(name)).exists()
        return bool(self._server(f"SELECT 1 FROM pg_database WHERE datname = "
                                 f"'{self._name(name)}'"))

    def _name(self, name: str) -> str:
        return urlsplit(self.target(name)).path.lstrip("/")

    def _server(self, sql: str) -> list[tuple[object, ...]]:
        """`sql` said to the server's maintenance database, outside any transaction."""
        import psycopg2  # type: ignore[import-untyped]

        assert self.url is not None
        parts = urlsplit(self.url)
        connection = psycopg2.connect(urlunsplit((parts.scheme, parts.netloc, "/postgres",
                                                  parts.query, "")))
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall()) if cursor.description else []
        finally:
            connection.close()

    # -- built once ----------------------------------------------------------------------
    def demo(self) -> str:
        """The demo, built by `crm-tui demo` when it needs building (it says so); on a
        server, in the database `--db` names, which must be there (empty, or the demo)."""
        if not self._demo_checked and (self.url is not None or not self.exists("demo")):
            subprocess.run([CRM_TUI, "demo", "--db", self.target("demo"), "--no-launch"],
                           check=True, env=self.env())
        self._demo_checked = True
        return self.target("demo")

    def big(self) -> str:
        """The demo with 100,000 customers and 5,000,000 contacts added by `crm-tui seed`."""
        if not self.exists("big"):
            self.copy("demo", "big")
            subprocess.run([CRM_TUI, "seed", "--customers", str(BIG_CUSTOMERS), "--contacts",
                            str(BIG_CONTACTS), "--db", self.target("big")],
                           check=True, env=self.env())
        return self.target("big")

    def derived(self, name: str, build: Callable[[str], None], source: str = "demo") -> str:
        """A copy of `source` with rows added by `build(target)`, made once and kept."""
        if not self.exists(name):
            self.copy(source, name)
            try:
                build(self.target(name))
            except BaseException:
                self.drop(name)
                raise
        return self.target(name)

    # -- copies --------------------------------------------------------------------------
    def copy(self, source: str, name: str) -> str:
        """A copy of the database `source` as `name` (replacing one there)."""
        self.drop(name)
        if self.url is None:
            shutil.copy(self.target(source), self.target(name))
        else:
            # A template must have no one connected: this process's own connection (the
            # app's, left bound after a benchmark) is closed, and any other ended.
            from crm_tui.db.models import database_proxy

            with contextlib.suppress(Exception):
                if database_proxy.obj is not None:
                    database_proxy.obj.close()
                    database_proxy.obj.close_idle()  # kept for the app's workers
            self._server("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                         f"datname = '{self._name(source)}' AND pid <> pg_backend_pid()")
            self._server(f'CREATE DATABASE "{self._name(name)}" TEMPLATE '
                         f'"{self._name(source)}"')
        return self.target(name)

    def drop(self, name: str) -> None:
        if self.url is None:
            # A run killed half-way leaves the copy's journal beside it: never replayed
            # into the next copy made under that name.
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(self.target(name) + suffix).unlink(missing_ok=True)
        else:
            self._server(f'DROP DATABASE IF EXISTS "{self._name(name)}" WITH (FORCE)')
