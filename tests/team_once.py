"""The team of conftest.py's `people` and `actors`, made by the services once per test worker
and put back for each later test that starts where it was made.

Making the team (eight users, each added under the administrator's key, and five personal keys,
each written to a PKCS#12 file under a passphrase and read back to confirm) took a second and
a half of each of the thousand and more tests that ask for it: most of the suite's time. The
first test of a worker makes it through the services, as every test did; what that left (the
database, the data folder with the key files, the passphrases kept in the keyring) is kept, and
a later test is given a copy of it, its passphrases kept again under its own key files' paths.

Only where the copy is the same as what the services would have made: the database is the one
the `db` fixture made, unchanged since it was made (or since `people` returned, for `actors`),
in the same configuration, on the same day, with the same keyring, in an empty data folder,
nothing of the process's own state set otherwise. Anywhere else (a test that configured,
moved the clock or wrote before the team was made) the team is made by the services, as before.
The keys are the same key material in every test of a worker: no test compares keys made by
different tests, and a test that makes a key makes its own.

On PostgreSQL (tests run with --engines naming it) the same, the database kept as a database
of the server made from the test's own (`CREATE DATABASE … TEMPLATE`), and a later test's
made again from that one under its own name; "unchanged" is every row of every table and every
sequence the same, with no other connection to it (which the copy would cut). Where the test
asks for the team straight after `db` (the fixtures asking each other, nothing between), its
database is made from the kept team's at once (`ahead`): one CREATE DATABASE per test, not
one for `db` and one more for each of `people` and `actors`.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import keyring
from peewee import PostgresqlDatabase, SqliteDatabase

from crm_tui import clock, private_files
from crm_tui.config import Config, data_dir
from crm_tui.db.models import database_proxy
from crm_tui.services.core import changes, settings
from crm_tui.services.core.database_facts import signing_folder
from crm_tui.services.core.personal_keys import SERVICE, _keyring_user

# What a copy may stand for: each must be the same as when the team was made.
_OWN_FOLDERS = ("CRM_TUI_DATA_DIR", "CRM_TUI_CONFIG_DIR")


@dataclass(frozen=True)
class _Start:
    """Where the team is made from, as far as its making depends on it."""

    files: tuple[str, ...]  # the data folder's files, relative to it
    now: datetime
    config: Config
    keyring: int  # the keyring in use (by identity: the suite's own in-memory one)
    environment: tuple[tuple[str, str], ...]  # crm-tui's own variables (folders aside), TZ


@dataclass
class _Made:
    start: _Start
    folder: Path  # the database as the team left it, and its data folder
    passphrases: dict[str, str] = field(default_factory=dict)  # login: kept in the keyring


_made: dict[str, _Made] = {}
# The database `db` made, with its count of changes then, or when `people` returned (on
# PostgreSQL, its content).
_unchanged_since: dict[int, object] = {}


class Server(Protocol):
    """What the team needs of the PostgreSQL server the tests use (tests/pg_cluster.Cluster)."""

    def create(self, name: str, template: str | None = None) -> str: ...

    def drop(self, name: str) -> None: ...


_server: Server | None = None
_kept_databases: list[str] = []  # the server databases the teams are kept in


def serve(server: Server | None) -> None:
    """The server the `db` fixture made this test's PostgreSQL database on (None: the test
    is over)."""
    global _server, _ahead
    _server = server
    _ahead = None


@dataclass(frozen=True)
class _Ahead:
    """A test's server database made from a kept team's at once, not from the migrated one
    and then again from the team's (each copy a CREATE DATABASE: most of a test's time on
    the server). `kinds`: the teams it holds ("people", and "actors" after it); `before`:
    for each, the database it would have been made from otherwise, and what the `db`
    fixture then did to it."""

    database: int  # id() of the test's database
    kinds: tuple[str, ...]
    before: dict[str, tuple[str, Callable[[], None]]]


_ahead: _Ahead | None = None


def ahead(wanted: tuple[str, ...], migrated: str, then: Callable[[], None]) -> str | None:
    """The kept server database to make a test's database from, where the test asks for the
    team (`wanted`: "people", or "people" then "actors") straight after `db` and every one is
    kept already, made from where this process is now; else None (made from `migrated`, then
    `then` done to it, as always). `wanted` is only given where nothing can run between the
    `db` fixture and `people`, nor between `people` and `actors` (the fixtures asking each
    other, tests/conftest.py): were the copy not to be used after all, the database is made
    again as it would have been."""
    kinds = tuple(f"{kind}-postgresql" for kind in wanted)
    if not kinds or _server is None or any(kind not in _made for kind in kinds):
        return None
    start = _process_start()
    if start is None or _made[kinds[0]].start != start:
        return None
    before = {kinds[0]: (migrated, then)}
    for earlier, later in itertools.pairwise(kinds):
        before[later] = (_kept_name(_made[earlier].folder), lambda: None)
    global _ahead
    _ahead = _Ahead(0, kinds, before)
    return _kept_name(_made[kinds[-1]].folder)


def ahead_made(database: Any) -> None:
    """The test's database made from ahead()'s is this one."""
    global _ahead
    if _ahead is not None:
        _ahead = _Ahead(id(database), _ahead.kinds, _ahead.before)


def _not_ahead(ahead: _Ahead, kind: str, database: Any) -> None:
    """The team `kind` is to be made by the services after all: the test's database made
    again from where it would have been, the team's copy made ahead gone."""
    global _ahead
    assert _server is not None
    template, then = ahead.before[kind]
    database.close()
    _server.create(database.database, template=template)
    then()
    mark(database)
    _ahead = None


