"""Every (role, action) pair through the real services: allowed ones succeed, forbidden ones
fail with PermissionDenied and leave the database exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from crm_tui.db.models import Case, database_proxy
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.lifecycle import TRANSITIONS, Action
from crm_tui.domain.outcomes import AppealOutcome, ConsultationView
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import (
    CustomerInput,
    DecisionTerms,
    LocalResolutionInput,
    ReferralInput,
)
from crm_tui.services.intake import casework
from crm_tui.services.restrictions import decisions
from crm_tui.services.retention import archive
from crm_tui.services.reviews import appeals, review_steps
from tests import builders

S = CaseState
Setup = Callable[[dict[Role, Actor]], str]
Do = Callable[[Actor, str], Any]


def _lr_input() -> LocalResolutionInput:
    return LocalResolutionInput(date(2026, 10, 1), "Letter of concern", date(2026, 10, 1),
                                date(2026, 11, 1))


def _under_review_with(extra: Callable[[dict[Role, Actor], str], None]) -> Setup:
    def setup(actors: dict[Role, Actor]) -> str:
        ref = builders.at_state(actors, S.UNDER_REVIEW)
        extra(actors, ref)
        return ref
    return setup


def _proposed(actors: dict[Role, Actor], ref: str) -> None:
    review_steps.propose_extension(actors[Role.CRM], ref, "Further emails to five officers")
    # The comment period has run its course (an extension cannot be decided before).
    Case.update(reply_by=date(2026, 11, 27)).where(Case.reference == ref).execute()
    builders.draft(actors, ref, by=Role.CRM)


def _restricted_with_draft(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, S.RESTRICTED)
    builders.draft(actors, ref, by=Role.CRM)
    return ref


def _appeal_with_draft(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, S.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    return ref


def _at(state: CaseState) -> Setup:
    return lambda actors: builders.at_state(actors, state)


NEW_TERMS = DecisionTerms(starts_on=builders.TODAY, ends_on=date(2027, 5, 28))

CASES: dict[Action, tuple[Setup | None, Do, str]] = {
    # action: (setup, do, clock for the attempt ("" = frozen today))
    Action.OPEN_LOCAL_RESOLUTION: (None, lambda a, _: casework.open_local_resolution(
        a, CustomerInput(name="Pat Example"), "Housing Services", _lr_input()), ""),
    Action.RECORD_REFERRAL: (_at(S.LOCAL_RESOLUTION), lambda a, r: casework.record_referral(
        a, ReferralInput("manager", date(2026, 11, 20), "Daily calls",
                         (BehaviourCategory.EXCESSIVE_DEMANDS,)), case_reference=r), ""),
    Action.BEGIN_CONSIDERATION: (_at(S.NEW), casework.begin_consideration, ""),
    Action.REQUEST_CONSULTATION: (_at(S.UNDER_CONSIDERATION), casework.request_consultation, ""),
    Action.RECORD_CONSULTATION: (_at(S.AWAITING_CONSULTATION), lambda a, r:
                                 casework.record_consultation(a, r, view=ConsultationView.AGREES,
                                                            view_text="Agreed", consultee="hos"),
                                 ""),
    Action.CLOSE_NO_ACTION: (_at(S.UNDER_CONSIDERATION), lambda a, r: casework.close_no_action(
        a, r, "Genuine ongoing problems"), ""),
    Action.RETURN_TO_SERVICE_AREA: (_at(S.NEW), lambda a, r: casework.return_to_service_area(
        a, r, "Try a single point of contact first"), ""),
    Action.IMPOSE_RESTRICTIONS: (_at(S.UNDER_CONSIDERATION), lambda a, r:
                                 decisions.impose_restrictions(a, r, "Evidence shows it",
                                                                  builders.TERMS), ""),
    Action.VARY_RESTRICTIONS: (_restricted_with_draft, lambda a, r:
                               decisions.vary_restrictions(a, r, "Easier to comply",
                                                              NEW_TERMS), ""),
    Action.START_REVIEW: (_at(S.RESTRICTED), review_steps.start_review, ""),
    Action.CONTINUE_UNCHANGED: (_at(S.UNDER_REVIEW), lambda a, r: review_steps.continue_unchanged(
        a, r, "Behaviour continues"), ""),
    Action.PROPOSE_EXTENSION: (_at(S.UNDER_REVIEW), lambda a, r: review_steps.propose_extension(
        a, r, "Behaviour continues"), ""),
    Action.EXTEND_RESTRICTIONS: (_under_review_with(_proposed), lambda a, r:
                                 review_steps.extend_restrictions(a, r, "No comments received",
                                                             NEW_TERMS), ""),
    Action.LIFT_RESTRICTIONS: (_at(S.RESTRICTED), lambda a, r: decisions.lift_restrictions(
        a, r, "Behaviour subsided"), ""),
    Action.LIFT_WITHOUT_LETTER: (_under_review_with(builders.consult_no_communication),
                                 lambda a, r: decisions.lift_restrictions(
                                     a, r, "A letter could restart it", without_letter=True), ""),
    Action.LODGE_APPEAL: (_at(S.RESTRICTED), lambda a, r: appeals.lodge_appeal(
        a, r, builders.TODAY, "Unfair"), ""),
    Action.CONFIRM_ON_APPEAL: (_at(S.UNDER_APPEAL), lambda a, r: appeals.decide_appeal(
        a, r, AppealOutcome.CONFIRMED, "Decision was sound"), ""),
    Action.AMEND_ON_APPEAL: (_appeal_with_draft, lambda a, r: appeals.decide_appeal(
        a, r, AppealOutcome.AMENDED, "Shorter period", NEW_TERMS), ""),
    Action.REMOVE_ON_APPEAL: (_at(S.UNDER_APPEAL), lambda a, r: appeals.decide_appeal(
        a, r, AppealOutcome.REMOVED, "Not proportionate"), ""),
    Action.EXPIRE_RESTRICTIONS: (_at(S.RESTRICTED), lambda a, r: decisions.expire_due(a),
                                 "2027-11-29T09:00:00"),
    Action.ARCHIVE: (_at(S.ENDED), archive.archive, ""),
    Action.DESTROY: (_at(S.ARCHIVED), archive.destroy, "2032-11-29T09:00:00"),
}


def test_every_action_is_covered() -> None:
    assert set(CASES) == set(Action)


def _dump() -> list[str]:
    return list(database_proxy.obj.connection().iterdump())


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_role_action(action: Action, role: Role, actors: dict[Role, Actor],
                     monkeypatch: pytest.MonkeyPatch) -> None:
    setup, do, when = CASES[action]
    ref = setup(actors) if setup else ""
    if when:
        monkeypatch.setenv("CRM_TUI_NOW", when)
    actor = actors[role]
    if role in TRANSITIONS[action].roles:
        do(actor, ref)
    else:
        before = _dump()
        with pytest.raises(PermissionDenied):
            do(actor, ref)
        assert _dump() == before
