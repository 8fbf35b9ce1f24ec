"""v15n AC1 at the command line: the demo's UPV-2025-0005, its appeal upheld in part with the
restrictions to start on 3 December 2026; on 28 November a review proposes keeping them for
longer. `letters show` of the invitation to comment, read as the customer would: none apply
until 3 December, not "the restrictions you have now"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core import confirmation
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder
from crm_tui.services.reviews import review_steps
from tests.builders import TOLD
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted

TERMS = DecisionTerms(starts_on=date(2026, 12, 3), ends_on=date(2027, 11, 1),
                      review_due=date(2026, 12, 5),
                      review_period_reason=ReviewPeriodReason.CIRCUMSTANCES_OF_BEHAVIOUR,
                      review_period_note="To see how the restrictions work")


def invitation_prepared(out: Path, db: Path | None = None) -> int:
    """The outcome letter signed, then a review proposing the restrictions run a year longer,
    and its invitation to comment prepared: its number."""
    outcome_signed_not_posted(out, db, terms=TERMS)
    ceri = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        review_steps.start_review(ceri, APPEALED)
        builder.redraft_in_force(ceri, APPEALED)
        review_steps.propose_extension(ceri, APPEALED, "Still needed",
                                       ends_on=date(2028, 11, 1), customer_reason=TOLD)
    return issuing.prepare(ceri, APPEALED, LetterKind.INVITATION)


def test_the_invitation_says_no_restrictions_apply_until_they_start(
        demo: Path, tmp_path: Path) -> None:
    letter = invitation_prepared(tmp_path / "out")
    result = CliRunner().invoke(main, ["letters", "show", str(letter), "--user", "ceri.hughes",
                                       "--db", str(demo)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "you have now" not in text, text
    assert "stay as they are" not in text, text
    assert ("That is one year longer than the restrictions we have already decided, which "
            "start on 3 December 2026.") in text, text
    assert "No restrictions apply to you until 3 December 2026." in text, text
