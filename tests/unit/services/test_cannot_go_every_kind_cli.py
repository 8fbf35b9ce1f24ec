"""Issue 15 (fixAU2) at the command line, on the demo's UPV-2025-0005: each kind of letter
the post run refuses by its dates reads "can no longer go" in `letters list` and `letters
show`, with the post run's own why (`letters post --dry-run`) and what comes of it, while
`cases` names the letter to sign again. A variation's letter past its last day to appeal (it
read "signed, not posted"); an appeal outcome letter telling of restrictions that start on a
day gone by."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Letter
from crm_tui.domain.typed_dates import in_prose
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted, variation_unposted

LATER = "2027-02-02"


def _run(demo: Path, *args: str, user: str = "ceri.hughes") -> str:
    result = CliRunner().invoke(main, [*args, "--user", user, "--db", str(demo)])
    assert result.exit_code == 0, result.output
    return result.output


def _line(out: str, start: str) -> str:
    return next(line for line in out.splitlines() if line.lstrip().startswith(start))


def test_a_variation_letter_past_its_last_day_to_appeal(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = variation_unposted(tmp_path / "varied")
    appeal_by = Letter.get_by_id(first).appeal_by
    assert "signed, not posted" in _line(_run(demo, "letters", "list", "--case", APPEALED),
                                         f"{first} ")
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    why = f"it gives {in_prose(appeal_by)} as the last day to appeal"
    listed = _line(_run(demo, "letters", "list", "--case", APPEALED), f"{first} ")
    assert "  can no longer go  " in listed and "signed, not posted" not in listed, listed
    assert (f"(can no longer go: {why}, before {in_prose(date(2027, 2, 2))}; it is signed "
            "again, with a new last day to appeal counted from the day it goes)") in listed, \
        listed
    shown = _run(demo, "letters", "show", str(first)).splitlines()[0]
    assert shown == listed, (shown, listed)
    dry = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"CANNOT GO: {why}" in dry, dry
    assert "Sign the decision letter" in _line(_run(demo, "cases"), APPEALED)
    # Home's letters owed counts it (the same rule as `cases --letters-owed`).
    assert "Sign the decision letter" in _line(_run(demo, "cases", "--letters-owed"), APPEALED)


def test_an_appeal_outcome_letter_telling_of_a_start_gone_by(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    letter = outcome_signed_not_posted(tmp_path / "out")
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    listed = _line(_run(demo, "letters", "list", "--case", APPEALED), f"{letter} ")
    dry = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"{letter:>5}  {APPEALED}" in dry and "CANNOT GO: it gives" in dry, dry
    assert "  can no longer go  " in listed, listed
    assert "the person who decided the appeal signs it again" in listed, listed
    assert "Sign the appeal outcome letter" in _line(_run(demo, "cases", user="gareth.bell"),
                                                     APPEALED)
