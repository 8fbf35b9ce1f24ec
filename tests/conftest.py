"""Shared fixtures: a fresh database file per test, a frozen clock, one user per role."""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import hypothesis
import keyring
import keyring.backend
import pytest

from crm_tui import clock
from crm_tui.config import Config
from crm_tui.db.connection import open_database
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import identity, settings, users
from crm_tui.services.core.database_facts import EVIDENCE_KEY, SIGNING_KEY
from tests import isolation, parsed_css, pg_cluster, team_once
from tests.demo_again import DemoAgain, made_once

FROZEN_NOW = "2026-11-28T10:00:00"
COMPUTER_NOW = datetime(2100, 1, 1, 9, 0)  # frozen_clock
# Hypothesis keeps a cache in .hypothesis/ of the working folder; tests write only into
# temporary folders.
# The folder is removed when the process that made it ends (each run left one in /tmp).
if "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = _hypothesis_dir = tempfile.mkdtemp(
        prefix="crm-tui-hypothesis-")
    atexit.register(shutil.rmtree, _hypothesis_dir, ignore_errors=True)
# The property tests' sizes: a few examples each in the suite (seconds in all), thousands in
# `make test-fuzz` (HYPOTHESIS_PROFILE=fuzz). A database per test, not per example: the
# tests that write check after each example that a refusal changed nothing.
hypothesis.settings.register_profile(
    "suite", max_examples=25, deadline=None, database=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture,
                           hypothesis.HealthCheck.too_slow])
hypothesis.settings.register_profile(
    "fuzz", max_examples=2_000, deadline=None, database=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture,
                           hypothesis.HealthCheck.too_slow,
                           hypothesis.HealthCheck.data_too_large])
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


class MemoryKeyring(keyring.backend.KeyringBackend):
    """The tests' keyring: in memory, never the user's own, never a file."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


keyring.set_keyring(MemoryKeyring())


ENGINES_KEY = "CRM_TUI_TEST_ENGINES"
ENGINES = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engines", default=None,
        help="the database engines the tests using the `db` fixture run on, comma separated: "
             "sqlite (the default), postgresql, or both (also CRM_TUI_TEST_ENGINES). "
             "PostgreSQL: a throwaway cluster (tests/pg_cluster.py), or CRM_TUI_TEST_PG=URL.")
    parser.addoption(
        "--engines-under", default=None,
        help="only the tests under these folders (comma separated, from the checkout) run on "
             "the engines other than SQLite; the rest on SQLite alone (also "
             "CRM_TUI_TEST_ENGINES_UNDER; `make test`: the data and service tests)")


def _engines(config: pytest.Config) -> list[str]:
    given = config.getoption("--engines") or os.environ.get(ENGINES_KEY) or "sqlite"
    names = [name.strip() for name in given.split(",") if name.strip()]
    unknown = sorted(set(names) - set(ENGINES))
    if unknown:
        raise pytest.UsageError(f"unknown engine {unknown[0]!r}: choose from {', '.join(ENGINES)}")
    return names


def _under(config: pytest.Config) -> list[Path]:
    given = config.getoption("--engines-under") or os.environ.get(pg_cluster.ENV_UNDER) or ""
    return [(config.rootpath / name.strip()).resolve() for name in given.split(",")
            if name.strip()]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """With engines other than SQLite alone, each test using `db` runs once on each (its
    id ends [sqlite] or [postgresql]); with SQLite alone the ids are as they always were.
    With --engines-under, a test outside those folders runs on SQLite alone, as always."""
    engines = _engines(metafunc.config)
    under = _under(metafunc.config)
    if under and not any(metafunc.definition.path.resolve().is_relative_to(folder)
                         for folder in under):
        engines = ["sqlite"]
    # `engine` is asked by the `db` fixture (not by a module's own fixture of that name).
    if engines != ["sqlite"] and "engine" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")
        gap = metafunc.definition.get_closest_marker("not_yet_on_postgresql")
        if only is None and gap is None:
            metafunc.parametrize("engine", engines, indirect=True)
            return
        # What is SQLite's alone (its file, WAL, secure_delete, the file's encryption), or
        # what the app does not do on PostgreSQL yet, is skipped on the other engines, its
        # reason said in the run's summary.
        reason = (f"SQLite only: {' '.join(map(str, only.args)) or 'no reason given'}"
                  if only is not None else
                  f"not yet on PostgreSQL: {' '.join(map(str, gap.args)) or 'no reason given'}")
        metafunc.parametrize("engine", [
            name if name == "sqlite" else pytest.param(name, marks=pytest.mark.skip(reason=reason))
            for name in engines], indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg_cluster.Cluster]:
    """A PostgreSQL server for this worker, started when a test first needs it."""
    try:
        with pg_cluster.cluster() as server:
            yield server
    except pg_cluster.NoServer as exc:
        pytest.fail(f"no PostgreSQL server for the tests: {exc}")


def _worker(request: pytest.FixtureRequest) -> str:
    return str(getattr(request.config, "workerinput", {}).get("workerid", "main"))


@pytest.fixture(scope="session")
def pg_migrated(pg_server: pg_cluster.Cluster, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty PostgreSQL database with every migration applied, made once per worker: each
    test's database is created from it as a template. Dropped at the end, with the teams
    kept (on a server CRM_TUI_TEST_PG names, nothing of the run stays)."""
    name = f"crm_tui_migrated_{_worker(request)}_{os.getpid()}"
    settings.configure(Config())
    open_database(pg_server.create(name)).close()
    try:
        yield name
    finally:
        team_once.drop_kept(pg_server)
        pg_server.drop(name)


