"""v16 10: with a date typed that is not a date (31/02/2027) the decision form's panel showed
that alone, dropping the reasons' problems it had listed. Asked with no dates, the preview
lists every problem that does not turn on them — the reasons', the customer's words' — and
makes no letter; for a variation and for an amendment on appeal alike."""

from __future__ import annotations

from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.restrictions import builder, readiness
from tests import builders

TOLD_PROBLEM = "\u201cWhy, as the customer is told it\u201d"


def test_a_variation_without_dates_lists_the_reasons_problems(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builder.redraft_in_force(actors[Role.CRM], ref)
    found = readiness.preview(actors[Role.CRM], ref, None, "", "", "")
    assert found.letter == "" and not found.ready
    assert any(p.startswith("Give the decision's reasons") for p in found.problems), found
    assert any(p.startswith(TOLD_PROBLEM) for p in found.problems), found.problems
    assert not any(p.startswith("Nothing differs") for p in found.problems), found.problems


def test_an_amendment_without_dates_lists_the_reasons_problems(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    found = readiness.preview_amendment(actors[Role.SERVICE_DIRECTOR], ref, None, "", "")
    assert found.letter == "" and not found.ready
    assert any(p.startswith("Give the reasons for the amendment") for p in found.problems)
    assert any(p.startswith(TOLD_PROBLEM) for p in found.problems), found.problems
