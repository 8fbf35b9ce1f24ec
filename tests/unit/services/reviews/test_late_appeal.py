"""v15b S8: an appeal received weeks after the appeal deadline was recorded without a word.
The policy sets no time limit that refuses an appeal while restrictions are in force, so it
is recorded; the record, the case file and whoever decides it say that it was late."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crm_tui.db.models import AuditEntry
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import case_file
from crm_tui.services.reviews import appeals
from tests import builders

DEADLINE = date(2027, 1, 11)  # decided 28 Nov 2026, with no letter: the counted period


def test_an_appeal_after_the_deadline_is_recorded_as_late(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    assert appeals.view(actors[Role.OFFICER], ref).appeal_by == DEADLINE
    monkeypatch.setenv("CRM_TUI_NOW", "2027-01-25T10:00:00")
    appeals.lodge_appeal(actors[Role.OFFICER], ref, date(2027, 1, 20), "I was never warned")
    entry = AuditEntry.get((AuditEntry.case_reference == ref)
                           & (AuditEntry.action == "lodge_appeal"))
    assert json.loads(entry.payload)["late_after"] == DEADLINE.isoformat()
    view = appeals.view(actors[Role.SERVICE_DIRECTOR], ref)
    assert view.open is not None and view.open.late_after == DEADLINE
    shown = case_file.case_file(actors[Role.HEAD_OF_SERVICE], ref)
    lodged = next(e for e in shown.timeline if e.title.startswith("Appeal received"))
    assert "late: after the appeal deadline of 11 Jan 2027" in lodged.title
    # Opened in full, said once under its label (v15i N4: "Late: late: after …").
    assert "Late: after the appeal deadline of 11 Jan 2027" in lodged.detail.splitlines()
    assert "late: late" not in lodged.detail.casefold()


def test_an_appeal_in_time_says_nothing_of_lateness(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    appeals.lodge_appeal(actors[Role.OFFICER], ref, date(2026, 11, 28), "I was never warned")
    entry = AuditEntry.get((AuditEntry.case_reference == ref)
                           & (AuditEntry.action == "lodge_appeal"))
    assert "late_after" not in json.loads(entry.payload)
    view = appeals.view(actors[Role.SERVICE_DIRECTOR], ref)
    assert view.open is not None and view.open.late_after is None
    shown = case_file.case_file(actors[Role.HEAD_OF_SERVICE], ref)
    assert not any("late" in e.title for e in shown.timeline)