_pg_tests = iter(range(1, 10**9))


def pytest_configure(config: pytest.Config) -> None:
    """Before any fixture, of any scope: the run's own home and data folders, and the guard
    that fails a test writing outside the temporary folders (tests/isolation.py); and
    Textual's stylesheets parsed once for the process, not once per app (tests/parsed_css.py:
    a quarter of the time of each app a Pilot test starts)."""
    config.addinivalue_line(
        "markers", "sqlite_only(reason): a test of what only SQLite has (its file, WAL, "
                   "secure_delete, the file's encryption): with --engines naming another engine, "
                   "skipped there with the reason")
    config.addinivalue_line(
        "markers", "not_yet_on_postgresql(reason): what the app does not do on PostgreSQL "
                   "yet (backup and restore of the SQLite file, say): skipped there with the "
                   "reason, until the app does it")
    isolation.guard(isolation.isolate())
    parsed_css.parse_once()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The run fails if anything was written outside its temporary folders, even where the
    refusal was caught and the test passed."""
    isolation.finish(session)


@pytest.fixture(autouse=True, scope="session")
def computer_clock() -> Iterator[None]:
    """The suite's computer clock is never behind the app's, wherever a test moves that (years
    ahead to destroy a file; to the end of an appeal period and back), so that destruction's
    check of the two clocks never decides a test that does not ask it, and the real day
    never does (the shared demo, built once, destroys a file too). The tests of that check
    set the computer's clock themselves (test_destruction_clock)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "computer_now", lambda: COMPUTER_NOW)
        yield


@pytest.fixture(autouse=True, scope="session")
def stamp_font_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The signing stamp's font cut once per test worker, not once per test: the app keeps it
    in its data folder's cache (letters/signing.py), which is each test's own, so every test
    that signed a letter cut the shipped font again (fontTools, a tenth of a CPU second; a
    test signing letters at all sizes on a loaded machine, seconds). Each test's data folder
    still gets its own file, where the app looks for it and under the app's own name: a copy
    of the one this worker cut, from the same font and letters."""
    from crm_tui.letters import signing
    from crm_tui.private_files import write_private

    cut = signing._stamp_font  # cached per (folder, letters) in the process, as the app's
    folder = tmp_path_factory.mktemp("stamp-fonts")

    @functools.cache
    def copied(cache_dir: Path, extra: str) -> Path:
        made = cut(folder, extra)
        target = cache_dir / made.name
        if target.is_file():
            return target
        return write_private(target, lambda path: shutil.copyfile(made, path))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing, "_stamp_font", copied)
        yield


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CRM_TUI_NOW", FROZEN_NOW)
    monkeypatch.setenv("TZ", "Europe/London")
    monkeypatch.setenv("CRM_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CRM_TUI_DATA_DIR", str(tmp_path / "data"))
    settings.configure(Config())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database with every migration applied, made once per test worker: each
    test's `db` starts as a copy of it. Applying the migrations took most of a second, and a
    thousand tests start from an empty database (a fifth of the suite's time)."""
    path = tmp_path_factory.mktemp("migrated") / "empty.sqlite3"
    # Plain, whatever the test before it configured (made before this test's own settings;
    # an encrypted copy under every later test of the worker was seen once).
    settings.configure(Config())
    open_database(path).close()
    return path


