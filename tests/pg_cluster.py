"""A throwaway PostgreSQL server for the tests that run on PostgreSQL as well as SQLite.

`CRM_TUI_TEST_PG=postgresql://user@host:port/db` uses a server that is already running (its
user must be allowed to create databases). Otherwise a cluster of PostgreSQL 15 is made with
initdb in a temporary folder, started on a free port of 127.0.0.1 only (trust
authentication: nothing but this machine reaches it), and stopped and removed at the end.
Run as root, the server runs as the `postgres` account, in a folder that account can enter
(pytest's own temporary folders are the user's alone).

Each test gets a database of its own, copied from one migrated once (`CREATE DATABASE …
TEMPLATE`), as the SQLite tests copy one migrated file.

`python -m tests.pg_cluster COMMAND…` (`make test-pg`) runs the command with CRM_TUI_TEST_PG
naming one cluster started for the whole run, so that its test workers share it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def _programs() -> Path:
    """Where PostgreSQL's programs are: CRM_TUI_PG_BIN, else the newest of Debian's
    /usr/lib/postgresql/N/bin (the `postgresql` package's version), else 15's."""
    given = os.environ.get("CRM_TUI_PG_BIN", "").strip()
    if given:
        return Path(given)
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")
             if p.parent.parent.name.isdigit()]
    return max(found, key=lambda p: int(p.parent.name)) if found \
        else Path("/usr/lib/postgresql/15/bin")


BIN = _programs()
ENV_URL = "CRM_TUI_TEST_PG"
# The folders of tests that run on PostgreSQL as well as SQLite in `make test` (the data and
# service tests), comma separated; tests elsewhere run on SQLite alone (tests/conftest.py).
ENV_UNDER = "CRM_TUI_TEST_ENGINES_UNDER"
ENV_ENGINES = "CRM_TUI_TEST_ENGINES"


class NoServer(RuntimeError):
    """No PostgreSQL server could be had for the tests."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True,
                          check=False, cwd="/")
    if done.returncode != 0:
        raise NoServer(f"{' '.join(command[:2])} failed: {(done.stderr or done.stdout).strip()}")


def with_database(url: str, name: str) -> str:
    """The server's URL naming the database `name`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


class Cluster:
    """A cluster made for this run (or the server CRM_TUI_TEST_PG names)."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.url = ""
        self._admin: Any = None  # one connection for every CREATE and DROP of the run
        self._admin_pid = 0
        self._copy = ""  # how CREATE DATABASE … TEMPLATE copies, where the server is told

    def start(self) -> str:
        given = os.environ.get(ENV_URL, "").strip()
        if given:
            self.url = given
            return self.url
        if not (BIN / "initdb").exists():
            raise NoServer(f"PostgreSQL's programs are not in {BIN} "
                           "(apt-get install postgresql, or set CRM_TUI_TEST_PG)")
        folder = Path(tempfile.mkdtemp(prefix="crm-tui-pg-", dir="/tmp"))
        self.folder = folder
        data = folder / "data"
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        folder.chmod(0o700)
        port = _free_port()
        _run([str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        # Nothing of a throwaway cluster need outlive a crash, nor be replicated: no fsync,
        # no full pages and the least WAL (a database copied from a template then writes none
        # of its pages to WAL: a third less of the server's time per test), no autovacuum
        # visiting the thousands of short-lived databases.
        options = (f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal "
                   "-c max_wal_senders=0 -c autovacuum=off")
        _run([str(BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
              "-o", options, "-w", "start"])
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        return self.url

    def stop(self) -> None:
        if self._admin is not None:
            with contextlib.suppress(Exception):
                self._admin.close()
            self._admin = None
        if self.folder is None:
            return
        with contextlib.suppress(NoServer):
            _run([str(BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                  "-w", "stop"])
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def admin(self, sql: str) -> None:
        """Say `sql` to the server's maintenance database, outside any transaction."""
        import psycopg2  # type: ignore[import-untyped]

        if self._admin is not None and (self._admin.closed or self._admin_pid != os.getpid()):
            self._admin = None  # broken, or a forked process's copy of its parent's
        if self._admin is None:
            self._admin_pid = os.getpid()
            self._admin = psycopg2.connect(self.url)
            self._admin.autocommit = True
            with self._admin.cursor() as cursor:
                cursor.execute("SHOW server_version_num")
                # From PostgreSQL 15 on a template is copied through WAL unless told
                # otherwise: for a database of ten megabytes, a copy of its files is cheaper.
                self._copy = " STRATEGY FILE_COPY" if int(cursor.fetchone()[0]) >= 150000 \
                    else ""
        with self._admin.cursor() as cursor:
            cursor.execute(sql)

    def create(self, name: str, template: str | None = None) -> str:
        self.drop(name)
        self.admin(f'CREATE DATABASE "{name}"'
                   + (f' TEMPLATE "{template}"{self._copy}' if template else ""))
        return with_database(self.url, name)

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    made = Cluster()
    try:
        made.start()
        yield made
    finally:
        made.stop()


def main(command: list[str]) -> int:
    """Run `command` (a pytest run) with CRM_TUI_TEST_PG naming a server: the one already
    named, else one cluster started for the whole run (not one per test worker) and stopped
    after it.

    `make test-pg`: `python -m tests.pg_cluster PYTEST…`, the tests it names on PostgreSQL;
    where there is no server it says so and succeeds, nothing run.

    `make test`: `python -m tests.pg_cluster --under=FOLDER,FOLDER PYTEST…` runs the whole
    suite on SQLite and the tests under those folders on PostgreSQL as well
    (CRM_TUI_TEST_ENGINES=sqlite,postgresql and CRM_TUI_TEST_ENGINES_UNDER); where there is
    no server it says "PostgreSQL: skipped (no server)" and runs the suite on SQLite alone."""
    under = ""
    if command and command[0].startswith("--under="):
        under, command = command[0].removeprefix("--under="), command[1:]
    both = {ENV_ENGINES: "sqlite,postgresql", ENV_UNDER: under} if under else {}
    if os.environ.get(ENV_URL, "").strip():
        print(f"PostgreSQL: the server {ENV_URL} names" + (f", for the tests under {under}"
                                                            if under else ""))
        return subprocess.run(command, env={**os.environ, **both}, check=False).returncode
    if not (BIN / "initdb").exists():
        why = (f"its programs are not in {BIN}: apt-get install postgresql, set "
               f"CRM_TUI_PG_BIN to where they are, or {ENV_URL}=URL of a server whose user "
               "may create databases")
        if under:
            print(f"PostgreSQL: skipped (no server): {why}")
            return subprocess.run(command, check=False).returncode
        print(f"skipped: no PostgreSQL ({why})")
        return 0
    made = Cluster()
    try:
        try:
            made.start()
        except NoServer as exc:
            if not under:
                raise
            print(f"PostgreSQL: skipped (no server): {exc}")
            return subprocess.run(command, check=False).returncode
        print(f"PostgreSQL: a throwaway cluster at {made.url}, for this run"
              + (f" (the tests under {under})" if under else ""))
        return subprocess.run(command, env={**os.environ, ENV_URL: made.url, **both},
                              check=False).returncode
    finally:
        made.stop()


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
