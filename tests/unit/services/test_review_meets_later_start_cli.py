"""v15n AC2 at the command line: the demo's UPV-2025-0005, its appeal upheld in part with the
restrictions starting on 3 December 2026 and reviewed by 5 December, the outcome letter
signed and not posted. On 6 December the letter can no longer go and the review date has
passed too: `crm-tui cases --letters-owed` lists the case, its next action is to sign the
outcome letter again (not "Review due"), and `letters post --dry-run` says so alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.services.core.inputs import DecisionTerms
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted

TERMS = DecisionTerms(starts_on=date(2026, 12, 3), ends_on=date(2027, 11, 1),
                      review_due=date(2026, 12, 5),
                      review_period_reason=ReviewPeriodReason.CIRCUMSTANCES_OF_BEHAVIOUR,
                      review_period_note="To see how the restrictions work")


def _run(demo: Path, *args: str, user: str = "ceri.hughes") -> str:
    result = CliRunner().invoke(main, [*args, "--user", user, "--db", str(demo)])
    assert result.exit_code == 0, result.output
    return result.output


def _line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(APPEALED))


def test_after_the_review_date_the_outcome_letter_is_still_owed(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outcome_signed_not_posted(tmp_path / "out", terms=TERMS)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-06")
    assert "Sign the appeal outcome letter" in _line(_run(demo, "cases"))
    assert "Sign the appeal outcome letter" in _line(_run(demo, "cases", "--letters-owed"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert "CANNOT GO" in out, out
