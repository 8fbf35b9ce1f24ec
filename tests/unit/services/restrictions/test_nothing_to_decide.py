"""A decision that changes nothing is refused (v15e F12): the restrictions in force set out
again (r), nothing edited, and decided as a "variation" with the same dates made a letter that
said "We have decided to change how they are set out … The restrictions themselves and their
dates are the same as before", with a new appeal deadline. Sooner dates on the same
restrictions are still a variation; the letter of one is filed by what was decided."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from crm_tui.db.models import Case, Decision
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions, readiness
from crm_tui.services.reviews import appeals
from tests import builders, dumps
from tests.conftest import PASSPHRASE

TOLD = builders.TOLD
NOTHING = "Nothing differs from the restrictions in force"
SAME = DecisionTerms(starts_on=builders.TODAY, ends_on=builders.TERMS.ends_on)


def _dump() -> list[str]:
    return dumps.dump()


def test_a_variation_that_changes_nothing_is_refused(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builder.redraft_in_force(crm, ref)
    view = builder.builder_view(crm, ref)
    assert view.same_as_in_force  # the builder's panel says only sooner dates can be decided
    # The form opens on the dates in force: the preview says so at once, first.
    preview = readiness.preview(crm, ref, builder.decision_defaults(crm, ref),
                                "No change", customer_reason=TOLD)
    assert preview.problems[0] == (
        "Nothing differs from the restrictions in force: the restrictions, their start, their "
        "end and their review are the same, so there is nothing to decide; start them later, "
        "bring the end or review date sooner, change a restriction (e), or discard the "
        "redraft (x)")
    decided = Decision.select().count()
    before = _dump()
    with pytest.raises(RequirementMissing, match=NOTHING):
        decisions.vary_restrictions(crm, ref, "No change", SAME, read=builders.read(ref),
                                    customer_reason=TOLD)
    assert _dump() == before and Decision.select().count() == decided


def test_the_same_restrictions_ended_sooner_are_a_variation_filed_as_one(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builder.redraft_in_force(crm, ref)
    sooner = replace(SAME, ends_on=date(2027, 5, 28))
    assert NOTHING not in " ".join(readiness.preview(crm, ref, sooner, "Sooner",
                                                     customer_reason=TOLD).problems)
    decisions.vary_restrictions(crm, ref, "Behaviour has eased", sooner,
                                read=builders.read(ref), customer_reason=TOLD)
    assert Case.get(Case.reference == ref).restrictions_end == date(2027, 5, 28)
    issued = issuing.sign_and_export(crm, ref, LetterKind.EXTENSION_DECISION,
                                     tmp_path / "out", PASSPHRASE)
    assert issued.path.name.startswith(f"{ref}-variation-decision-"), issued.path.name


def test_an_extension_to_the_same_end_on_the_same_restrictions_is_refused(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builder.redraft_in_force(crm, ref)
    problems = readiness.preview(crm, ref, SAME, "No change", customer_reason=TOLD).problems
    assert problems[0].startswith(NOTHING) and problems[0].endswith(
        "set a later end, change a restriction (e), or discard the redraft (x)")
    later = replace(SAME, ends_on=date(2028, 11, 28))
    assert NOTHING not in " ".join(readiness.preview(crm, ref, later, "Longer",
                                                     customer_reason=TOLD).problems)


def test_an_amendment_on_appeal_that_changes_nothing_is_refused(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    builder.redraft_in_force(actors[Role.CRM], ref)
    director = actors[Role.SERVICE_DIRECTOR]
    problems = readiness.preview_amendment(director, ref, SAME, "No change", TOLD).problems
    assert any(p.startswith(NOTHING) and p.endswith(
        "choose \u201cAppeal not upheld: decision confirmed\u201d, or change the drafts in "
        "the builder") for p in problems), problems
    before = _dump()
    with pytest.raises(RequirementMissing, match=NOTHING):
        appeals.decide_appeal(director, ref, AppealOutcome.AMENDED, "No change", SAME,
                              builders.read(ref), customer_reason=TOLD)
    assert _dump() == before


def test_an_amendment_on_appeal_that_only_starts_later_is_lighter_and_decided(
        actors: dict[Role, Actor]) -> None:
    """v15k U1: the same restrictions, end and review, starting later, were refused as
    "Nothing differs": the start was left out of the comparison. A later start leaves the
    customer unrestricted until then (those in force stop the day it is decided): lighter."""
    ref = builders.appealed(actors)  # the decision letter posted: what changed is since it
    crm, director = actors[Role.CRM], actors[Role.SERVICE_DIRECTOR]
    builder.redraft_in_force(crm, ref)
    later = replace(SAME, starts_on=date(2027, 6, 18))
    shown = readiness.preview_amendment(director, ref, later, "Start later", TOLD)
    assert not [p for p in shown.problems if NOTHING in p or "stricter" in p], shown.problems
    # Its letter tells the truth: not "their dates are the same as before".
    letter = " ".join(shown.letter.split())
    # Those in force stop, and apply again from the later day (fixAL AL3).
    assert ("What has changed The restrictions themselves are the same as before. The "
            "restrictions stopped on 28 November 2026. They apply again, as set out above, "
            "from 18 June 2027. Until then, no restrictions apply.") in letter, letter
    appeals.decide_appeal(director, ref, AppealOutcome.AMENDED, "Start later", later,
                          builders.read(ref), customer_reason=TOLD)
    assert Case.get(Case.reference == ref).restrictions_start == date(2027, 6, 18)
    # Decided to start later: setting them out again with that start decides nothing, and a
    # sooner start restricts the customer before the day they were told (stricter).
    builder.redraft_in_force(crm, ref)
    # The variation form opens on the later start, not today (which would be stricter).
    opened = builder.decision_defaults(crm, ref)
    assert opened.starts_on == date(2027, 6, 18)
    assert readiness.preview(crm, ref, opened, "No change",
                             customer_reason=TOLD).problems[0].startswith(NOTHING)
    assert readiness.preview(crm, ref, later, "No change",
                             customer_reason=TOLD).problems[0].startswith(NOTHING)
    sooner = replace(SAME, starts_on=date(2027, 1, 4))
    problems = readiness.preview(crm, ref, sooner, "Sooner", customer_reason=TOLD).problems
    assert any("stricter or longer (starts sooner (on 4 January 2027 instead of 18 June "
               "2027))" in p for p in problems), problems
    assert not any(NOTHING in p for p in problems)


def test_a_variation_that_only_starts_later_is_lighter(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builders.send_decision(crm, ref)  # what has changed is since this letter
    builder.redraft_in_force(crm, ref)
    later = replace(SAME, starts_on=date(2027, 1, 4))
    shown = readiness.preview(crm, ref, later, "Start later", customer_reason=TOLD)
    assert not [p for p in shown.problems if NOTHING in p or "stricter" in p], shown.problems
    letter = " ".join(shown.letter.split())
    assert "We have decided to make them less strict." in letter, letter
    # Restrictions in force, made to start later: they stop, and apply again (fixAL AL3).
    assert ("The restrictions stopped on 28 November 2026. They apply again, as set out "
            "above, from 4 January 2027. Until then, no restrictions apply." in letter), letter
