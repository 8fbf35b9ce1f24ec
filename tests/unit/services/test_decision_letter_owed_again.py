"""v15o AE: a variation's letter signed and not posted that must be written again.

AE1: on the demo's UPV-2025-0005 (appeal upheld in part, its outcome letter signed and not
posted), varied to end on 18 June 2027 (letter signed, not posted), then varied again to
start on 6 December 2026 (letter signed, not posted): on 7 December the letter written again
said "They now start later, on 6 December 2026. Until then, no restrictions apply." beside
"have applied since 6 December 2026", and could never be signed (a date already past for
something still to come). Written after the start, the change is told in the past.

AE2: UPV-2025-0007 varied to start the next day, its letter signed and not posted, and a
review then started with an extension proposed: once the letter could no longer go, the
case's next action gave the review's steps and `cases --letters-owed` left the case out,
while the post run said to write the decision letter again."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.letters import checker, record
from crm_tui.services.core import confirmation, next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.reviews import review_steps
from tests import builders
from tests.builders import TODAY, TOLD
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted

STARTS = date(2026, 12, 6)


def _vary(ref: str, starts: date, ends: date, out: Path) -> int:
    """Varied by Ceri Hughes, the letter signed and not posted: its number."""
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, ref)
        decisions.vary_restrictions(crm, ref, "Varied", DecisionTerms(
            starts_on=starts, ends_on=ends), read=builders.read(ref), customer_reason=TOLD)
    return issuing.sign_and_export(crm, ref, LetterKind.EXTENSION_DECISION, out,
                                   DEMO_PASSPHRASE).letter_id


def _next_action(ref: str) -> str:
    next_step.store([ref])  # as opening the database does (refresh_letters_owed)
    return str(Case.get(Case.reference == ref).next_action)


def test_a_variation_letter_written_after_its_later_start_says_it_started(
        demo: Path, tmp_path: Path) -> None:
    outcome_signed_not_posted(tmp_path / "out", terms=DecisionTerms(
        starts_on=TODAY, ends_on=date(2027, 11, 1)))
    with clock.travel_to(datetime(2026, 12, 3, 10)):
        _vary(APPEALED, date(2026, 12, 3), date(2027, 6, 18), tmp_path / "v1")
    with clock.travel_to(datetime(2026, 12, 5, 10)):
        first = _vary(APPEALED, STARTS, date(2027, 3, 18), tmp_path / "v2")
    crm = resolve_actor("ceri.hughes")
    with clock.travel_to(datetime(2026, 12, 7, 10)):
        assert _next_action(APPEALED) == "Sign the decision letter"
        again = issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                        tmp_path / "again", DEMO_PASSPHRASE).letter_id
        letter = record.loads(Letter.get_by_id(again).content)
        assert checker.past_dates(letter) == []
    text = " ".join(" ".join(p for _, ps in letter.sections for p in ps).split())
    assert again != first
    assert ("The restrictions stopped on 5 December 2026, and have applied again, as set out "
            "above, since 6 December 2026.") in text, text
    assert "They apply again" not in text and "Until then, no restrictions" not in text
    assert "have applied since 6 December 2026" in text, text


def test_written_before_its_later_start_it_still_says_they_start_later(
        demo: Path, tmp_path: Path) -> None:
    with clock.travel_to(datetime(2026, 12, 5, 10)):
        crm = resolve_actor("ceri.hughes")
        with confirmation.given(DEMO_PASSPHRASE):
            builder.redraft_in_force(crm, APPEALED)
            decisions.vary_restrictions(crm, APPEALED, "Varied", DecisionTerms(
                starts_on=STARTS, ends_on=date(2027, 3, 18)), read=builders.read(APPEALED),
                customer_reason=TOLD)
        text = " ".join(issuing.read(crm, APPEALED, LetterKind.EXTENSION_DECISION).text.split())
    assert ("The restrictions stopped on 5 December 2026. They apply again, as set out above, "
            "from 6 December 2026. Until then, no restrictions apply." in text), text


REVIEWED = "UPV-2025-0007"


def test_a_decision_letter_owed_again_comes_before_the_review(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = Case.get(Case.reference == REVIEWED)
    with clock.travel_to(datetime(2026, 12, 5, 9)):
        letter = _vary(REVIEWED, STARTS, case.restrictions_end, tmp_path / "out")
    with clock.travel_to(datetime(2026, 12, 5, 10)):
        crm = resolve_actor("ceri.hughes")
        review_steps.start_review(crm, REVIEWED)
        builder.redraft_in_force(crm, REVIEWED)
        review_steps.propose_extension(crm, REVIEWED, "Letters went on", date(2026, 12, 19),
                                       ends_on=date(2028, 1, 1), customer_reason=TOLD)
        issuing.sign_and_export(crm, REVIEWED, LetterKind.INVITATION, tmp_path / "invited",
                                DEMO_PASSPHRASE)
        assert _next_action(REVIEWED) != "Sign the decision letter"  # it can still go
    # The stored next action, from no change on the day, found again on opening the database.
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-07")
    result = CliRunner().invoke(main, ["cases", "--letters-owed", "--user", "ceri.hughes",
                                       "--db", str(demo)])
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if REVIEWED in row)
    assert "Sign the decision letter" in line, result.output
    assert Letter.get_by_id(letter).posted_on is None
    with clock.travel_to(datetime(2026, 12, 7, 10)):
        assert _next_action(REVIEWED) == "Sign the decision letter"
    with clock.travel_to(datetime(2026, 12, 7, 11)):
        again = issuing.sign_and_export(resolve_actor("ceri.hughes"), REVIEWED,
                                        LetterKind.EXTENSION_DECISION, tmp_path / "again",
                                        DEMO_PASSPHRASE).letter_id
        assert checker.past_dates(record.loads(Letter.get_by_id(again).content)) == []
        # Written again, the review's steps come next once more.
        assert _next_action(REVIEWED) != "Sign the decision letter"
