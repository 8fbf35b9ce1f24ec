"""Restrictions decided to start on a later day are reviewed after they start, on every path
that sets a start and a review (v15m-1). The tester's case: an appeal upheld in part, the
restrictions amended to start on 1 December 2027, the review left blank: it fell a year from
the decision, on 28 November 2027, before they started; the preview let it through, it was
decided and the letter said so. The same held for the CRM's decision (D), a variation keeping
a review in force that falls before its later start, and a review continuing restrictions not
yet begun. The default review is now a year after they start (capped at their end)."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import Case, Review
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.restrictions import builder, decisions, readiness
from crm_tui.services.reviews import appeals, review_steps
from tests import builders
from tests.builders import TODAY, TOLD

ENDS = date(2029, 11, 28)  # three years: reviewed yearly, by 28 November 2027 first
LATER = date(2027, 12, 1)  # after that first review
LATER_TERMS = DecisionTerms(starts_on=LATER, ends_on=ENDS)
A_YEAR_ON = date(2028, 12, 1)


def _considered(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    builders.consult(actors, ref, ends_on=ENDS)
    return ref


def _restricted_three_years(actors: dict[Role, Actor]) -> str:
    ref = _considered(actors)
    decisions.impose_restrictions(actors[Role.CRM], ref, "Persistent contact",
                                  DecisionTerms(starts_on=TODAY, ends_on=ENDS),
                                  read=builders.read(ref), customer_reason=TOLD)
    assert Case.get(Case.reference == ref).review_due == date(2027, 11, 28)
    return ref


def _reviewed_by(ref: str) -> date:
    case = Case.get(Case.reference == ref)
    latest = Review.select().where(Review.case == case).order_by(Review.id.desc()).first()
    assert latest is not None and latest.due_on == case.review_due
    assert case.restrictions_start is not None and case.restrictions_end is not None
    assert case.restrictions_start < case.review_due <= case.restrictions_end
    return case.review_due


def test_an_amendment_on_appeal_starting_later_with_the_review_blank(
        actors: dict[Role, Actor]) -> None:
    ref = _restricted_three_years(actors)
    appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "The restriction is unfair")
    builder.redraft_in_force(actors[Role.CRM], ref)
    decider = actors[Role.SERVICE_DIRECTOR]
    shown = readiness.preview_amendment(decider, ref, LATER_TERMS, "Upheld in part",
                                        customer_reason=TOLD)
    assert shown.review_due == A_YEAR_ON, shown.problems
    assert "We will review them by 1 December 2028." in shown.letter, shown.letter
    assert "review them by 28 November 2027" not in shown.letter
    appeals.decide_appeal(decider, ref, AppealOutcome.AMENDED, "Upheld in part", LATER_TERMS,
                          builders.read(ref), customer_reason=TOLD)
    assert _reviewed_by(ref) == A_YEAR_ON


def test_an_amendment_keeping_a_review_before_its_later_start_is_refused_at_the_field(
        actors: dict[Role, Actor]) -> None:
    ref = _restricted_three_years(actors)
    appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "The restriction is unfair")
    builder.redraft_in_force(actors[Role.CRM], ref)
    kept = DecisionTerms(starts_on=LATER, ends_on=ENDS, review_due=date(2027, 11, 28))
    shown = readiness.preview_amendment(actors[Role.SERVICE_DIRECTOR], ref, kept,
                                        "Upheld in part", customer_reason=TOLD)
    assert shown.fields["review_due"] == ("the review must be after the restrictions start "
                                          "(01/12/2027)")
    assert shown.review_due is None and not shown.ready


def test_the_crms_decision_starting_later_with_the_review_blank(
        actors: dict[Role, Actor]) -> None:
    ref = _considered(actors)
    crm = actors[Role.CRM]
    shown = readiness.preview(crm, ref, LATER_TERMS, "Persistent contact",
                              customer_reason=TOLD)
    assert shown.review_due == A_YEAR_ON, shown.problems
    decisions.impose_restrictions(crm, ref, "Persistent contact", LATER_TERMS,
                                  read=builders.read(ref), customer_reason=TOLD)
    assert _reviewed_by(ref) == A_YEAR_ON


def test_a_variation_starting_after_the_review_in_force_is_reviewed_after_it_starts(
        actors: dict[Role, Actor]) -> None:
    """The review in force (28 November 2027) would review nothing of restrictions varied to
    start on 1 December 2027: theirs falls a year after they start, and is not refused as
    "reviewed later" (the one in force cannot be kept)."""
    ref = _restricted_three_years(actors)
    crm = actors[Role.CRM]
    builder.redraft_in_force(crm, ref)
    shown = readiness.preview(crm, ref, LATER_TERMS, "Start them later", customer_reason=TOLD)
    assert shown.review_due == A_YEAR_ON and shown.problems == [], shown.problems
    decisions.vary_restrictions(crm, ref, "Start them later", LATER_TERMS,
                                read=builders.read(ref), customer_reason=TOLD)
    assert _reviewed_by(ref) == A_YEAR_ON


def test_a_variation_starting_before_the_review_in_force_keeps_it(
        actors: dict[Role, Actor]) -> None:
    ref = _restricted_three_years(actors)
    crm = actors[Role.CRM]
    builder.redraft_in_force(crm, ref)
    decisions.vary_restrictions(crm, ref, "Start them later",
                                DecisionTerms(starts_on=date(2027, 6, 1), ends_on=ENDS),
                                read=builders.read(ref), customer_reason=TOLD)
    assert _reviewed_by(ref) == date(2027, 11, 28)


def test_a_variation_review_set_beyond_a_year_from_its_later_start_is_refused(
        actors: dict[Role, Actor]) -> None:
    ref = _restricted_three_years(actors)
    crm = actors[Role.CRM]
    builder.redraft_in_force(crm, ref)
    with pytest.raises(ValidationError) as refused:
        decisions.vary_restrictions(crm, ref, "Start them later",
                                    DecisionTerms(starts_on=LATER, ends_on=ENDS,
                                                  review_due=date(2028, 12, 2)),
                                    read=builders.read(ref), customer_reason=TOLD)
    assert refused.value.field == "review_due"
    assert refused.value.message == ("restrictions are reviewed at least every 12 months from "
                                     "their start: review by 01/12/2028")


def test_a_review_continuing_restrictions_not_yet_begun_reviews_them_after_they_start(
        actors: dict[Role, Actor]) -> None:
    ref = _considered(actors)
    crm = actors[Role.CRM]
    decisions.impose_restrictions(crm, ref, "Persistent contact", LATER_TERMS,
                                  read=builders.read(ref), customer_reason=TOLD)
    review_steps.start_review(crm, ref)
    review_steps.continue_unchanged(crm, ref, "Still needed")
    assert _reviewed_by(ref) == A_YEAR_ON
    assert review_steps.next_review_due(ENDS, None, None, "", starts_on=LATER) == A_YEAR_ON

