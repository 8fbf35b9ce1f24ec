"""The commands on a PostgreSQL database: `crm-tui seed` and `crm-tui demo` fill one as they
fill a file; those that work on the SQLite file itself (backup, restore, encryption) refuse a
server URL, saying what does it there; nothing looks for a server database's files beside its name;
and the checkpoint after a destruction vacuums the search tables there.

Marked `on_postgresql`: skipped unless the run includes PostgreSQL (--engines=postgresql, or
CRM_TUI_TEST_ENGINES), as in test_postgresql.py. The others run on every clone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg2  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db import dialect
from crm_tui.db.models import Case, ContactLogEntry, Customer, User, database_proxy
from crm_tui.demo.guard import Refused
from crm_tui.demo.seed import _copy_text, open_for_seeding, seed
from crm_tui.services.core import audit, restore_copies
from tests import pg_cluster

URL = "postgresql://crm:s3cret@db.example/crm"


@pytest.mark.parametrize(("command", "said"), [
    (["backup", "DEST"], "backed up and restored by the server's own backups"),
    (["restore", "DEST"], "backed up and restored by the server's own backups"),
    (["encryption", "status"], "the server's own encryption at rest"),
    (["encryption", "encrypt"], "the server's own encryption at rest"),
    (["encryption", "decrypt"], "the server's own encryption at rest"),
], ids=lambda c: " ".join(c) if isinstance(c, list) else "")
def test_a_command_on_the_sqlite_file_says_what_does_it_on_a_server(
        command: list[str], said: str, tmp_path: Path) -> None:
    args = [str(tmp_path / "dest") if part == "DEST" else part for part in command]
    result = CliRunner().invoke(main, [*args, "--db", URL])
    assert result.exit_code == 2, result.output
    assert "not on a PostgreSQL database" in result.output and said in result.output
    assert "s3cret" not in result.output and "crm:***@db.example" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_value_is_sent_to_copy_in_its_text_format() -> None:
    assert _copy_text(None) == "\\N"
    assert _copy_text(True) == "t" and _copy_text(False) == "f"
    assert _copy_text("12 Mill Lane\nNorthmere") == "12 Mill Lane\\nNorthmere"
    assert _copy_text("a\tb\\c\r") == "a\\tb\\\\c\\r"
    assert _copy_text(7) == "7"


def test_a_database_file_is_where_the_database_is(db: object, engine: str) -> None:
    found = dialect.database_path()
    if engine == "sqlite":
        assert found is not None and found.name == "test.sqlite3"
    else:
        assert found is None  # its name on the server is no file here


def test_nothing_beside_a_file_named_as_a_server_database_is_taken_for_its_copy(
        on_postgresql: None, db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: a server database's name was taken for a file in the current folder, and a
    restore's kept copy (or a stage, removed by the sweep) looked for beside it."""
    monkeypatch.chdir(tmp_path)
    lookalike = tmp_path / f"{db.database}.before-restore-20261128-101500-1"
    lookalike.write_text("someone else's")
    assert restore_copies.kept_copies() == []
    assert lookalike.exists()


def test_the_checkpoint_after_a_destruction_vacuums_the_search_tables(
        on_postgresql: None, db: Any) -> None:
    dialect.index_case(db, 1, "Penhaligon noise complaint")
    dialect.forget_case(db, 1)
    assert dialect.checkpoint(db)
    db.execute_sql("SELECT pg_stat_clear_snapshot()")
    vacuumed = {row[0] for row in db.execute_sql(
        "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL")}
    assert {"case_search", "contact_log_entry"} <= vacuumed
    with db.atomic():  # never inside a transaction: VACUUM cannot run there
        assert not dialect.checkpoint(db)


