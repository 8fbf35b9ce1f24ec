"""fixAL AL3: an appeal outcome letter tells what has changed since the last letter about the
restrictions the customer was actually posted (the rule of every later letter since fixAF),
not since the decision appealed against when that decision's letter never went; a decision
in between never sent is told under *Our earlier decision*. Restrictions already in force,
amended on appeal to apply from a later day, are said to have stopped and to apply again,
not to "now start later" as if they had never started. The appeal dialog's preview is the
letter signed.

The demo's UPV-2025-0005: restricted, its decision letter posted on 18 December 2025; varied
on 28 November 2026 to end on 18 June 2027 (its letter signed, never posted); the customer
appeals, and the appeal is upheld in part: the restrictions apply again from 5 December 2026
to 30 April 2027."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Role
from crm_tui.letters import checker, record
from crm_tui.services.core import confirmation
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing, letter_content
from crm_tui.services.restrictions import builder, decisions, readiness
from crm_tui.services.reviews import appeals
from tests import builders
from tests.builders import TODAY, TOLD
from tests.demo_outcome_unposted import APPEALED, WHY

AMENDED = DecisionTerms(starts_on=date(2026, 12, 5), ends_on=date(2027, 4, 30))
PAUSED = ("The restrictions stopped on 28 November 2026. They apply again, as set out above, "
          "from 5 December 2026. Until then, no restrictions apply.")


def _varied_unsent_then_appealed(out: Path) -> str:
    """Varied (its letter signed, not posted), appealed, the amendment drafted: the customer's
    last letter about the restrictions is the decision letter of 18 December 2025."""
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Shorter", DecisionTerms(
            starts_on=TODAY, ends_on=date(2027, 6, 18)), read=builders.read(APPEALED),
            customer_reason=TOLD)
    issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION, out / "varied",
                            DEMO_PASSPHRASE)
    actors = {Role.OFFICER: resolve_actor("tomasz.nowak"), Role.CRM: crm}
    appeals.lodge_appeal(actors[Role.OFFICER], APPEALED, TODAY, "It is unfair")
    same = replace(builders.LETTER_ONLY, kind=RestrictionKind.BLOCK_ELECTRONIC,
                   parameters={"why_nothing_less": WHY})
    drafted = builders.draft(actors, APPEALED, same, by=Role.CRM)
    with confirmation.given(DEMO_PASSPHRASE):
        builder.justify(crm, APPEALED, drafted, "Letters are sent in large print")
    return APPEALED


def _said(sections: list[tuple[str, list[str]]], heading: str) -> str:
    return " ".join(" ".join(dict(sections).get(heading, [])).split())


def test_the_outcome_letter_tells_what_changed_since_the_letter_posted(
        demo: Path, tmp_path: Path) -> None:
    ref = _varied_unsent_then_appealed(tmp_path)
    director = resolve_actor("gareth.bell")
    with confirmation.given(DEMO_PASSPHRASE):
        shown = readiness.preview_amendment(director, ref, AMENDED, "Upheld in part", TOLD)
        appeals.decide_appeal(director, ref, AppealOutcome.AMENDED, "Upheld in part", AMENDED,
                              builders.read(ref), customer_reason=TOLD)
    case = Case.get(Case.reference == ref)
    sections = letter_content.sections_for(case, LetterKind.APPEAL_OUTCOME)
    changed = _said(sections, "What has changed")
    # Since the letter posted (18 December 2025), not the variation never sent.
    assert changed.startswith("This is what has changed since our letter of 18 December "
                              "2025, the last we sent you about the restrictions."), changed
    assert "18 June 2027" not in changed, changed
    assert "The new end date is 30 April 2027." in changed, changed
    assert PAUSED in changed, changed
    assert "now start later" not in changed
    earlier = _said(sections, "Our earlier decision")
    assert ("On 28 November 2026 we decided to change the restrictions on how you can "
            "contact the council.") in earlier, earlier
    assert "between 28 November 2026 and 18 June 2027" in earlier, earlier
    assert ("We did not send you our letter about that decision. Our decision on your appeal "
            "replaces it, so this letter tells you of both.") in earlier, earlier
    # The appeal dialog's preview is the letter signed, paragraph by paragraph.
    preview = " ".join(shown.letter.split())
    for heading, paragraphs in sections:
        for paragraph in paragraphs:
            assert " ".join(paragraph.split()) in preview, (heading, paragraph)
    signed = issuing.sign_and_export(director, ref, LetterKind.APPEAL_OUTCOME, tmp_path / "out",
                                     DEMO_PASSPHRASE).letter_id
    letter = record.loads(Letter.get_by_id(signed).content)
    assert checker.past_dates(letter) == []
    # On the later start, the letter could no longer go ("until then" would be untrue).
    assert checker.past_dates(letter, date(2026, 12, 5))


def test_written_once_they_apply_again_it_says_so_in_the_past(
        demo: Path, tmp_path: Path) -> None:
    ref = _varied_unsent_then_appealed(tmp_path)
    director = resolve_actor("gareth.bell")
    with confirmation.given(DEMO_PASSPHRASE):
        appeals.decide_appeal(director, ref, AppealOutcome.AMENDED, "Upheld in part", AMENDED,
                              builders.read(ref), customer_reason=TOLD)
    with clock.travel_to(datetime(2026, 12, 7, 10)):
        sections = letter_content.sections_for(Case.get(Case.reference == ref),
                                               LetterKind.APPEAL_OUTCOME)
    changed = _said(sections, "What has changed")
    assert ("The restrictions stopped on 28 November 2026, and have applied again, as set out "
            "above, since 5 December 2026.") in changed, changed
    assert "Until then" not in changed
