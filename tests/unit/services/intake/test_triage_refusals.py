"""A triage step refused by role names the step refused, in words: the Head of Service pressing
e (enquiry) was told they "may not assign cases", and x read "may not close no action"."""

from __future__ import annotations

import pytest

from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import casework, triage
from crm_tui.services.intake.triage import NoteKind
from crm_tui.services.intake.triage_readiness import TriageStep, refusal
from tests import builders

TEAM = "only the Complaints Resolution Manager or Complaints Resolution Team officer may"


@pytest.mark.parametrize(("step", "words"), [
    (TriageStep.ENQUIRY, "may not record a further enquiry"),
    (TriageStep.REQUEST, "may not record a request to the service area for further "
                         "information"),
    (TriageStep.ASSIGN, "may not assign cases"),
    (TriageStep.CLOSE, "may not close a referral with no action"),
    (TriageStep.RETURN, "may not return a referral to the service area"),
])
def test_each_step_refused_by_role_names_itself(actors: dict[Role, Actor], step: TriageStep,
                                                words: str) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    why = refusal(actors[Role.HEAD_OF_SERVICE], ref, step)
    assert words in why, why
    assert "assign" not in why or step is TriageStep.ASSIGN, why


def test_the_service_refuses_in_the_same_words(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    with pytest.raises(PermissionDenied) as refused:
        triage.record_note(actors[Role.HEAD_OF_SERVICE], ref, NoteKind.ENQUIRY, "Asked")
    assert str(refused.value).endswith(f"may not record a further enquiry; {TEAM}.")
    with pytest.raises(PermissionDenied, match="may not close a referral with no action"):
        casework.close_no_action(actors[Role.HEAD_OF_SERVICE], ref, "No", False)