@pytest.fixture
def db(db_path: Path, engine: str, request: pytest.FixtureRequest) -> Iterator[object]:
    if engine == "postgresql":
        yield from _pg_db(request)
        return
    shutil.copyfile(request.getfixturevalue("migrated"), db_path)
    database = open_database(db_path)
    users.ensure_service_areas(Config().service_areas)
    team_once.mark(database)  # where `people` may copy the team in (tests/team_once.py)
    yield database
    database.close()


def _team_asked(request: pytest.FixtureRequest) -> tuple[str, ...]:
    """The teams asked for straight after `db`, with nothing between: `db` asked for by this
    file's `people` (whose only other fixture, `team_folder`, writes nothing), itself asked
    for by this file's `actors` or not. Any other way (a test asking for `db` itself, a
    fixture of its own before `people`, a folder's own `actors`), none: what runs between
    could change the database, or the team asked for is not this file's."""
    def ours(asking: object, name: str) -> bool:
        func = getattr(getattr(asking, "_fixturedef", None), "func", None)
        return (getattr(asking, "fixturename", None) == name
                and getattr(func, "__module__", None) == __name__
                and getattr(func, "__name__", None) == name)

    asking = getattr(request, "_parent_request", None)
    if not ours(asking, "people"):
        return ()
    if ours(getattr(asking, "_parent_request", None), "actors"):
        return ("people", "actors")
    return ("people",)


def _pg_db(request: pytest.FixtureRequest) -> Iterator[object]:
    server: pg_cluster.Cluster = request.getfixturevalue("pg_server")
    template: str = request.getfixturevalue("pg_migrated")
    name = f"crm_tui_test_{_worker(request)}_{os.getpid()}_{next(_pg_tests)}"
    team_once.serve(server)  # where `people` may copy the team in, as on SQLite

    def areas() -> None:
        users.ensure_service_areas(Config().service_areas)

    kept = team_once.ahead(_team_asked(request), template, areas)
    database = open_database(server.create(name, template=kept or template))
    try:
        if kept:
            team_once.ahead_made(database)
        areas()
        team_once.mark(database)
        yield database
    finally:
        team_once.serve(None)
        database.close()
        database.close_idle()  # the connections kept for the app's workers
        server.drop(name)


TEAM = {
    Role.USER_ADMIN: ("admin", "Pat Quinn"),
    Role.CRM: ("crm", "Alex Morgan"),
    Role.OFFICER: ("officer", "Sam Patel"),
    Role.HEAD_OF_SERVICE: ("hos", "Jordan Reeve"),
    Role.SERVICE_DIRECTOR: ("director", "Chris Osei"),
    Role.SERVICE_AREA_MANAGER: ("manager", "Robin Hale"),
}


def account(login: str) -> str:
    """The operating-system account a test user works under."""
    return f"{login}-os"