def drop_kept(server: Server) -> None:
    """The teams kept on the server go with the worker's session."""
    while _kept_databases:
        server.drop(_kept_databases.pop())
    for kind in [kind for kind in _made if kind.endswith("-postgresql")]:
        del _made[kind]


def _connection(database: Any) -> sqlite3.Connection | None:
    """The plain SQLite connection of the database bound now, if it is `database` (an
    encrypted one, or another bound since, is never copied over)."""
    if database is not database_proxy.obj or type(database) is not SqliteDatabase:
        return None
    connection = database.connection()
    return connection if isinstance(connection, sqlite3.Connection) else None


def _on_server(database: Any) -> bool:
    """The database bound now is `database`, on the PostgreSQL server the tests use."""
    return (database is database_proxy.obj and isinstance(database, PostgresqlDatabase)
            and _server is not None)


def _version(connection: sqlite3.Connection) -> int:
    """Changes committed to the file by other connections move it (SQLite's data_version)."""
    return int(connection.execute("PRAGMA data_version").fetchone()[0])


_TABLES: list[str] = []  # the schema's tables, the same in every test's database


def _server_state(database: Any) -> object:
    """Every row of every table and every sequence of the server database, hashed in one
    query (None while another connection is open to it: a copy in would cut it)."""
    # The connections kept for the app's workers are this process's, not another's: closed
    # (a copy in would cut them).
    database.close_idle()
    if not _TABLES:
        _TABLES.extend(row[0] for row in database.execute_sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"))
    rows = ", ".join(f"(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "
                     f'FROM "{table}" x)' for table in _TABLES)
    others = ("(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
              "AND pid <> pg_backend_pid() AND backend_type = 'client backend')")
    sequences = ("(SELECT string_agg(sequencename || '=' || coalesce(last_value::text, '-'), "
                 "',' ORDER BY sequencename) FROM pg_sequences WHERE schemaname = 'public')")
    found = database.execute_sql(f"SELECT {others}, {sequences}, {rows}").fetchone()
    return None if found[0] else tuple(found[1:])


def _state(database: Any) -> object:
    """Where the database is now, or None where no team may be copied into it."""
    connection = _connection(database)
    if connection is not None:
        return None if connection.in_transaction else (connection.total_changes,
                                                       _version(connection))
    if _on_server(database) and not database.in_transaction():
        return _server_state(database)
    return None


def mark(database: Any) -> None:
    """The database as it is now is where a team may be made from (or was made)."""
    state = _state(database)
    _unchanged_since.clear()  # only the latest: an id is used again once its object is gone
    if state is not None:
        _unchanged_since[id(database)] = state


def _start(database: Any) -> _Start | None:
    state = _state(database)
    if state is None or _unchanged_since.get(id(database)) != state:
        return None
    # A signing folder of the database's own would be made otherwise than a copy makes it.
    return None if signing_folder() is not None else _process_start()


def _process_start() -> _Start | None:
    """What the team's making depends on outside its database, as it is now."""
    # A team group's folders and files, or audit entries remembered as the program's own,
    # would be made otherwise than a copy makes them.
    if private_files._group is not None or changes._ours is not None:
        return None
    folder = data_dir()
    files = tuple(sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))) \
        if folder.exists() else ()
    environment = tuple(sorted((k, v) for k, v in os.environ.items()
                               if (k.startswith("CRM_TUI_") or k == "TZ")
                               and k not in _OWN_FOLDERS))
    return _Start(files, clock.now(), settings.current(), id(keyring.get_keyring()),
                  environment)


