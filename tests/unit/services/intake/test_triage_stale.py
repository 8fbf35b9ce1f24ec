"""Assignment and triage from a stale view (b16e F8): a dialog or form opened before someone
else assigned the case or moved it on went through silently, replacing their assignment or
closing a case they had just taken into consideration. The step carries the version it was
opened on and is refused, saying who did what and when, with nothing written."""

from __future__ import annotations

import re

import pytest

from crm_tui.db.models import AuditEntry, Case, CaseNote
from crm_tui.domain.errors import StaleEdit
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import casework, triage, triage_version
from crm_tui.services.intake.triage import NoteKind
from tests import builders


def test_an_assignment_from_a_stale_dialog_is_refused_naming_the_other(
        actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    crm = actors[Role.CRM]
    seen = triage_version.opened(ref)
    casework.assign(crm, ref, "officer")  # meanwhile, from another workstation
    entries = AuditEntry.select().count()
    with pytest.raises(StaleEdit) as refused:
        casework.assign(crm, ref, "crm", seen)
    assert str(refused.value).startswith(
        "Alex Morgan assigned this case to Sam Patel at 10:00 since you opened it. Nothing "
        "was saved")
    assert AuditEntry.select().count() == entries
    assert Case.get(Case.reference == ref).assigned_to.login == "officer"
    casework.assign(crm, ref, "crm", triage_version.opened(ref))  # read again: it saves
    assert Case.get(Case.reference == ref).assigned_to.login == "crm"


def test_a_close_from_a_stale_form_is_refused_after_a_move_to_consideration(
        actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    crm = actors[Role.CRM]
    seen = triage_version.opened(ref)
    casework.begin_consideration(crm, ref)
    entries = AuditEntry.select().count()
    with pytest.raises(StaleEdit, match=re.escape(
            "changed this case at 10:00 since you opened it: moved to consideration. Nothing "
            "was saved")):
        casework.close_no_action(crm, ref, "The matters raised are already resolved", False,
                                 seen)
    with pytest.raises(StaleEdit):
        casework.return_to_service_area(crm, ref, "Try a single point of contact", seen)
    with pytest.raises(StaleEdit):
        triage.record_note(crm, ref, NoteKind.ENQUIRY, "Asked the housing officer", seen)
    assert AuditEntry.select().count() == entries
    assert not CaseNote.select().where(CaseNote.text == "Asked the housing officer").exists()
    assert Case.get(Case.reference == ref).state == CaseState.UNDER_CONSIDERATION.value


def test_a_note_or_contact_meanwhile_does_not_make_the_form_stale(
        actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    crm = actors[Role.CRM]
    seen = triage_version.opened(ref)
    triage.record_note(crm, ref, NoteKind.INFORMATION_REQUESTED, "The repair history, please")
    casework.assign(crm, ref, "officer", seen)
    assert Case.get(Case.reference == ref).assigned_to.login == "officer"


def test_a_move_to_consideration_from_a_stale_screen_is_refused_naming_the_other(
        actors: dict[Role, Actor]) -> None:
    """`c` has no form: it carries the version the screen read the case at (read_before)."""
    ref = builders.referred(actors)
    crm = actors[Role.CRM]
    shown = triage_version.read_before()
    casework.assign(crm, ref, "officer")  # meanwhile, in another app
    entries = AuditEntry.select().count()
    with pytest.raises(StaleEdit) as refused:
        casework.begin_consideration(crm, ref, shown)
    assert str(refused.value).startswith(
        "Alex Morgan assigned this case to Sam Patel at 10:00 since your screen showed it. "
        "Nothing was saved")
    assert AuditEntry.select().count() == entries
    assert Case.get(Case.reference == ref).state == CaseState.NEW.value
    # Read again (the screen does so on the refusal): it goes through.
    casework.begin_consideration(crm, ref, triage_version.read_before())
    assert Case.get(Case.reference == ref).state == CaseState.UNDER_CONSIDERATION.value


def test_a_screen_read_after_the_last_change_is_not_stale(actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    crm = actors[Role.CRM]
    casework.assign(crm, ref, "officer")
    casework.begin_consideration(crm, ref, triage_version.read_before())
    assert Case.get(Case.reference == ref).state == CaseState.UNDER_CONSIDERATION.value


def test_an_appeal_that_removed_restrictions_is_said_plainly(
        actors: dict[Role, Actor]) -> None:
    """v20 AW5: the inbox said "“remove on appeal” recorded; it has had its restrictions ended
    now" of an appeal decided elsewhere. Every step says what it did, plainly."""
    from crm_tui.domain.lifecycle import Action
    from crm_tui.domain.outcomes import AppealOutcome
    from crm_tui.services.reviews import appeals
    from tests.builders import TOLD

    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    seen = triage_version.opened(ref)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.REMOVED,
                          "Not proportionate", customer_reason=TOLD)
    found = triage_version.changed_since(ref, seen)
    assert found is not None
    assert found.said.endswith(" at 10:00: appeal decided: restrictions removed"), found.said
    assert set(triage_version.DONE) == set(Action)
    for said in triage_version.DONE.values():  # no codes, no quoted step names
        assert "_" not in said and "“" not in said and "recorded;" not in said, said
