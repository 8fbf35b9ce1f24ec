"""A PostgreSQL database: opened by its URL, its schema made by the one migration history as
on SQLite, its search, deadlines and indexes its own.

The tests using `db` run on PostgreSQL with `--engines=postgresql` (or sqlite,postgresql;
CRM_TUI_TEST_ENGINES): a throwaway cluster (tests/pg_cluster.py), or CRM_TUI_TEST_PG=URL.
Those below marked so are skipped on SQLite alone; the others run on every clone.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from crm_tui.db import dialect, postgres
from crm_tui.db.connection import open_database, shown
from crm_tui.db.errors import DatabaseError
from crm_tui.db.models import Case, ContactLogEntry, Setting, database_proxy
from crm_tui.domain.deadlines import deadline
from crm_tui.domain.errors import DatabaseBusy
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import changes, database_facts, deadlines
from crm_tui.services.core.database import atomic, reading
from crm_tui.services.core.outside_changes import OutsideChanges
from crm_tui.services.intake import inbox
from crm_tui.services.intake.inbox import InboxFilter
from tests import builders


def test_a_urls_password_is_never_shown() -> None:
    assert shown("postgresql://crm:s3cret@db.example/cases") == \
        "postgresql://crm:***@db.example/cases"
    assert shown("postgresql://crm@db.example/cases") == "postgresql://crm@db.example/cases"
    assert shown("/home/crm/crm.sqlite3") == "/home/crm/crm.sqlite3"


def test_a_server_that_does_not_answer_is_said_plainly_without_the_password() -> None:
    # Port 9 on this machine: nothing listens there (the connection is refused at once).
    with pytest.raises(DatabaseError) as refused:
        open_database("postgresql://crm:s3cret@127.0.0.1:9/cases")
    said = str(refused.value)
    assert said.startswith("cannot open the database at postgresql://crm:***@127.0.0.1:9/cases:")
    assert "s3cret" not in said and "\n" not in said


def test_a_server_url_naming_no_database_is_refused() -> None:
    with pytest.raises(DatabaseError, match="names no database"):
        open_database("postgresql://crm@127.0.0.1:9")


def test_another_kind_of_server_is_refused_by_name() -> None:
    with pytest.raises(DatabaseError, match='not "mysql" ones'):
        open_database("mysql://crm@127.0.0.1:9/cases")


def _sqlite_columns(path: Path) -> dict[str, set[str]]:
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
            "'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE "
            "'%search_%'")]
        found = {table: {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}
                 for table in tables}
    connection.close()
    return found


def _server_columns() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for table, column in database_proxy.obj.execute_sql(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public'"):
        found.setdefault(table, set()).add(column)
    return found


def test_the_migrations_make_the_same_tables_and_columns_as_on_sqlite(
        on_postgresql: None, db: object, migrated: Path) -> None:
    server = _server_columns()
    # PostgreSQL's search: the cases' documents in a table, the log's in a column of its own.
    assert server.pop("case_search") == {"case_id", "body", "document"}
    server["contact_log_entry"].remove("summary_search")
    assert server == _sqlite_columns(migrated)


def test_search_ignores_accents_and_matches_each_word_as_a_prefix(
        on_postgresql: None, actors: dict[Role, Actor]) -> None:
    ref = builders.local_resolution(actors, name="Zoë Müller-Bryce")
    crm = actors[Role.CRM]
    for words, found in (("zoe", True), ("MULL bry", True), ("Müll", True), ("zoe smith", False),
                         ("oe", False)):
        rows = inbox.page(crm, InboxFilter(search=words)).rows
        assert ([row.reference for row in rows] == [ref]) is found, words


def test_the_contact_logs_words_are_found_through_its_own_column(
        on_postgresql: None, actors: dict[Role, Actor]) -> None:
    ref = builders.local_resolution(actors)
    case = Case.get(Case.reference == ref)
    ContactLogEntry.create(customer=case.customer_id, case=case.id,
                           at=datetime(2026, 11, 2, 10, 0), channel="telephone",
                           direction="in", service_area=case.service_area_id,
                           summary="Rang about the guttering at Côte Lane")
    matched = Case.select(Case.reference).where(
        dialect.cases_matching(Case.id, Case.customer, "cote gutter"))
    assert [row.reference for row in matched] == [ref]


def test_the_deadline_rule_in_sql_counts_as_the_domain_does(on_postgresql: None,
                                                            db: object) -> None:
    holidays = deadlines.bank_holidays_around(date(2026, 12, 1))
    for start in (date(2026, 12, 18) + timedelta(days=n) for n in range(0, 20, 3)):
        for days, working in ((14, True), (14, False), (0, True), (1, True)):
            expected = deadline(start, days, working=working, bank_holidays=holidays)
            value = database_proxy.obj.execute_sql(
                "SELECT crm_deadline(%s, %s, %s, %s::date[])",
                (start, days, working, sorted(holidays))).fetchone()[0]
            assert value == expected, (start, days, working)


def test_the_team_seal_index_holds_the_querys_own_term(on_postgresql: None, db: object) -> None:
    definition = database_proxy.obj.execute_sql(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'audit_entry_team_seal'"
    ).fetchone()[0]
    assert "strpos(payload, '\"team\": {'::text) > 0" in definition


def test_another_programs_commit_is_told_on_a_server_database(
        on_postgresql: None, actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    heard: list[changes.Change] = []
    stop_listening = changes.listen(heard.append)
    watcher = OutsideChanges.for_open_database()
    assert watcher is not None
    watcher.start_watching()
    other = database_proxy.obj._connect()  # another program's own connection
    try:
        assert watcher.poll() == []
        with other, other.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_entry")
            seq = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO audit_entry (seq, at, actor_login, actor_role, action, "
                "case_reference, reason, payload, reason_hash, payload_hash, prev_hash, "
                "entry_hash, erased) VALUES (%s, '2026-11-28T10:00:00', 'officer', 'officer', "
                "'import_log_sheet', %s, '', '{}', '', '', '', '', false)", (seq, ref))
        assert watcher.poll() == [changes.Change(ref, "import_log_sheet")]
        assert heard == [changes.Change(ref, "import_log_sheet")]
        assert watcher.poll() == []  # told once
    finally:
        other.close()
        watcher.stop()
        stop_listening()


def test_a_setting_written_again_takes_the_place_of_the_one_before(on_postgresql: None,
                                                                   db: object) -> None:
    database_facts.set_evidence_folder("evidence-1")
    database_facts.set_evidence_folder("evidence-2")  # SQLite's INSERT OR REPLACE, an upsert here
    assert database_facts.evidence_folder() == Path("evidence-2")


def test_a_second_writer_waits_for_the_first_and_is_told_when_the_wait_runs_out(
        on_postgresql: None, db: object) -> None:
    first = database_proxy.obj._connect()  # another program, in the middle of its save
    first.autocommit = False
    try:
        with first.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.WRITE_LOCK,))
        database_proxy.obj.execute_sql("SET lock_timeout = 200")
        with pytest.raises(DatabaseBusy), atomic():
            Setting.create(key="second", value="writer")
        assert not Setting.select().where(Setting.key == "second").exists()
        first.rollback()  # its save ended: the second writer goes ahead
        with atomic():
            Setting.create(key="second", value="writer")
        assert Setting.get(Setting.key == "second").value == "writer"
    finally:
        first.close()


def test_a_read_sees_the_database_as_it_was_when_it_first_read(on_postgresql: None,
                                                               db: object) -> None:
    other = database_proxy.obj._connect()  # a colleague saving meanwhile
    try:
        with reading():
            before = Setting.select().count()
            with other, other.cursor() as cursor:
                cursor.execute("INSERT INTO setting (key, value) VALUES ('meanwhile', 'x')")
            assert Setting.select().count() == before
        assert Setting.select().count() == before + 1
    finally:
        other.close()