def made(kind: str, database: Any, keep_in: Path, logins: Callable[[], list[str]],
         make: Callable[[], None]) -> None:
    """The team of this `kind` in `database`: copied in where it may be, else `make`d (and
    kept in the folder `keep_in`, for the worker's next tests, where it may be)."""
    start = _start(database)
    # Each engine's kept apart: a test on one is never given the other's.
    kind = f"{kind}-postgresql" if _on_server(database) else kind
    kept = _made.get(kind)
    ahead = _ahead if _ahead is not None and _ahead.database == id(database) else None
    if start is not None and kept is not None and kept.start == start:
        _copy_in(kept, database, database_too=ahead is None or kind not in ahead.kinds)
    else:
        if ahead is not None and kind in ahead.kinds:
            _not_ahead(ahead, kind, database)
        make()
        if start is not None and kind not in _made and _start_after(database, start):
            _made[kind] = _keep(keep_in / kind, start, database, logins())
    mark(database)


def _start_after(database: Any, start: _Start) -> bool:
    """Whether nothing the team's making depends on changed while it was made."""
    return (_state(database) is not None
            and signing_folder() is None and clock.now() == start.now
            and settings.current() == start.config
            and id(keyring.get_keyring()) == start.keyring
            and private_files._group is None and changes._ours is None)


def _keep(folder: Path, start: _Start, database: Any, logins: list[str]) -> _Made:
    folder.mkdir(parents=True, exist_ok=True)  # a keeping cut short before
    if _on_server(database):
        _keep_on_server(folder, database)
    else:
        with sqlite3.connect(folder / "team.sqlite3") as copy:
            database.connection().backup(copy)
        copy.close()
    if data_dir().exists():
        shutil.copytree(data_dir(), folder / "data", symlinks=True)
    store = keyring.get_keyring()
    passphrases = {login: phrase for login in logins
                   if (phrase := store.get_password(SERVICE, _keyring_user(login))) is not None}
    return _Made(start, folder, passphrases)


def _kept_name(folder: Path) -> str:
    """The server database a team is kept in: one per kind, worker and process."""
    return f"crm_tui_team_{folder.name.replace('-', '_')}_{os.getpid()}"


def _keep_on_server(folder: Path, database: Any) -> None:
    # A database is copied only with no connection open to it: this test's is closed for
    # the copy, and opened again on its next query.
    assert _server is not None
    name = _kept_name(folder)
    database.close()
    database.close_idle()
    _server.create(name, template=database.database)
    _kept_databases.append(name)


def _copy_in(kept: _Made, database: Any, database_too: bool = True) -> None:
    if _on_server(database):
        assert _server is not None
        if database_too:
            database.close()
            database.close_idle()
            _server.create(database.database, template=_kept_name(kept.folder))
    else:
        with sqlite3.connect(kept.folder / "team.sqlite3") as source:
            source.backup(database.connection())
        source.close()
    target = data_dir()
    shutil.rmtree(target, ignore_errors=True)
    if (kept.folder / "data").exists():
        shutil.copytree(kept.folder / "data", target, symlinks=True)
    store = keyring.get_keyring()
    for login, phrase in kept.passphrases.items():
        store.set_password(SERVICE, _keyring_user(login), phrase)