def test_seed_fills_a_new_server_database_numbering_the_cases_by_their_customers(
        empty_server_db: str) -> None:
    assert open_for_seeding(empty_server_db, ("Housing", "Revenues"))
    # A sequence drawn past the highest customer (a transaction undone) numbers nothing.
    database_proxy.obj.execute_sql(
        "SELECT nextval(pg_get_serial_sequence('customer', 'id')) FROM generate_series(1, 5)")
    seed(30, 200)
    assert Customer.select().count() == 30 and ContactLogEntry.select().count() == 200
    cases = list(Case.select())
    assert len(cases) == 3
    for case in cases:
        assert case.reference == f"UPV-{case.customer.reference}"
    assert "\n" in Customer.select().first().address  # sent escaped, kept as two lines
    assert audit.verify().ok
    # Seeded again: not new, numbered on from the last.
    assert not open_for_seeding(empty_server_db, ("Housing", "Revenues"))
    seed(10, 0)
    assert Customer.select().count() == 40
    assert Case.select().count() == 4
    assert audit.verify().ok


def test_seed_leaves_another_programs_database_alone(empty_server_db: str) -> None:
    connection = psycopg2.connect(empty_server_db)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE notes (words text)")
    finally:
        connection.close()
    with pytest.raises(Refused, match="holds a database that is not crm-tui's"):
        open_for_seeding(empty_server_db, ("Housing",))


@pytest.mark.parametrize("command", [["seed", "--customers", "1", "--contacts", "0"],
                                     ["demo", "--no-launch"]], ids=lambda c: c[0])
def test_seed_or_demo_on_a_server_that_does_not_answer_is_refused_without_the_password(
        command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--db",
                                       "postgresql://crm:s3cret@127.0.0.1:9/crm"])
    assert result.exit_code == 1, result.output
    assert "cannot read the database at postgresql://crm:***@127.0.0.1:9/crm" in result.output
    assert "s3cret" not in result.output and "Traceback" not in result.output


def test_a_server_demos_folders_are_in_the_user_data_folder(tmp_path: Path) -> None:
    from crm_tui.demo.guard import demo_folders

    assert demo_folders("postgresql://crm@db.example:5433/cases") == tuple(
        tmp_path / "data" / f"demo-db.example-5433-cases-{name}"
        for name in ("evidence", "signing", "letters"))
    assert demo_folders(tmp_path / "demo.sqlite3") == tuple(
        tmp_path / f"demo-{name}" for name in ("evidence", "signing", "letters"))


def test_emptying_a_server_database_drops_its_tables_for_the_migrations_to_make_again(
        on_postgresql: None, db: Any, pg_server: pg_cluster.Cluster) -> None:
    from crm_tui.db.connection import open_database
    from crm_tui.db.peek import empty_server_database, server_settings

    url = pg_cluster.with_database(pg_server.url, db.database)
    Customer.create(reference="C000001", name="Ada Penhaligon", address="1 Mill Lane")
    empty_server_database(db)
    assert server_settings(url) is None  # nothing there: no table at all
    open_database(url)
    assert Customer.select().count() == 0 and audit.verify().ok


def test_crm_tui_demo_builds_and_keeps_a_demo_on_a_server_database(
        empty_server_db: str, tmp_path: Path) -> None:
    """The whole demo, built through the services on the server (about a minute)."""
    runner = CliRunner()
    built = runner.invoke(main, ["demo", "--no-launch", "--db", empty_server_db])
    assert built.exit_code == 0, built.output
    assert "there is no demo database at" in built.output and "19 cases" in built.output
    listed = runner.invoke(main, ["cases", "--json", "--db", empty_server_db, "--user",
                                  "ceri.hughes"])
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.output)) == 19
    folders = sorted(p.name for p in (tmp_path / "data").glob("demo-*"))
    assert [name.rsplit("-", 1)[1] for name in folders] == ["evidence", "letters", "signing"]
    kept = runner.invoke(main, ["demo", "--no-launch", "--db", empty_server_db])
    assert kept.exit_code == 0 and "as you left it" in kept.output
    seeded = runner.invoke(main, ["seed", "--customers", "10", "--contacts", "20", "--db",
                                  empty_server_db])
    assert seeded.exit_code == 0, seeded.output
    assert audit.verify().ok


def test_demo_leaves_a_server_database_seed_made_alone(empty_server_db: str) -> None:
    assert open_for_seeding(empty_server_db, ("Housing",))
    result = CliRunner().invoke(main, ["demo", "--no-launch", "--fresh", "--yes", "--db",
                                       empty_server_db])
    assert result.exit_code == 1
    assert "is a crm-tui database that is not a demo" in result.output
    assert "benchmark.recorder" in {user.login for user in User.select()}  # as it was


