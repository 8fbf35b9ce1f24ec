"""fixAQ AQ1: an appeal confirmed, or the restrictions removed on appeal, against a decision
whose letter the customer was never posted: the outcome letter said "the restrictions should
stay as they are … They end on 18 June 2027" while the last letter posted had said 18
December 2027, and never told of the decision appealed against. Every appeal outcome now
follows the rule of every later letter (fixAF, AL3): what has changed is measured against the
last letter about the restrictions the customer was actually posted, and a decision in
between never sent is told under *Our earlier decision*. An appeal confirmed against a
decision whose letter was posted reads as before.

The demo's UPV-2025-0005 (tests/unit/services/test_outcome_letter_told_since.py): its
decision letter posted on 18 December 2025 (to end on 18 December 2027); varied on 28 November
2026 to end on 18 June 2027, that letter signed and never posted; then appealed."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import checker, record
from crm_tui.services.core import confirmation
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing, letter_content
from crm_tui.services.letters.letter_changes import NONE_SENT
from crm_tui.services.reviews import appeals
from tests import builders
from tests.builders import TODAY, TOLD
from tests.unit.services.test_outcome_letter_told_since import (
    _said,
    _varied_unsent_then_appealed,
)

STAY = "We have decided that the restrictions should stay as they are."
VARIED = ("On 28 November 2026 we decided to change the restrictions on how you can contact "
          "the council. It set restrictions on telephone and electronic contact, to apply "
          "between 28 November 2026 and 18 June 2027.")


def _decided(ref: str, outcome: AppealOutcome) -> list[tuple[str, list[str]]]:
    director = resolve_actor("gareth.bell")
    with confirmation.given(DEMO_PASSPHRASE):
        appeals.decide_appeal(director, ref, outcome, "Not upheld", customer_reason=TOLD)
    return letter_content.sections_for(Case.get(Case.reference == ref),
                                       LetterKind.APPEAL_OUTCOME)


def test_confirmed_tells_the_decision_never_sent_and_what_changed_since_the_letter_posted(
        demo: Path, tmp_path: Path) -> None:
    ref = _varied_unsent_then_appealed(tmp_path)
    sections = _decided(ref, AppealOutcome.CONFIRMED)
    result = _said(sections, "Our decision on your appeal")
    assert result == ("We have decided not to change our decision of 28 November 2026. The "
                      "restrictions that apply under it are set out below."), result
    assert "stay as they are" not in " ".join(p for _, ps in sections for p in ps)
    earlier = _said(sections, "Our earlier decision")
    assert earlier == (f"{VARIED} We did not send you our letter about that decision. Our "
                       "decision on your appeal keeps it in place, so this letter tells you "
                       "of both."), earlier
    changed = _said(sections, "What has changed")
    assert changed == ("This is what has changed since our letter of 18 December 2025, the "
                       "last we sent you about the restrictions. The restrictions themselves "
                       "are the same as before. The end date was 18 December 2027. The new end "
                       "date is 18 June 2027."), changed
    assert _said(sections, "How long the restrictions last").startswith(
        "They end on 18 June 2027.")
    # In the order the customer reads it: the decision never sent, then the appeal's result.
    headings = [h for h, _ in sections]
    assert headings.index("Our earlier decision") < headings.index(
        "Our decision on your appeal") < headings.index("What has changed"), headings
    # Signed as prepared, and passing the checks.
    director = resolve_actor("gareth.bell")
    signed = issuing.sign_and_export(director, ref, LetterKind.APPEAL_OUTCOME, tmp_path / "out",
                                     DEMO_PASSPHRASE).letter_id
    letter = record.loads(Letter.get_by_id(signed).content)
    said = " ".join(" ".join(p.split()) for _, ps in letter.sections for p in ps)
    assert earlier in said and changed in said
    assert checker.past_dates(letter) == []


def test_removed_tells_the_decision_never_sent(demo: Path, tmp_path: Path) -> None:
    ref = _varied_unsent_then_appealed(tmp_path)
    sections = _decided(ref, AppealOutcome.REMOVED)
    earlier = _said(sections, "Our earlier decision")
    assert earlier == (f"{VARIED} We did not send you our letter about that decision. Our "
                       "decision on your appeal removes the restrictions it set, so this "
                       "letter tells you of both."), earlier
    assert _said(sections, "Our decision on your appeal").startswith(
        "We have decided to remove the restrictions. They no longer apply")
    assert "What has changed" not in dict(sections)
    director = resolve_actor("gareth.bell")
    signed = issuing.sign_and_export(director, ref, LetterKind.APPEAL_OUTCOME, tmp_path / "out",
                                     DEMO_PASSPHRASE).letter_id
    assert checker.past_dates(record.loads(Letter.get_by_id(signed).content)) == []


def test_confirmed_after_the_decision_letter_was_posted_reads_as_before(
        actors: dict[Role, Actor]) -> None:
    ref = builders.appealed(actors)  # the decision letter posted, then appealed
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED,
                          "Not upheld", customer_reason=TOLD)
    sections = letter_content.sections_for(Case.get(Case.reference == ref),
                                           LetterKind.APPEAL_OUTCOME)
    assert _said(sections, "Our decision on your appeal") == STAY
    assert "Our earlier decision" not in dict(sections)
    assert "What has changed" not in dict(sections)


def test_confirmed_with_no_letter_ever_posted_says_so(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)  # its letter never posted
    builders.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "The restriction is unfair")
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED,
                          "Not upheld", customer_reason=TOLD)
    sections = letter_content.sections_for(Case.get(Case.reference == ref),
                                           LetterKind.APPEAL_OUTCOME)
    assert _said(sections, "Our decision on your appeal").startswith(
        "We have decided not to change our decision of 28 November 2026."), sections
    earlier = _said(sections, "Our earlier decision")
    assert earlier.startswith("On 28 November 2026 we decided to restrict how you can contact "
                              "the council."), earlier
    assert earlier.endswith("Our decision on your appeal keeps it in place, so this letter "
                            "tells you of both."), earlier
    assert _said(sections, "What has changed") == NONE_SENT
