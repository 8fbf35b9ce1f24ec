"""A large log sheet is staged without the write lock and published in one short transaction
(t16 F6: a 90,000-line sheet held the lock about 35 s at its end, and a one-field save waited
38.9 s behind it): another person saves while the sheet is staged, and the import stays all
or nothing."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import AuditEntry, ContactLogEntry, database_proxy
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.log_sheet_csv import CSV_COLUMNS
from crm_tui.services.restrictions import compliance
from tests import builders, outside, searched

START = datetime(2026, 9, 1, 8, 0)


def _sheet(folder: Path, lines: int) -> Path:
    path = folder / "large-sheet.csv"
    rows = [",".join(CSV_COLUMNS)]
    for n in range(lines):
        rows.append(f"{START + timedelta(minutes=7 * n):%d/%m/%Y %H:%M},email,inbound,"
                    f"Housing Services,Sam Patel,5,Wrote again about the gutter {n},")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _a_save_gets_the_lock(db_path: Path) -> bool:
    """Whether another person's save, on its own connection, takes the write lock at once."""
    if not is_sqlite():
        return outside.write_lock_is_free(db_path)
    other = sqlite3.connect(db_path, timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("COMMIT")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def _their_count(db_path: Path) -> int:
    other = outside.connect(db_path)
    try:
        return int(other.execute("SELECT count(*) FROM contact_log_entry").fetchone()[0])
    finally:
        other.close()


def _attached() -> list[str]:
    """The databases attached to the app's connection (SQLite), or its temporary tables
    (PostgreSQL's stage)."""
    if is_sqlite():
        return [row[1] for row in database_proxy.obj.execute_sql("PRAGMA database_list")]
    return [row[0] for row in database_proxy.obj.execute_sql(
        "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema()")]


def test_another_person_saves_while_a_large_sheet_is_staged(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    sheet = _sheet(tmp_path, 1_200)
    before = ContactLogEntry.select().count()
    files = sorted(p.name for p in db_path.parent.iterdir())
    seen: list[tuple[bool, int, list[str]]] = []
    summary = ContactLogEntry._meta.fields["summary"]
    stored = summary.db_value

    def staging(value: Any) -> Any:
        # Each line's summary is made into its stored value while the sheet is staged.
        if not seen:
            seen.append((_a_save_gets_the_lock(db_path), _their_count(db_path),
                         sorted(p.name for p in db_path.parent.iterdir())))
        return stored(value)

    monkeypatch.setattr(summary, "db_value", staging)
    assert contacts.import_log_sheet(actors[Role.OFFICER], ref, sheet) == 1_200
    saved, counted, files_then = seen[0]
    assert saved  # the other person's save went through while the sheet was staged
    # Nothing of the sheet was yet in the database, nor in a file beside it: a run killed
    # there leaves nothing to clean up.
    assert counted == before and files_then == files
    assert ContactLogEntry.select().count() == before + 1_200
    assert not [name for name in _attached() if name.startswith("log_sheet_stage")]
    result = audit.verify()
    assert result.ok, result.problem  # the staged rows seal as a form's would


def test_a_failure_while_publishing_leaves_nothing_and_no_stage(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    sheet = _sheet(tmp_path, 600)
    before = ContactLogEntry.select().count()
    entries = AuditEntry.select().count()

    def fails(*args: Any) -> Any:
        raise RuntimeError("the disk filled as the contacts were checked")

    monkeypatch.setattr(compliance, "check_new", fails)  # after the rows were written
    with pytest.raises(RuntimeError, match="disk filled"):
        contacts.import_log_sheet(actors[Role.OFFICER], ref, sheet)
    assert ContactLogEntry.select().count() == before
    assert AuditEntry.select().count() == entries
    assert not [name for name in _attached() if name.startswith("log_sheet_stage")]
    assert not searched.contacts_found("gutter")


def test_a_failure_while_staging_leaves_nothing_and_no_stage(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    sheet = _sheet(tmp_path, 600)
    before = ContactLogEntry.select().count()
    staging = ContactLogEntry._meta.fields["summary"]
    stored = staging.db_value
    made: list[Any] = []

    def fails_late(value: Any) -> Any:
        made.append(value)
        if len(made) == 450:
            raise MemoryError("no room left for the sheet")
        return stored(value)

    monkeypatch.setattr(staging, "db_value", fails_late)
    with pytest.raises(MemoryError):
        contacts.import_log_sheet(actors[Role.OFFICER], ref, sheet)
    assert ContactLogEntry.select().count() == before
    assert not [name for name in _attached() if name.startswith("log_sheet_stage")]
    monkeypatch.setattr(staging, "db_value", stored)
    assert contacts.import_log_sheet(actors[Role.OFFICER], ref, sheet) == 600  # again: whole
    assert ContactLogEntry.select().count() == before + 600
