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
from urllib.parse import urlsplit, urlunsplit

BIN = Path(os.environ.get("CRM_TUI_PG_BIN", "/usr/lib/postgresql/15/bin"))
ENV_URL = "CRM_TUI_TEST_PG"


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
        options = (f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        _run([str(BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
              "-o", options, "-w", "start"])
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        return self.url

    def stop(self) -> None:
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

        connection = psycopg2.connect(self.url)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def create(self, name: str, template: str | None = None) -> str:
        self.drop(name)
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
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
    """Run `command` (`make test-pg`'s pytest) with CRM_TUI_TEST_PG naming a server: the one
    already named, else one cluster started for the whole run (not one per test worker) and
    stopped after it. Where there is neither, say so and succeed: the run is skipped."""
    if os.environ.get(ENV_URL, "").strip():
        return subprocess.run(command, check=False).returncode
    if not (BIN / "initdb").exists():
        print(f"skipped: no PostgreSQL (its programs are not in {BIN}: apt-get install "
              f"postgresql, set CRM_TUI_PG_BIN to where they are, or {ENV_URL}=URL of a "
              "server whose user may create databases)")
        return 0
    with cluster() as made:
        print(f"PostgreSQL: a throwaway cluster at {made.url}, for this run")
        return subprocess.run(command, env={**os.environ, ENV_URL: made.url},
                              check=False).returncode


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
