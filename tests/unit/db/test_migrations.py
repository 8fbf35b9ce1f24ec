"""Schema versions: an old database is upgraded on open, its data intact, its schema equal
to the models'; a database from a newer version is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from playhouse.schema_diff import diff_models

from crm_tui.db.connection import DatabaseError, migration_runner, open_database, schema_version
from crm_tui.db.models import ALL_MODELS, Case


def _version_one(path: Path) -> None:
    old = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    migration_runner(old).up(target="0001_initial")
    old.execute_sql("INSERT INTO service_area (name) VALUES ('Housing Services')")
    old.execute_sql(
        "INSERT INTO \"case\" (reference, service_area_id, state, opened_on, state_changed_at, "
        "no_local_resolution_reason) VALUES ('UPV-2025-0001', 1, 'new', '2025-03-01', "
        "'2025-03-01 10:00:00', '')")
    old.close()


def test_old_database_is_upgraded_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _version_one(path)
    columns = {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info('case')")}
    assert "next_action" not in columns

    db = open_database(path)
    latest = max(m.name for m in migration_runner(db).migrations())
    assert schema_version(db) == latest
    case = Case.get(Case.reference == "UPV-2025-0001")
    assert case.state == "new" and case.next_action == "" and case.next_action_due is None
    assert not diff_models(db, ALL_MODELS), "the migrated schema differs from the models"
    db.close()


def test_fresh_database_matches_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3")
    assert not diff_models(db, ALL_MODELS)
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_migration (name, applied) VALUES ('0099_future', "
                "'2030-01-01')")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(path)


def test_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "folder" / "private.sqlite3"
    open_database(path).close()
    assert path.stat().st_mode & 0o077 == 0
    assert path.parent.stat().st_mode & 0o077 == 0


def test_an_issued_local_resolution_letter_becomes_the_warning_it_was(tmp_path: Path) -> None:
    """Letters issued by earlier versions said that continuing "could lead to restrictions"."""
    from crm_tui.db.models import PriorWarning, Restriction

    path = tmp_path / "eleven.sqlite3"
    old = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    runner = migration_runner(old)
    runner.up(target=max(m.name for m in runner.migrations() if m.name < "0012"))
    for sql in (
        "INSERT INTO service_area (name) VALUES ('Housing Services')",
        "INSERT INTO user (login, name, title, role, active, staff_id) VALUES "
        "('manager', 'Robin Hale', '', 'service_area_manager', 1, 'S1')",
        "INSERT INTO \"case\" (reference, service_area_id, state, opened_on, state_changed_at, "
        "no_local_resolution_reason, next_action, categories) VALUES ('UPV-2025-0001', 1, "
        "'local_resolution', '2025-03-01', '2025-03-01 10:00:00', '', '', 0)",
        "INSERT INTO local_resolution (case_id, written_on, written_summary, spoc_name, "
        "contact_frequency, communication_style, monitoring_start, monitoring_end, "
        "recorded_by_id, recorded_at) VALUES (1, '2025-03-01', 'Concerns', 'Robin Hale', "
        "'weekly', '', '2025-03-01', '2025-05-01', 1, '2025-03-01 10:00:00')",
        "INSERT INTO letter (case_id, kind, created_at, created_by_id, signed_by_id, signed_at, "
        "status, body, file_name, sha256, cert_fingerprint, note) VALUES (1, "
        "'local_resolution', '2025-03-02 09:00:00', 1, 1, '2025-03-03 11:00:00', 'issued', "
        "'If the concerns continue ... which could lead to restrictions on how you contact "
        "the council.', 'lr.pdf', 'ab', 'cd', '')",
        "INSERT INTO letter (case_id, kind, created_at, created_by_id, status, body, file_name, "
        "sha256, cert_fingerprint, note) VALUES (1, 'local_resolution', '2025-03-04 09:00:00', "
        "1, 'draft', 'could lead to restrictions', '', '', '', '')",
    ):
        old.execute_sql(sql)
    old.close()
    db = open_database(path)
    [warning] = PriorWarning.select()
    assert str(warning.given_on) == "2025-03-03" and warning.local_resolution_id == 1
    assert warning.recorded_by_id == 1 and warning.means == "local_resolution_letter"
    assert not Restriction.select().exists()
    db.close()


def test_the_check_at_open_reads_what_the_runner_reads(tmp_path: Path) -> None:
    """A database up to date is known without the runner (issue 17): the migrations named as
    the runner names them, and those applied as its history holds them, on a database one
    migration behind as on one up to date."""
    from crm_tui.db.connection import applied_migrations, known_migrations

    path = tmp_path / "old.sqlite3"
    _version_one(path)
    old = SqliteDatabase(str(path))
    runner = migration_runner(old)
    assert known_migrations() == {m.name for m in runner.migrations()}
    assert applied_migrations(old) == set(runner.applied()) == {"0001_initial"}
    old.close()
    db = open_database(path)
    assert applied_migrations(db) == set(migration_runner(db).applied()) == known_migrations()
    db.close()
    assert applied_migrations(SqliteDatabase(str(tmp_path / "empty.sqlite3"))) == set()
