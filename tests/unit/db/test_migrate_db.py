"""`crm-tui migrate-db --from FILE --to postgresql://…`: the demo database moved whole to an
empty PostgreSQL database (every table's rows, a letter's signed PDF and an evidence document
byte for byte through the services, the audit trail verifying, search finding a customer, the
id sequences past the ids copied); a target that is not empty refused and left as it was; a
failure part-way leaving the target empty; the progress said in plain lines off a terminal.

The moves need a server: marked `on_postgresql`, skipped unless the run includes PostgreSQL
(--engines=postgresql, or CRM_TUI_TEST_ENGINES), as in test_postgresql_commands.py. The
refusals that need no server run on every clone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg2  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import ALL_MODELS, EvidenceItem, Letter, database_proxy
from crm_tui.services.core import audit, database_key, migrate_db
from crm_tui.services.core.database_facts import EVIDENCE_KEY, SIGNING_KEY

NOWHERE = "postgresql://crm@127.0.0.1:1/never_reached"


@pytest.fixture
def demo_file(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the run's demo with its folders, to move, its settings naming the copies."""
    folder = tmp_path / "team"
    shutil.copytree(demo_db.parent, folder)
    with contextlib.closing(sqlite3.connect(folder / demo_db.name)) as copy, copy:
        for key, name in ((EVIDENCE_KEY, "demo-evidence"), (SIGNING_KEY, "demo-signing")):
            copy.execute("UPDATE setting SET value = ? WHERE key = ?", (str(folder / name), key))
    return folder / demo_db.name


def _server(url: str, sql: str) -> list[tuple[Any, ...]]:
    with contextlib.closing(psycopg2.connect(url)) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def _tables(url: str) -> list[str]:
    return sorted(str(name) for (name,) in _server(
        url, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
             "current_schema() AND table_type = 'BASE TABLE'"))


def _move(source: Path, url: str, *extra: str) -> Any:
    return CliRunner().invoke(main, ["migrate-db", "--from", str(source), "--to", url, *extra])


def test_the_demo_moves_whole_and_the_app_reads_it_there(demo_file: Path,
                                                         empty_server_db: str) -> None:
    from crm_tui.services.core import users
    from crm_tui.services.core.evidence_store import evidence_store
    from crm_tui.services.intake import inbox
    from crm_tui.services.letters import copies

    with contextlib.closing(sqlite3.connect(demo_file)) as file:
        counts = {m._meta.table_name: file.execute(
            f'SELECT count(*) FROM "{m._meta.table_name}"').fetchone()[0] for m in ALL_MODELS}
        letter_id, pdf = file.execute(
            "SELECT letter_id, pdf FROM letter_file ORDER BY letter_id LIMIT 1").fetchone()
        sha, = file.execute("SELECT sha256 FROM evidence_item ORDER BY id LIMIT 1").fetchone()
        customer, = file.execute("SELECT name FROM customer ORDER BY id LIMIT 1 OFFSET 3"
                                 ).fetchone()
        entries, = file.execute("SELECT count(*) FROM audit_entry").fetchone()
        highest, = file.execute("SELECT max(id) FROM contact_log_entry").fetchone()
        schema, = file.execute("SELECT max(name) FROM schema_migration").fetchone()
    document = (demo_file.parent / "demo-evidence" / sha[:2] / sha).read_bytes()

    result = _move(demo_file, empty_server_db)

    assert result.exit_code == 0, result.output
    # Off a terminal, the progress is plain lines: the tables, each with its rows.
    assert f"Copying {len(ALL_MODELS)} tables, {sum(counts.values())} rows in all." \
        in result.output
    assert f"  contact_log_entry: {counts['contact_log_entry']} rows" in result.output
    assert "The audit trail verifies there" in result.output
    for table, rows in counts.items():
        assert _server(empty_server_db, f'SELECT count(*) FROM "{table}"')[0][0] == \
            rows + (1 if table == "audit_entry" else 0), table
    assert _server(empty_server_db, "SELECT max(name) FROM schema_migration")[0][0] == schema
    # The models are left on the server database: read through the services there.
    assert "127.0.0.1" in str(database_proxy.obj.connect_params.get("host", ""))
    verified = audit.verify()
    assert verified.ok, verified.problem
    assert verified.checked == entries + 1
    last = audit.AuditEntry.select().order_by(audit.AuditEntry.seq.desc()).get()
    assert last.action == migrate_db.ACTION and last.actor_login == "ceri.hughes"
    assert f'"rows": {sum(counts.values())}' in last.payload
    assert customer not in last.payload
    crm = users.resolve_actor("ceri.hughes")
    assert evidence_store().read_bytes(sha) == document
    assert evidence_store().root != demo_file.parent / "demo-evidence"
    assert EvidenceItem.select().where(EvidenceItem.sha256 == sha).exists()
    assert copies._kept_bytes(Letter.get_by_id(letter_id)) == bytes(pdf)
    surname = customer.split()[-1]
    found = inbox.page(crm, inbox.InboxFilter(search=surname)).rows
    assert customer in [row.customer_name for row in found]
    # The next contact logged takes a number past the ids copied.
    next_id = _server(empty_server_db,
                      "SELECT nextval(pg_get_serial_sequence('contact_log_entry', 'id'))")[0][0]
    assert next_id > highest


