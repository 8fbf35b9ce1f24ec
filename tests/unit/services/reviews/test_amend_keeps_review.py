"""v16 4 (rule bypassed): "upheld in part" with the review left blank was reviewed a year from
the amended start (3 December 2027) where the decision appealed against was due for review
on 18 December 2026, and a later review typed was taken (with one of the policy's reasons).
An amendment on appeal is lighter or shorter only: left blank it keeps the review in force
(by the amended end, if that is sooner), as a variation does, and a later review is refused
as stricter — whoever decides (the Service Director, or an officer they nominated), and on
the preview the form shows as on the decision itself. The command line cannot amend: `appeals
show` tells its decider what an amendment does with the review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, Decision
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.restrictions import readiness
from crm_tui.services.reviews import appeals
from tests import builders, outside
from tests.builders import TOLD
from tests.unit.services.reviews.appeal_fixtures import deputy, dump, nominate_today

IN_FORCE_REVIEW = date(2027, 5, 28)  # the review of the decision appealed against
LATER_START = date(2027, 1, 4)  # lighter: none apply until then
ENDS = date(2027, 11, 1)  # sooner than those in force (28 November 2027)


def _under_appeal(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    with builders.as_the_app(ref):
        Case.update(review_due=IN_FORCE_REVIEW).where(Case.reference == ref).execute()
    builders.draft(actors, ref, by=Role.CRM)
    return ref


def _decider(actors: dict[Role, Actor], who: str) -> Actor:
    if who == "service director":
        return actors[Role.SERVICE_DIRECTOR]
    person = deputy(actors)
    nominate_today(actors, person.login)
    return person


@pytest.mark.parametrize("who", ["service director", "nominated officer"])
def test_left_blank_the_review_in_force_is_kept(actors: dict[Role, Actor], who: str) -> None:
    ref = _under_appeal(actors)
    decider = _decider(actors, who)
    terms = DecisionTerms(starts_on=LATER_START, ends_on=ENDS)
    shown = readiness.preview_amendment(decider, ref, terms, "Upheld in part", TOLD)
    assert shown.review_due == IN_FORCE_REVIEW, shown
    assert "We will review them by 28 May 2027." in shown.letter
    appeals.decide_appeal(decider, ref, AppealOutcome.AMENDED, "Upheld in part", terms,
                          builders.read(ref), customer_reason=TOLD)
    decision = Decision.select().order_by(Decision.id.desc()).first()
    assert decision.review_due == IN_FORCE_REVIEW
    assert Case.get(Case.reference == ref).review_due == IN_FORCE_REVIEW


def test_left_blank_with_a_sooner_end_the_review_moves_to_the_end(
        actors: dict[Role, Actor]) -> None:
    ref = _under_appeal(actors)
    terms = DecisionTerms(starts_on=LATER_START, ends_on=date(2027, 4, 1))
    shown = readiness.preview_amendment(actors[Role.SERVICE_DIRECTOR], ref, terms,
                                        "Upheld in part", TOLD)
    assert shown.review_due == date(2027, 4, 1), shown


@pytest.mark.parametrize("who", ["service director", "nominated officer"])
def test_a_later_review_is_refused_as_stricter(actors: dict[Role, Actor], who: str) -> None:
    ref = _under_appeal(actors)
    decider = _decider(actors, who)
    # With one of the policy's reasons and a note: the reasons for a different period do not
    # make a later review lighter.
    terms = DecisionTerms(starts_on=LATER_START, ends_on=ENDS, review_due=date(2027, 7, 1),
                          review_period_reason=ReviewPeriodReason.PERSONAL_CIRCUMSTANCES,
                          review_period_note="The customer is in hospital until June")
    shown = readiness.preview_amendment(decider, ref, terms, "Upheld in part", TOLD)
    # Plain words, no brackets inside brackets, and advice the appeal's decider can follow
    # (fixAR AR5: "(is reviewed later (by …)): it must follow a review: start the review …").
    stricter = ("An amendment on appeal cannot make the restrictions stricter or longer: as "
                "set out, it is reviewed later (by 1 July 2027 instead of 28 May 2027). Keep "
                "the restrictions as they are, or amend them only to be lighter or shorter. "
                "Anything stricter is for the Complaints Resolution Manager to propose at a "
                "review once the appeal is decided, with the customer invited to comment first")
    assert stricter in shown.problems, shown.problems
    assert shown.fields["review_due"] == (
        "An amendment on appeal cannot review the restrictions later: as typed, it is "
        "reviewed later (by 1 July 2027 instead of 28 May 2027). Leave it blank to keep "
        "28/05/2027, or set a sooner day"), shown.fields
    before = dump()
    with pytest.raises(RequirementMissing, match=r"is reviewed later \(by 1 July 2027"):
        appeals.decide_appeal(decider, ref, AppealOutcome.AMENDED, "Upheld in part", terms,
                              builders.read(ref), customer_reason=TOLD)
    assert dump() == before


def test_a_sooner_review_than_the_one_kept_still_needs_a_reason(
        actors: dict[Role, Actor]) -> None:
    ref = _under_appeal(actors)
    terms = DecisionTerms(starts_on=LATER_START, ends_on=ENDS, review_due=date(2027, 4, 1))
    shown = readiness.preview_amendment(actors[Role.SERVICE_DIRECTOR], ref, terms,
                                        "Upheld in part", TOLD)
    assert "review_period_reason" in shown.fields and shown.review_due is None, shown


def test_a_review_that_would_review_nothing_is_counted_from_the_later_start(
        actors: dict[Role, Actor]) -> None:
    """The review in force falls before the amended restrictions start: it would review
    nothing, so theirs is counted from their start, as a variation's is (v15m-1)."""
    ref = _under_appeal(actors)
    terms = DecisionTerms(starts_on=date(2027, 6, 1), ends_on=ENDS)
    shown = readiness.preview_amendment(actors[Role.SERVICE_DIRECTOR], ref, terms,
                                        "Upheld in part", TOLD)
    assert shown.review_due == ENDS, shown  # a year from the start, capped at the end
    assert not any("reviewed later" in p for p in shown.problems), shown.problems


def test_appeals_show_tells_the_decider_the_review_an_amendment_keeps(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path) -> None:
    ref = _under_appeal(actors)
    acting_as("director")
    result = CliRunner().invoke(main, ["appeals", "show", ref, "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "keep their review, due by 28 May 2027" in said, said
    assert "a later review is stricter" in said, said
