"""v15k S at the command line: the demo's UPV-2025-0005, its appeal upheld in part with the
restrictions starting on 1 February 2027, the outcome letter signed and not posted. On that
day and after, `crm-tui cases` (and `--letters-owed`) says the outcome letter is still to be
written, not the review, and `letters post --dry-run` leaves the letter out, saying why: on
the start day itself too (it says "Until then, no restrictions apply")."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted


def _run(demo: Path, *args: str, user: str = "ceri.hughes") -> str:
    result = CliRunner().invoke(main, [*args, "--user", user, "--db", str(demo)])
    assert result.exit_code == 0, result.output
    return result.output


def _line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(APPEALED))


def test_the_day_before_the_start_it_is_to_post(demo: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    letter = outcome_signed_not_posted(tmp_path / "out")
    monkeypatch.setenv("CRM_TUI_NOW", "2027-01-31")
    assert "Post the appeal outcome letter" in _line(_run(demo, "cases"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"{letter:>5}  {APPEALED}" in out and "CANNOT GO" not in out


@pytest.mark.parametrize(("day", "why"), [
    ("2027-02-01", "it gives 1 February 2027, today, as the day the restrictions start, with "
                   "none applying until then: it would reach the customer after they started"),
    ("2027-02-02", "it gives a date already past, 1 February 2027"),
])
def test_from_the_start_day_the_outcome_letter_is_to_write_again(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: str,
        why: str) -> None:
    outcome_signed_not_posted(tmp_path / "out")
    monkeypatch.setenv("CRM_TUI_NOW", day)
    assert "Sign the appeal outcome letter" in _line(_run(demo, "cases"))
    assert "Sign the appeal outcome letter" in _line(_run(demo, "cases", "--letters-owed"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"CANNOT GO: {why}" in out, out