@pytest.fixture
def acting_as(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Run what follows as the person bound to that login's account, as if they were logged
    in to the workstation (the command line establishes who acts from the account)."""
    def act(login: str) -> None:
        monkeypatch.setattr(identity, "_source", lambda: account(login))
    # The test people's accounts are invented: this workstation has them, for the test.
    monkeypatch.setattr(identity, "account_exists", lambda name: name.endswith("-os"))
    monkeypatch.delenv("CRM_TUI_USER", raising=False)
    return act


# The passphrase of every test person's own key (kept in the tests' in-memory keyring).
PASSPHRASE = "test passphrase"
# Those who take decisions of consequence, each confirmed with their own key.
DECIDERS = ("crm", "hos", "director", "director2")  # and the administrator, made first


@pytest.fixture(scope="session")
def team_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this test worker keeps the team as made once (tests/team_once.py)."""
    return tmp_path_factory.mktemp("team")


@pytest.fixture
def actors(people: dict[Role, Actor], db: object, team_folder: Path) -> dict[Role, Actor]:
    """The team, with personal keys for those who take decisions of consequence: made by the
    services once per test worker and copied in after, where the copy is the same
    (tests/team_once.py)."""
    team_once.made("actors", db, team_folder, lambda: list(DECIDERS), _make_keys)
    return people


def _make_keys() -> None:
    from crm_tui.services.letters import signing_keys

    for login in DECIDERS:
        signing_keys.create_key(users.resolve_actor(login), login, PASSPHRASE, council="Test")


@pytest.fixture
def people(db: object, team_folder: Path) -> dict[Role, Actor]:
    """The team: one person per role (and a second director and manager), no keys yet but the
    administrator's; made by the services once per test worker and copied in after, where the
    copy is the same (tests/team_once.py)."""
    team_once.made("people", db, team_folder, lambda: [TEAM[Role.USER_ADMIN][0]], _make_team)
    return {role: users.resolve_actor(login) for role, (login, _) in TEAM.items()}


def _make_team() -> None:
    admin: Actor | None = None
    for role, (login, name) in TEAM.items():
        area = "Housing Services" if role is Role.SERVICE_AREA_MANAGER else None
        users.add_user(admin, login, name, role, service_area=area, staff_id=f"S-{login}",
                       os_account=account(login))
        if admin is None:
            # The administrator's own key confirms every later change to users.
            from crm_tui.services.letters import signing_keys

            admin = users.resolve_actor(login)
            signing_keys.create_key(admin, login, PASSPHRASE, council="Test")
    users.add_user(admin, "director2", "Dana Whitlock", Role.SERVICE_DIRECTOR,
                   title="Nominated officer", staff_id="S-director2",
                   os_account=account("director2"))
    users.add_user(admin, "manager2", "Kit Marlow", Role.SERVICE_AREA_MANAGER,
                   service_area="Waste and Recycling", staff_id="S-manager2",
                   os_account=account("manager2"))


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder this whole test run shares: with pytest-xdist, the one holding
    every worker's own (each worker's basetemp is `popen-gwN` inside it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _built_once(factory: pytest.TempPathFactory) -> Path:
    """The demo folder (the database and its evidence, signing and letters folders beside it)
    built once for the whole run, whichever worker asks first; the others wait for it."""
    import fcntl
    from datetime import datetime

    from crm_tui import clock
    from crm_tui.demo.build import build_demo

    shared = _run_folder(factory)
    folder = shared / "shared-demo"
    with (shared / "shared-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build cut short
            folder.mkdir()
            with clock.travel_to(datetime.fromisoformat(FROZEN_NOW)):
                build_demo(folder / "demo.sqlite3")
            (folder / "built").touch()
    return folder


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database on the frozen day, with its folders, for this test worker: a copy of
    the one built once for the run (a build takes ten seconds and more); tests that write copy
    it first."""
    folder = tmp_path_factory.mktemp("demo")
    shutil.copytree(_built_once(tmp_path_factory), folder, dirs_exist_ok=True)
    path = folder / "demo.sqlite3"
    # The build keeps its evidence and signing keys beside it, and says where: here.
    with contextlib.closing(sqlite3.connect(path)) as copy, copy:
        for key, name in ((EVIDENCE_KEY, "demo-evidence"), (SIGNING_KEY, "demo-signing")):
            copy.execute("UPDATE setting SET value = ? WHERE key = ?", (str(folder / name), key))
    _keep_demo_passphrases(folder / "demo-signing")
    return path


@pytest.fixture
def demo_again(tmp_path_factory: pytest.TempPathFactory) -> DemoAgain:
    """The run's demo built again by `crm-tui demo --fresh`, under a plain-text keyring, once
    for the whole run (tests/demo_again.py); read it, or copy it to write."""
    return made_once(_run_folder(tmp_path_factory), _built_once(tmp_path_factory), FROZEN_NOW)


def _keep_demo_passphrases(signing: Path) -> None:
    """The build keeps each demo person's passphrase in the (tests' in-memory) keyring under
    the path of their key file, and only in the process that built it: this copy's keys are
    under another path, so they are kept again here, as the build would have kept them."""
    from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
    from crm_tui.services.core.personal_keys import SERVICE

    for key in signing.glob("*.p12"):
        keyring.get_keyring().set_password(SERVICE, f"{key.stem} ({key})", DEMO_PASSPHRASE)
