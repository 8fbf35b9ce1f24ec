"""Issue 15 AV2: a later decision's letter sent in place of an appeal outcome letter never
posted tells what has changed since the last letter the customer was actually posted. The
decision appealed against (its own letter never posted) and the appeal's result (its outcome
letter never posted) are not what the customer was told: "What has changed" is measured
against the letter posted before them, and the decision appealed against is told under "Our
earlier decision". Before, both were counted as told (the letter said "The end date was 18
June 2027", from a letter never posted)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crm_tui.db.models import Case
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import issuing, letter_content
from crm_tui.services.restrictions import builder, decisions
from tests import builders
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

POSTED_END = "28 November 2027"  # builders.TERMS: the last letter the customer was posted
APPEALED_END = date(2027, 6, 18)  # the variation appealed against, its letter never posted
AMENDED = DecisionTerms(starts_on=builders.TODAY, ends_on=date(2027, 5, 18))


def _vary(actors: dict[Role, Actor], ref: str, ends_on: date) -> None:
    crm = actors[Role.CRM]
    builder.redraft_in_force(crm, ref)
    decisions.vary_restrictions(crm, ref, "Shorter", DecisionTerms(
        starts_on=builders.TODAY, ends_on=ends_on), read=builders.read(ref),
        customer_reason=TOLD)


def _appealed_unsent(actors: dict[Role, Actor], tmp_path: Path,
                     outcome: AppealOutcome) -> str:
    """Imposed (letter posted), varied (letter signed, never posted), the variation appealed
    and decided, the outcome letter signed and never posted; then varied again."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builders.send_decision(actors[Role.CRM], ref)
    _vary(actors, ref, APPEALED_END)
    issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.EXTENSION_DECISION,
                            tmp_path / "varied", PASSPHRASE)
    builders.lodge_appeal(actors[Role.OFFICER], ref, builders.TODAY, "It is unfair")
    if outcome is AppealOutcome.AMENDED:
        builders.draft(actors, ref, by=Role.CRM)
        builders.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, outcome, "Upheld in part",
                               AMENDED, builders.read(ref), customer_reason=TOLD)
    else:
        builders.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, outcome, "Fair",
                               customer_reason=TOLD)
    issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref, LetterKind.APPEAL_OUTCOME,
                            tmp_path / "outcome", PASSPHRASE)
    _vary(actors, ref, date(2027, 3, 18))
    return ref


def _sections(ref: str) -> dict[str, str]:
    return {heading: " ".join(paragraphs) for heading, paragraphs in
            letter_content.sections_for(Case.get(Case.reference == ref),
                                        LetterKind.EXTENSION_DECISION)}


def test_confirmed_the_decision_appealed_is_not_counted_as_told(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    said = _sections(_appealed_unsent(actors, tmp_path, AppealOutcome.CONFIRMED))
    assert "Your appeal" in said, said
    changed = said["What has changed"]
    assert f"The end date was {POSTED_END}. The new end date is 18 March 2027." in changed, \
        changed
    assert "18 June 2027" not in changed, changed
    earlier = said.get("Our earlier decision", "")
    assert "to apply between 28 November 2026 and 18 June 2027" in earlier, said
    # The appeal names the variation as one, and keeps that decision (told below), not
    # restrictions "as they were" the customer was never sent.
    appeal = said["Your appeal"]
    assert ("You appealed against our decision of 28 November 2026 to change the restrictions "
            "on how you can contact the council.") in appeal, appeal
    assert "We decided not to change that decision. What it set is told below." in appeal, \
        appeal
    assert "stay as they were" not in appeal, appeal


def test_amended_neither_the_appealed_nor_the_amendment_is_counted_as_told(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    said = _sections(_appealed_unsent(actors, tmp_path, AppealOutcome.AMENDED))
    changed = said["What has changed"]
    assert f"The end date was {POSTED_END}. The new end date is 18 March 2027." in changed, \
        changed
    assert "18 June 2027" not in changed and "18 May 2027" not in changed, changed
    assert "to apply between 28 November 2026 and 18 June 2027" in \
        said.get("Our earlier decision", ""), said
    assert "to apply between 28 November 2026 and 18 May 2027" in said["Your appeal"], said
