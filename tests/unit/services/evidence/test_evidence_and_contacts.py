"""The evidence store, attaching documents, verifying them, and log sheets."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import AuditEntry, ContactLogEntry, EvidenceItem, database_proxy
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import PermissionDenied, ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.evidence_store import EvidenceStore
from crm_tui.services.evidence import contacts, documents
from crm_tui.services.evidence.contacts import ContactInput, LogSheetProblem
from tests import builders, dumps, outside

HEADER = "when,channel,direction,service_area,officer,duration_minutes,summary,categories\n"


def _dump() -> list[str]:
    return dumps.dump()


def test_store_hashes_copies_read_only_and_dedupes(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "store", 1000)
    source = tmp_path / "note.txt"
    source.write_text("hello")
    first = store.store(source)
    assert first.sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    target = store.path_for(first.sha256)
    assert target.read_text() == "hello" and target.stat().st_mode & 0o777 == 0o400
    again = store.store(source)
    assert again.sha256 == first.sha256 and not again.newly_stored
    assert store.verify(first.sha256) == "ok"


@pytest.mark.parametrize("kind", ["empty", "huge", "link", "folder", "device", "missing"])
def test_store_refuses_what_should_not_be_stored(tmp_path: Path, kind: str) -> None:
    store = EvidenceStore(tmp_path / "store", 100)
    path = tmp_path / "thing"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "huge":
        path.write_bytes(b"x" * 101)
    elif kind == "link":
        real = tmp_path / "real.txt"
        real.write_text("x")
        path.symlink_to(real)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        path = Path("/dev/null")
    with pytest.raises(ValidationError):
        store.store(path)
    assert not list((tmp_path / "store").rglob("*")) or all(
        p.is_dir() for p in (tmp_path / "store").rglob("*"))


def test_verify_finds_changed_and_missing(actors: dict[Role, Actor], tmp_path: Path,
                                          acting_as: Callable[[str], None]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    one, two = tmp_path / "one.eml", tmp_path / "two.pdf"
    one.write_text("From: a@example.org\n\nHello")
    two.write_bytes(b"%PDF-1.4 not really")
    sha_one = documents.attach_document(actors[Role.OFFICER], ref, one, "First email")
    sha_two = documents.attach_document(actors[Role.OFFICER], ref, two)
    documents.attach_document(actors[Role.OFFICER], ref, one)  # linked once
    assert EvidenceItem.select().count() == 2
    assert documents.verify_store(actors[Role.CRM]).ok
    store = documents.evidence_store()
    changed = store.path_for(sha_one)
    changed.chmod(0o600)
    changed.write_text("tampered")
    store.path_for(sha_two).unlink()
    report = documents.verify_store(actors[Role.CRM])
    assert [r[1] for r in report.changed] == ["one.eml"]
    assert [r[1] for r in report.missing] == ["two.pdf"]
    acting_as("crm")
    result = CliRunner().invoke(main, ["evidence", "verify", "--db",
                                       outside.target(database_proxy.obj.database)])
    assert result.exit_code == 1
    assert "CHANGED" in result.output and "MISSING" in result.output


def test_attaching_needs_a_role_that_may(actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    path = tmp_path / "a.txt"
    path.write_text("x")
    with pytest.raises(PermissionDenied):
        documents.attach_document(actors[Role.HEAD_OF_SERVICE], ref, path)
    assert EvidenceItem.select().count() == 0


def _contact(**changes: object) -> ContactInput:
    values: dict[str, object] = {
        "at": datetime(2026, 11, 20, 9, 30), "channel": Channel.TELEPHONE,
        "direction": Direction.INBOUND, "service_area": "Housing Services",
        "officer_name": "Aisha Karim", "summary": "Fifth call today about the gutter",
        "duration_minutes": 12, "categories": (BehaviourCategory.EXCESSIVE_DEMANDS,)}
    values.update(changes)
    return ContactInput(**values)  # type: ignore[arg-type]


def test_log_and_correct_a_contact(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    contact_id = contacts.log_contact(actors[Role.OFFICER], ref, _contact())
    row = ContactLogEntry.get_by_id(contact_id)
    assert row.categories == BehaviourCategory.EXCESSIVE_DEMANDS.mask
    with pytest.raises(ValidationError):
        contacts.correct_contact(actors[Role.OFFICER], ref, contact_id,
                                 _contact(duration_minutes=2), " ")
    contacts.correct_contact(actors[Role.OFFICER], ref, contact_id,
                             _contact(duration_minutes=2), "Typed 12 for 2")
    assert ContactLogEntry.get_by_id(contact_id).duration_minutes == 2
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert entry.reason == "Typed 12 for 2" and '"duration_minutes": 12' in entry.payload


@pytest.mark.parametrize(("change", "field"), [
    ({"at": datetime(2027, 1, 1, 9, 0)}, "when"),
    ({"service_area": "Nowhere"}, "service_area"),
    ({"summary": "  "}, "summary"),
    ({"duration_minutes": -5}, "duration_minutes"),
    # Who dealt with it: a contact no one answers for was saved from the screen (issue 15).
    ({"officer_name": "  "}, "officer"),
])
def test_bad_contact_is_refused(actors: dict[Role, Actor], change: dict[str, object],
                                field: str) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    before = _dump()
    with pytest.raises(ValidationError) as error:
        contacts.log_contact(actors[Role.OFFICER], ref, _contact(**change))
    assert error.value.field == field
    assert _dump() == before


def test_import_log_sheet_all_or_nothing(actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    good = tmp_path / "sheet.csv"
    good.write_text(HEADER +
                    "2026-10-01 09:10,email,inbound,Housing Services,Aisha Karim,5,"
                    "\"Same gutter, again\",scattergun;excessive_demands\n"
                    "2026-10-02 23:40,telephone,inbound,Housing Services,Ben Latham,15,"
                    "Late call [bold]shouting[/],offensive_remarks\n", encoding="utf-8")
    assert contacts.import_log_sheet(actors[Role.OFFICER], ref, good) == 2
    assert ContactLogEntry.select().where(ContactLogEntry.summary.contains("[bold]")).exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER +
                   "2026-10-03 09:10,email,inbound,Housing Services,A,5,ok,\n"
                   "2026-10-04 09:10,pigeon,inbound,Housing Services,A,5,no,\n")
    before = _dump()
    with pytest.raises(LogSheetProblem) as problem:
        contacts.import_log_sheet(actors[Role.OFFICER], ref, bad)
    assert problem.value.line == 3 and problem.value.column == "channel"
    future = tmp_path / "future.csv"
    future.write_text(HEADER + "2027-10-03 09:10,email,inbound,Housing Services,A,5,ok,\n")
    with pytest.raises(LogSheetProblem) as problem:
        contacts.import_log_sheet(actors[Role.OFFICER], ref, future)
    assert problem.value.line == 2 and problem.value.column == "when"
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + b"2026-10-03 09:10,email,inbound,H,Si\xe2n,5,x,\n")
    with pytest.raises(LogSheetProblem, match="not UTF-8") as problem:
        contacts.import_log_sheet(actors[Role.OFFICER], ref, latin)
    # round 10: a sentence naming the file, not "latin.csv: line 2, file: is not UTF-8"
    assert str(problem.value) == ("latin.csv is not UTF-8 text (line 2): save it as UTF-8 CSV "
                                  "and import it again")
    headless = tmp_path / "headless.csv"
    headless.write_text("a,b\n1,2\n")
    with pytest.raises(LogSheetProblem, match="columns missing"):
        contacts.import_log_sheet(actors[Role.OFFICER], ref, headless)
    assert _dump() == before


def test_a_log_sheet_row_with_no_officer_is_refused_with_its_line(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(HEADER + "2026-10-01 09:10,email,inbound,Housing Services,A,5,ok,\n"
                     "2026-10-02 09:10,email,inbound,Housing Services,,5,ok,\n")
    before = _dump()
    with pytest.raises(LogSheetProblem) as problem:
        contacts.import_log_sheet(actors[Role.OFFICER], ref, sheet)
    assert problem.value.line == 3 and problem.value.column == "officer"
    assert _dump() == before


def test_import_log_sheet_command(actors: dict[Role, Actor], tmp_path: Path,
                                  db_path: Path, acting_as: Any) -> None:
    acting_as("officer")
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(HEADER + "2026-10-01 09:10,letter,inbound,Housing Services,A,0,"
                     "Twelve pages,\n")
    result = CliRunner().invoke(main, ["import", "log-sheet", ref, str(sheet), "--db",
                                       outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 contact onto" in result.output
    if is_sqlite():  # the database's file is the owner's alone (a server's is no file here)
        assert os.stat(db_path).st_mode & 0o077 == 0


def test_search_across_a_cases_documents(actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("The GUTTER again. Gutter, gutter, gutter!")
    two.write_text("A letter about parking.")
    documents.attach_document(actors[Role.OFFICER], ref, one)
    documents.attach_document(actors[Role.OFFICER], ref, two)
    found = documents.search(actors[Role.CRM], ref, "gutter")
    assert [(h.original_name, h.matches) for h in found.hits] == [("one.txt", 4)]
    assert "GUTTER again" in found.hits[0].snippet
    assert found.said() == "Found in 1 of 2 documents: one.txt (4)"
    assert documents.search(actors[Role.CRM], ref, "gutter parking").hits == []
    assert documents.search(actors[Role.CRM], ref, "   ").hits == []


def test_an_import_says_how_many_fall_outside_the_period_shown(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """Round 11: "Log sheet imported: 3 contacts", then "0 contacts" on the log sheet with no
    hint: contacts of 3 November imported onto a screen showing 1 Sep to 1 Nov. Said as
    logging one by hand says it."""
    from datetime import date

    from crm_tui.services.evidence.analysis import Period
    from crm_tui.ui.screens.evidence_actions import log_sheet_imported

    ref = builders.at_state(actors, CaseState.RESTRICTED)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(HEADER + "".join(
        f"2026-11-03 0{hour}:10,email,inbound,Housing Services,Aisha Karim,5,Again,\n"
        for hour in (7, 8, 9)), encoding="utf-8")
    done = contacts.import_log_sheet_report(actors[Role.OFFICER], ref, sheet)
    assert done.days == (date(2026, 11, 3),) * 3
    shown = Period(date(2026, 9, 1), date(2026, 11, 1), "Monitoring period")
    said = log_sheet_imported(done.days, shown)
    assert said == ("Log sheet imported: 3 contacts. All of them fall outside the period shown "
                    "(Monitoring period, 1 Sep 2026 to 1 Nov 2026), so the log sheet and the "
                    "analysis leave them out: p chooses a period that includes them.")
    assert "2 contacts of them fall outside" in log_sheet_imported(
        (date(2026, 11, 3), date(2026, 11, 3), date(2026, 10, 3)), shown)
    assert log_sheet_imported((date(2026, 10, 3),), shown) == "Log sheet imported: 1 contact"
