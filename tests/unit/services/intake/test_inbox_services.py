"""The inbox queries, referral submission and import, triage notes and the case file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crm_tui.db.models import Case, CaseNote, EvidenceItem, Referral
from crm_tui.domain.errors import DomainError, PermissionDenied
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import case_file, casework, inbox, triage
from crm_tui.services.intake.inbox import InboxFilter, SortKey, Tab
from crm_tui.services.intake.referral_import import ImportProblem, import_referral
from crm_tui.services.intake.triage import NoteKind
from tests import builders, dumps

SAMPLE = {
    "schema": "crm-tui/referral/1",
    "service_area": "Housing Services",
    "referred_by": "manager",
    "received_on": "2026-11-20",
    "customer": {"name": "Mr Ptolemy Gribble", "address": ["14 Lantern Yard", "Northmere"],
                 "postcode": "NM4 2QT", "email": "pg@example.org"},
    "behaviour": {"details": "Emails every officer daily about the same [bold]gutter[/]",
                  "categories": ["scattergun", "excessive_demands"]},
    "local_resolution": {"written_on": "2026-09-01", "written_summary": "Concerns set out",
                         "customer_summary": "You have written to us many times a day.",
                         "contact_frequency": "weekly",
                         "communication_style": "Weekly email",
                         "monitoring_start": "2026-09-01", "monitoring_end": "2026-11-01"},
    "other_departments": "Councillor casework",
    "evidence": ["log-sheet.txt"],
}


def _dump() -> list[str]:
    return dumps.dump()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "referral"
    folder.mkdir()
    (folder / "referral.json").write_text(json.dumps(SAMPLE, indent=2), encoding="utf-8")
    (folder / "log-sheet.txt").write_text("2026-10-01 09:10 email: the gutter again\n")
    (folder / "email.eml").write_text("From: customer@example.org\n\nThe gutter.\n")
    return folder


def test_import_folder_records_everything(actors: dict[Role, Actor], folder: Path) -> None:
    summary = import_referral(actors[Role.CRM], folder)
    assert summary.state is CaseState.NEW
    case = Case.get(Case.reference == summary.reference)
    referral = Referral.get(Referral.case == case)
    assert "[bold]gutter[/]" in referral.behaviour_details  # stored literally
    assert case.received_on == date(2026, 11, 20)
    names = {e.original_name for e in EvidenceItem.select().where(EvidenceItem.case == case)}
    assert names == {"log-sheet.txt", "email.eml"}
    found = inbox.page(actors[Role.CRM], InboxFilter(search="gutter")).rows
    assert [r.reference for r in found] == [summary.reference]


def _write(folder: Path, data: object) -> Path:
    path = folder / "referral.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "field", "line"), [
    ({"service_area": "Ministry of Magic"}, "service_area", 3),
    ({"received_on": "2027-01-01"}, "received_on", 5),
    ({"received_on": "yesterday"}, "received_on", 5),
    ({"schema": "something/else"}, "schema", 2),
    ({"colour": "blue"}, "colour", None),
    ({"behaviour": {"details": "", "categories": []}}, "behaviour.details", None),
    ({"behaviour": {"details": "Shouts at the counter", "categories": ["shouting"]}},
     "behaviour.categories", None),
])
def test_bad_file_names_field_and_line_and_stores_nothing(
        actors: dict[Role, Actor], folder: Path, change: dict[str, object], field: str,
        line: int | None) -> None:
    _write(folder, {**SAMPLE, **change})
    before = _dump()
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], folder / "referral.json")
    assert problem.value.field == field
    if line is not None:
        assert problem.value.line == line
    else:
        assert problem.value.line is not None
    assert _dump() == before


def test_monitoring_period_in_the_wrong_order(actors: dict[Role, Actor], folder: Path) -> None:
    data = json.loads(json.dumps(SAMPLE))
    data["local_resolution"]["monitoring_end"] = "2026-08-01"
    _write(folder, data)
    before = _dump()
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], folder)
    assert problem.value.field == "local_resolution.monitoring_end"
    assert _dump() == before
    assert not list((Path(folder).parent / "data" / "evidence").glob("*/*"))


def test_not_json_and_not_utf8(actors: dict[Role, Actor], tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "schema": "crm-tui/referral/1",\n  oops\n}')
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], broken)
    assert problem.value.line == 3
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{\n "name": "Si\xe2n"\n}')
    with pytest.raises(ImportProblem, match="not UTF-8") as problem:
        import_referral(actors[Role.CRM], latin)
    assert problem.value.line == 2
    # round 10: a sentence naming the file, not "latin.json, line 2, file: is not UTF-8"
    assert str(problem.value) == ("latin.json is not UTF-8 text (line 2): save it as UTF-8 "
                                  "and import it again")


def test_evidence_outside_the_folder_is_refused(actors: dict[Role, Actor], folder: Path) -> None:
    _write(folder, {**SAMPLE, "evidence": ["../../etc/passwd"]})
    with pytest.raises(ImportProblem, match="outside the folder"):
        import_referral(actors[Role.CRM], folder / "referral.json")


def test_no_local_resolution_needs_a_reason(actors: dict[Role, Actor], folder: Path) -> None:
    _write(folder, {**SAMPLE, "local_resolution": None, "evidence": []})
    with pytest.raises(DomainError, match="local resolution"):
        import_referral(actors[Role.CRM], folder / "referral.json")
    _write(folder, {**SAMPLE, "local_resolution": None, "evidence": [],
                    "no_local_resolution_reason": "Police action for threats to staff",
                    "escalation": {"kind": "police_involvement", "occurred_on": "2026-11-18",
                                   "reference": "NM/26/4411", "note": "Threats at reception"}})
    assert import_referral(actors[Role.CRM], folder / "referral.json").state is CaseState.NEW


ARCHIVED = CaseState.ARCHIVED


def test_tabs_count_by_state(actors: dict[Role, Actor]) -> None:
    for state in (CaseState.NEW, CaseState.NEW, CaseState.RESTRICTED, CaseState.ARCHIVED):
        builders.at_state(actors, state)
    counts = inbox.tab_counts(actors[Role.CRM], InboxFilter()).counts
    assert counts[Tab.NEW] == 2 and counts[Tab.RESTRICTED] == 1 and counts[Tab.ARCHIVED] == 1
    # An archived file is out of the working list (issue 16), under its own tab; a search
    # still finds it under All.
    assert counts[Tab.ALL] == 3
    assert ARCHIVED not in {r.state for r in inbox.page(actors[Role.CRM], InboxFilter()).rows}
    found = InboxFilter(search="Testy")
    assert inbox.tab_counts(actors[Role.CRM], found).counts[Tab.ALL] == 4
    assert ARCHIVED in {r.state for r in inbox.page(actors[Role.CRM], found).rows}
    rows = inbox.page(actors[Role.CRM], InboxFilter(tab=Tab.NEW)).rows
    assert {r.state for r in rows} == {CaseState.NEW}
    assert rows[0].days_waiting == 26  # received 2 Nov, today 28 Nov


def test_filters_and_keyset_paging(actors: dict[Role, Actor]) -> None:
    refs = [builders.at_state(actors, CaseState.NEW) for _ in range(7)]
    crm = actors[Role.CRM]
    casework.assign(crm, refs[0], "officer")
    mine = inbox.page(actors[Role.OFFICER], InboxFilter(assigned_to_me=True)).rows
    assert [r.reference for r in mine] == [refs[0]]
    assert inbox.page(crm, InboxFilter(service_area="Waste and Recycling")).rows == []
    for key in SortKey:
        for descending in (False, True):
            seen: list[str] = []
            after = None
            while True:
                page = inbox.page(crm, InboxFilter(sort=key, descending=descending), after,
                                  size=3)
                seen += [r.reference for r in page.rows]
                after = page.after
                if not page.has_more:
                    break
            assert sorted(seen) == sorted(refs), (key, descending)


def test_search_ignores_markup_and_operators(actors: dict[Role, Actor]) -> None:
    builders.at_state(actors, CaseState.NEW)
    crm = actors[Role.CRM]
    for text in ('[bold]', '"OR', "NEAR(", "*", "emails AND"):
        inbox.page(crm, InboxFilter(search=text))  # must not raise
    assert inbox.page(crm, InboxFilter(search="forty emails")).rows


def test_triage_notes_and_timeline(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    triage.record_note(actors[Role.OFFICER], ref, NoteKind.INFORMATION_REQUESTED,
                       "Please send the log sheets for October")
    triage.record_note(actors[Role.CRM], ref, NoteKind.ENQUIRY, "Spoke to the councillor")
    assert CaseNote.select().count() == 2
    with pytest.raises(PermissionDenied):
        triage.record_note(actors[Role.HEAD_OF_SERVICE], ref, NoteKind.ENQUIRY, "x")
    with pytest.raises(DomainError):
        triage.record_note(actors[Role.CRM], ref, NoteKind.ENQUIRY, "  ")
    data = case_file.case_file(actors[Role.CRM], ref)
    kinds = [e.kind for e in data.timeline]
    assert "triage" in kinds and "referral" in kinds and "local resolution" in kinds
    assert data.customer is not None and data.in_force == []


def test_case_file_shows_restrictions_in_force(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    data = case_file.case_file(actors[Role.CRM], ref)
    assert [r.description for r in data.in_force] == ["Contact accepted only by letter"]
    assert any(e.kind == "decision" for e in data.timeline)
