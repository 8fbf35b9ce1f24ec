"""Restrictions varied the moment an appeal amended them (a frozen clock, as the tester's: both
decisions bear the same second) owe the customer the variation's letter (v15l X3): which came
later is by the order they were recorded in, not their times, which tie. It was taken as the
appeal, so the variation's letter was never counted as owed ("No letters are owed", Home 0),
though the case's letters (`W`) listed it as not issued; with the appeal's outcome letter still
to post, that stayed the next action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.intake import case_file, queries
from crm_tui.services.letters import issuing, posting
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.reviews import appeals
from tests import builders, outside
from tests.builders import TODAY, TOLD
from tests.conftest import PASSPHRASE

AMENDED = DecisionTerms(starts_on=date(2027, 6, 18), ends_on=date(2027, 11, 1))
VARIED = DecisionTerms(starts_on=date(2027, 9, 1), ends_on=date(2027, 11, 1))


def _amended_then_varied(actors: dict[Role, Actor], *, post_outcome: bool) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                          "Upheld in part", AMENDED, builders.read(ref), customer_reason=TOLD)
    signed = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                     LetterKind.APPEAL_OUTCOME,
                                     builders.database_folder() / "issued", PASSPHRASE)
    if post_outcome:
        posting.record_posting(actors[Role.OFFICER], [signed.letter_id], TODAY, "first")
    # The same second as the appeal's decision: the clock is frozen.
    builder.redraft_in_force(actors[Role.CRM], ref)
    decisions.vary_restrictions(actors[Role.CRM], ref, "Start them later", VARIED,
                                read=builders.read(ref), customer_reason=TOLD)
    return ref


@pytest.mark.parametrize("post_outcome", [True, False], ids=["outcome posted", "not posted"])
def test_the_variation_letter_is_owed(actors: dict[Role, Actor], post_outcome: bool) -> None:
    crm = actors[Role.CRM]
    ref = _amended_then_varied(actors, post_outcome=post_outcome)
    summary = case_file.case_file(crm, ref).summary
    assert summary.next_action == "Sign the decision letter", summary
    assert ref in [c.reference for c in queries.list_cases(crm, letters_owed=True)]
    issuing.sign_and_export(crm, ref, LetterKind.EXTENSION_DECISION,
                            builders.database_folder() / "issued", PASSPHRASE)
    assert case_file.case_file(crm, ref).summary.next_action != "Sign the decision letter"


def test_cases_letters_owed_names_it(actors: dict[Role, Actor],
                                      acting_as: Callable[[str], None],
                                      db_path: Path) -> None:
    ref = _amended_then_varied(actors, post_outcome=True)
    acting_as("crm")
    result = CliRunner().invoke(main, ["cases", "--letters-owed", "--db",
                                       outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert "No letters are owed" not in result.output, result.output
    assert ref in result.output and "Sign the decision letter" in result.output, result.output


def test_a_variation_refuses_a_review_before_its_later_start(actors: dict[Role, Actor]) -> None:
    """v15l X8: the one rule on a review date (domain.terms.check_review_in_period), as an
    amendment on appeal refuses it: a variation recorded a review on 1 May 2027 for
    restrictions starting on 1 September 2027."""
    from crm_tui.db.models import Decision
    from crm_tui.domain.errors import ValidationError

    ref = builders.at_state(actors, CaseState.RESTRICTED)  # reviewed by 28 Nov 2027
    builder.redraft_in_force(actors[Role.CRM], ref)
    decided = Decision.select().count()
    with pytest.raises(ValidationError) as refused:
        decisions.vary_restrictions(actors[Role.CRM], ref, "Start them later",
                                    DecisionTerms(starts_on=date(2027, 9, 1),
                                                  ends_on=builders.TERMS.ends_on,
                                                  review_due=date(2027, 5, 1)),
                                    read=builders.read(ref), customer_reason=TOLD)
    assert refused.value.field == "review_due"
    assert "must be after the restrictions start (01/09/2027)" in str(refused.value)
    assert Decision.select().count() == decided


def test_an_amendment_may_keep_the_review_date_in_force_without_a_reason(
        actors: dict[Role, Actor]) -> None:
    """v15l X9: typing the review date in force into the amend form was refused with "a
    different review period needs one of the policy's reasons": keeping it is no different
    period. Another sooner date still needs one."""
    from crm_tui.db.models import Case, Decision
    from crm_tui.domain.errors import Problems

    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    with builders.as_the_app(ref):
        Case.update(review_due=date(2027, 5, 28)).where(Case.reference == ref).execute()
    builders.draft(actors, ref, by=Role.CRM)
    ends = date(2027, 11, 1)
    with pytest.raises(Problems, match="needs one of the policy's reasons"):
        appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                              "Upheld in part", DecisionTerms(starts_on=TODAY, ends_on=ends,
                                                              review_due=date(2027, 5, 27)),
                              builders.read(ref), customer_reason=TOLD)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                          "Upheld in part", DecisionTerms(starts_on=TODAY, ends_on=ends,
                                                          review_due=date(2027, 5, 28)),
                          builders.read(ref), customer_reason=TOLD)
    decision = Decision.select().order_by(Decision.id.desc()).first()
    assert decision.review_due == date(2027, 5, 28) and decision.review_period_reason == ""
    assert Case.get(Case.reference == ref).review_due == date(2027, 5, 28)
