"""The appeal outcome letter says what the decision appealed against did (v15m Y3): an appeal
against a variation, which made the restrictions lighter (here: starting later), was answered
"You appealed against our decision of … to restrict how you can contact the council"."""

from __future__ import annotations

from datetime import date

from crm_tui.db.models import Case
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters.content import text
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import letter_content
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.reviews import appeals
from tests import builders
from tests.builders import TODAY, TOLD


def _outcome(actors: dict[Role, Actor], ref: str) -> str:
    appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "The restriction is unfair")
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED,
                          "Proportionate on the log sheets", customer_reason="Our records "
                          "show the officer answered you every time.")
    letter = letter_content.compose(actors[Role.SERVICE_DIRECTOR],
                                    Case.get(Case.reference == ref), LetterKind.APPEAL_OUTCOME)
    return " ".join(text(letter).split())


def test_an_appeal_against_a_variation_is_answered_as_one(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builder.redraft_in_force(actors[Role.CRM], ref)
    decisions.vary_restrictions(actors[Role.CRM], ref, "Start them later",
                                DecisionTerms(starts_on=date(2027, 3, 1),
                                              ends_on=builders.TERMS.ends_on),
                                read=builders.read(ref), customer_reason=TOLD)
    said = _outcome(actors, ref)
    assert ("You appealed against our decision of 28 November 2026 to change the "
            "restrictions on how you can contact the council.") in said, said
    assert "decision of 28 November 2026 to restrict how you can contact" not in said
    # Neither letter was posted: the restrictions imposed are told as a decision never sent
    # (fixAQ AQ1), where "to restrict" is what that decision did.
    assert ("Our earlier decisions On 28 November 2026 we decided to restrict how you can "
            "contact the council.") in said, said


def test_an_appeal_against_restrictions_imposed_still_says_to_restrict(
        actors: dict[Role, Actor]) -> None:
    said = _outcome(actors, builders.at_state(actors, CaseState.RESTRICTED))
    assert ("You appealed against our decision of 28 November 2026 to restrict how you can "
            "contact the council.") in said, said