def _crm_tui(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from crm_tui.cli import main; main(prog_name='crm-tui')",
         *args], env={**os.environ, "CRM_TUI_NOW": "2026-11-28"}, cwd=cwd,
        capture_output=True, text=True, check=False, timeout=300)


def test_crm_tui_seed_then_cases_on_a_server_database(empty_server_db: str,
                                                      tmp_path: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    seeded = _crm_tui("seed", "--customers", "40", "--contacts", "300", "--db",
                      empty_server_db, cwd=here)
    assert seeded.returncode == 0, seeded.stderr
    # The server login the tests connect as is bound to the officer seed made, as a user
    # administrator would bind a person (`users bind`): on a server the login is who acts.
    connection = psycopg2.connect(empty_server_db)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("UPDATE \"user\" SET os_account = session_user WHERE login = "
                           "'benchmark.recorder'")
    finally:
        connection.close()
    listed = _crm_tui("cases", "--json", "--db", empty_server_db, cwd=here)
    assert listed.returncode == 0, listed.stderr
    references = sorted(row["reference"] for row in json.loads(listed.stdout))
    assert references == [f"UPV-S{n:07d}" for n in range(1, 41, 10)]
    assert list(here.iterdir()) == []  # nothing written in the current folder
    # The invented administrator's key: in a folder of the user data folder, not beside.
    assert list((tmp_path / "data").glob("benchmark-*-signing"))


async def test_the_palette_says_how_this_database_is_backed_up(
        db: Any, engine: str, people: Any, request: pytest.FixtureRequest) -> None:
    """`backup` in the palette (b15b F5) names `crm-tui backup` for a file; for a server
    database, which that command refuses, the server's own backups."""
    from textual.command import CommandPalette

    from crm_tui.ui.app import create_app
    from crm_tui.ui.screens.inbox import InboxScreen
    from tests.ui.keys import settle
    from tests.ui.test_palette_finds_ui import listed

    target = str(db.database) if engine == "sqlite" else pg_cluster.with_database(
        request.getfixturevalue("pg_server").url, db.database)
    app = create_app(target, "crm")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        found = dict(await listed(pilot, "backup", "Backup (on the command line)"))
        told = found["Backup (on the command line)"]
        if engine == "sqlite":
            assert "crm-tui backup DEST" in told
        else:
            assert "PostgreSQL server" in told and "pg_dump" in told
            assert "crm-tui backup" not in told
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert any(told in str(n.message) for n in app._notifications)


def _tables(url: str) -> int:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM information_schema.tables WHERE "
                           "table_schema = current_schema()")
            return int(cursor.fetchone()[0])
    finally:
        connection.close()


def test_a_command_on_a_server_database_that_is_none_is_typed_wrong_and_makes_nothing(
        empty_server_db: str, acting_as: Any) -> None:
    """As for a file (test_cli_no_database): a check run on a database that is not there,
    has no tables yet or is another program's exits 2, and makes nothing there; before, the
    empty one was made into a crm-tui database, and the check then found nothing wrong."""
    acting_as("pat")
    missing = empty_server_db.rsplit("/", 1)[0] + "/crm_tui_no_such_database"
    result = CliRunner().invoke(main, ["audit", "verify", "--db", missing])
    assert result.exit_code == 2, result.output
    assert "the server has no database of that name" in result.output
    result = CliRunner().invoke(main, ["audit", "verify", "--db", empty_server_db])
    assert result.exit_code == 2, result.output
    assert "it has no tables yet: nothing was created" in result.output
    assert "crm-tui users add" in result.output
    assert _tables(empty_server_db) == 0
    connection = psycopg2.connect(empty_server_db)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE notes (words text)")
    finally:
        connection.close()
    result = CliRunner().invoke(main, ["cases", "--db", empty_server_db])
    assert result.exit_code == 2, result.output
    assert "the database there is not crm-tui's; nothing was changed" in result.output
    assert _tables(empty_server_db) == 1
