"""v15e F1: not writing to the customer is the CRM's decision "in consultation with the Head
of Service … and the reasons for it will be recorded". Where the Head of Service's view on not
writing is "does not agree", lifting without a letter needs the CRM's reasons for deciding
otherwise, kept on the decision (the case file's timeline shows it) and in its audit entry."""

from __future__ import annotations

import json

import pytest

from crm_tui.db.models import AuditEntry, Case, Decision
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.outcomes import ConsultationSubject, ConsultationView
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import case_file, casework
from crm_tui.services.restrictions import decisions
from tests import builders

THEIR_WORDS = "I do not agree: the customer should be told in writing that the restrictions end."
WHY = "A letter about these restrictions set off weeks of calls last time; the area agrees."


def _disagreed(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    casework.record_consultation(actors[Role.HEAD_OF_SERVICE], ref,
                                 view=ConsultationView.DISAGREES, view_text=THEIR_WORDS,
                                 subject=ConsultationSubject.NO_COMMUNICATION)
    return ref


def test_not_writing_against_the_view_needs_the_crms_reasons(
        actors: dict[Role, Actor]) -> None:
    ref = _disagreed(actors)
    assert decisions.not_writing_view(actors[Role.CRM], ref) == ("disagrees", THEIR_WORDS)
    entries = AuditEntry.select().count()
    with pytest.raises(RequirementMissing, match="does not agree with not writing"):
        decisions.lift_restrictions(actors[Role.CRM], ref, "Writing would restart it",
                                    without_letter=True)
    assert AuditEntry.select().count() == entries
    assert Case.get(Case.reference == ref).state == CaseState.UNDER_REVIEW.value
    decisions.lift_restrictions(actors[Role.CRM], ref, "Writing would restart it",
                                without_letter=True, against_view_reason=WHY)
    decision = Decision.get(Decision.action == "lift_without_letter")
    assert decision.against_view_reason == WHY
    entry = (AuditEntry.select().where(AuditEntry.action == "lift_without_letter")
             .order_by(AuditEntry.seq.desc()).first())
    assert json.loads(entry.payload)["against_view_reason"] == WHY
    [shown] = [e for e in case_file.case_file(actors[Role.CRM], ref).timeline
               if e.title.startswith("Decision:") and "against" in e.title]
    assert WHY in shown.detail


def test_where_the_view_agrees_no_reasons_against_it_are_kept(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.consult_no_communication(actors, ref)
    decisions.lift_restrictions(actors[Role.CRM], ref, "Writing would restart it",
                                without_letter=True, against_view_reason=WHY)
    assert Decision.get(Decision.action == "lift_without_letter").against_view_reason == ""