def test_an_encrypted_file_moves_with_its_key_its_documents_opened_from_their_seals(
        demo_file: Path, empty_server_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_tui.db import cipher
    from crm_tui.services.core.evidence_store import evidence_store
    from crm_tui.services.core.sealed_files import is_sealed

    with contextlib.closing(sqlite3.connect(demo_file)) as file:
        sha, = file.execute("SELECT sha256 FROM evidence_item ORDER BY id LIMIT 1").fetchone()
        rows, = file.execute("SELECT count(*) FROM contact_log_entry").fetchone()
    stored = demo_file.parent / "demo-evidence" / sha[:2] / sha
    document = stored.read_bytes()
    monkeypatch.setenv(database_key.ENVIRONMENT, "5e" * 32)
    runner = CliRunner()
    encrypted = runner.invoke(main, ["encryption", "encrypt", "--db", str(demo_file)])
    assert encrypted.exit_code == 0, encrypted.output
    assert cipher.is_encrypted(demo_file) and is_sealed(stored)
    database_proxy.close()
    monkeypatch.delenv(database_key.ENVIRONMENT)

    without = _move(demo_file, empty_server_db)

    assert without.exit_code == 2, without.output
    assert "this database is encrypted" in without.output
    assert _tables(empty_server_db) == []

    monkeypatch.setenv(database_key.ENVIRONMENT, "5e" * 32)
    result = _move(demo_file, empty_server_db)

    assert result.exit_code == 0, result.output
    assert evidence_store().key is None
    assert evidence_store().read_bytes(sha) == document
    assert not is_sealed(evidence_store().path_for(sha))
    assert _server(empty_server_db, "SELECT count(*) FROM contact_log_entry")[0][0] == rows
    assert audit.verify().ok


def test_the_evidence_goes_where_it_is_told_and_the_server_database_names_the_folder(
        demo_file: Path, empty_server_db: str, tmp_path: Path) -> None:
    from crm_tui.services.core.evidence_store import evidence_store

    shared = tmp_path / "team-evidence"
    result = _move(demo_file, empty_server_db, "--evidence-to", str(shared))

    assert result.exit_code == 0, result.output
    assert f"Evidence files: {shared}." in result.output
    assert evidence_store().root == shared
    assert _server(empty_server_db, "SELECT value FROM setting WHERE key = 'evidence_folder'"
                   ) == [(str(shared),)]
    run = CliRunner().invoke(main, ["evidence", "verify", "--db", empty_server_db])
    assert run.exit_code == 0, run.output


def test_a_target_that_is_not_empty_is_refused_and_left_as_it_was(
        demo_file: Path, empty_server_db: str) -> None:
    with contextlib.closing(psycopg2.connect(empty_server_db)) as connection, \
            connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE schema_migration (name TEXT)")
        cursor.execute("CREATE TABLE notes (body TEXT)")
        cursor.execute("INSERT INTO notes VALUES ('kept')")

    result = _move(demo_file, empty_server_db)

    assert result.exit_code == 2, result.output
    assert "is not empty" in result.output and "nothing was written" in result.output
    assert _tables(empty_server_db) == ["notes", "schema_migration"]
    assert _server(empty_server_db, "SELECT body FROM notes") == [("kept",)]


def test_tables_made_after_the_first_look_are_never_written_over(
        demo_file: Path, empty_server_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrate_db, "check_target", lambda url: None)  # looked at too early
    with contextlib.closing(psycopg2.connect(empty_server_db)) as connection, \
            connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE setting (id SERIAL, key TEXT, value TEXT)")
        cursor.execute("INSERT INTO setting (key, value) VALUES ('theirs', 'kept')")

    result = _move(demo_file, empty_server_db)

    assert result.exit_code == 2, result.output
    assert "is not empty any more" in result.output
    assert _tables(empty_server_db) == ["setting"]
    assert _server(empty_server_db, "SELECT key, value FROM setting") == [("theirs", "kept")]


@pytest.mark.parametrize("failing_after", ["contact_log_entry", "evidence"])
def test_a_failure_part_way_leaves_the_target_empty(
        demo_file: Path, empty_server_db: str, monkeypatch: pytest.MonkeyPatch,
        failing_after: str) -> None:
    def fail(name: str) -> None:
        if name == failing_after:
            raise RuntimeError("the connection was lost")

    monkeypatch.setattr(migrate_db, "after_table", fail)
    from crm_tui.config import server_folder

    result = _move(demo_file, empty_server_db)

    assert result.exit_code == 1, result.output
    assert "was left empty" in result.output and "the connection was lost" in result.output
    assert _tables(empty_server_db) == []
    for kind in ("evidence", "letters"):  # the files copied before it are removed again
        folder = server_folder(empty_server_db, "demo", kind)
        assert not [p for p in folder.rglob("*") if p.is_file()], kind
    # And moved again once what failed is put right: nothing of the first try is in the way.
    monkeypatch.setattr(migrate_db, "after_table", lambda name: None)
    again = _move(demo_file, empty_server_db)
    assert again.exit_code == 0, again.output


def test_a_move_killed_part_way_leaves_the_target_empty(
        demo_file: Path, empty_server_db: str, tmp_path: Path) -> None:
    """A kill (no Python left to roll back): the server ends the transaction itself."""
    seeded = CliRunner().invoke(main, ["seed", "--customers", "200", "--contacts", "60000",
                                       "--db", str(demo_file)])
    assert seeded.exit_code == 0, seeded.output
    database_proxy.close()
    moving = subprocess.Popen(
        [sys.executable, "-c", "from crm_tui.cli import main; main(prog_name='crm-tui')",
         "migrate-db", "--from", str(demo_file), "--to", empty_server_db],
        env={**os.environ, "CRM_TUI_NOW": "2026-11-28"}, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert moving.stderr is not None
    try:
        for line in moving.stderr:
            if line.startswith("  matter:"):  # the contact log is next: some seconds
                break
        time.sleep(0.5)
        assert moving.poll() is None, "it ended before it could be killed"
        moving.send_signal(signal.SIGKILL)
    finally:
        moving.wait(timeout=60)
    deadline = time.monotonic() + 30
    while _tables(empty_server_db) and time.monotonic() < deadline:
        time.sleep(0.2)  # the server notices the connection gone
    assert _tables(empty_server_db) == []
    again = _move(demo_file, empty_server_db)
    assert again.exit_code == 0, again.output


def test_only_the_crm_or_a_user_administrator_moves_the_database(
        demo_file: Path, empty_server_db: str) -> None:
    result = _move(demo_file, empty_server_db, "--user", "tomasz.nowak")

    assert result.exit_code == 1, result.output
    assert "may not move the database to a server" in result.output
    assert _tables(empty_server_db) == []


def test_a_target_that_is_not_postgresql_is_refused(demo_file: Path, tmp_path: Path) -> None:
    result = _move(demo_file, f"sqlite:///{tmp_path / 'copy.sqlite3'}")

    assert result.exit_code == 2, result.output
    assert "is not a PostgreSQL database" in result.output
    assert not (tmp_path / "copy.sqlite3").exists()


def test_a_source_that_is_not_a_crm_tui_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(other)) as file, file:
        file.execute("CREATE TABLE notes (body TEXT)")

    result = _move(other, NOWHERE)

    assert result.exit_code == 2, result.output
    assert "not crm-tui's" in result.output and "nothing was written" in result.output


def test_a_source_at_an_older_schema_is_refused_saying_what_to_do(demo_file: Path) -> None:
    with contextlib.closing(sqlite3.connect(demo_file)) as file, file:
        file.execute("DELETE FROM schema_migration WHERE name = '0023_case_audit_index'")

    result = _move(demo_file, NOWHERE)

    assert result.exit_code == 2, result.output
    assert "older schema (0022_team_seal_index" in result.output
    assert "open it once with this version" in result.output


def test_a_source_at_a_newer_schema_is_refused(demo_file: Path) -> None:
    with contextlib.closing(sqlite3.connect(demo_file)) as file, file:
        file.execute("INSERT INTO schema_migration (name, applied) VALUES "
                     "('0099_from_the_future', '2026-11-28')")

    result = _move(demo_file, NOWHERE)

    assert result.exit_code == 2, result.output
    assert "newer version of crm-tui (schema 0099_from_the_future)" in result.output


def test_a_value_is_copied_in_copy_s_text_format() -> None:
    from datetime import date, datetime

    assert migrate_db._copy_text(None) == "\\N"
    assert migrate_db._copy_text(True) == "t" and migrate_db._copy_text(False) == "f"
    assert migrate_db._copy_text("12 Mill Lane\nNorthmere\tx\\y\r") == \
        "12 Mill Lane\\nNorthmere\\tx\\\\y\\r"
    assert migrate_db._copy_text(datetime(2026, 11, 28, 10, 0, 5, 120)) == \
        "2026-11-28 10:00:05.000120"
    assert migrate_db._copy_text(date(2026, 11, 28)) == "2026-11-28"
    assert migrate_db._copy_text(7) == "7"


def test_the_progress_off_a_terminal_is_plain_lines(capsys: pytest.CaptureFixture[str]) -> None:
    from crm_tui.cli_migrate import _Lines

    lines = _Lines()
    lines.begin([("customer", 2), ("case", 1001)])
    lines.table("customer", 2)
    lines.copied(2)
    lines.table("case", 1001)
    lines.copied(1000)
    lines.copied(1)
    lines.end()

    assert capsys.readouterr().err.splitlines() == [
        "Copying 2 tables, 1003 rows in all.", "  customer: 2 rows", "  case: 1001 rows",
        "Copied 1003 rows."]
