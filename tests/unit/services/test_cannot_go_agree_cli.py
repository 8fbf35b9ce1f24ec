"""Issue 15 (fixAU3 U3) at the command line, on the demo's UPV-2025-0005: its variation's
letter signed and never posted, the customer appealing against the variation the same day,
and the letter's last day to appeal past. W offers no new decision letter (it would give a
new appeal deadline). `letters list` said "it is signed again" while `letters post` said
"write to the customer again from the case's letters (W)": both now say the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.reviews import appeals
from tests import builders
from tests.demo_outcome_unposted import APPEALED, variation_unposted

LATER = "2027-02-02"
INSTEAD = ("nothing is signed in its place: the customer has already appealed against this "
           "decision; a new letter would give them a new appeal deadline; the outcome of the "
           "appeal is written to them once it is decided")


def varied_then_appealed(out: Path, db: Path | None = None) -> int:
    """The variation's letter signed on 28 November 2026 and never posted; the customer
    appeals against the variation that day. Its number."""
    letter = variation_unposted(out / "varied", db)
    appeals.lodge_appeal(resolve_actor("tomasz.nowak"), APPEALED, builders.TODAY,
                         "The change is unfair too")
    return letter


def _run(demo: Path, *args: str, user: str = "ceri.hughes") -> str:
    result = CliRunner().invoke(main, [*args, "--user", user, "--db", str(demo)])
    assert result.exit_code == 0, result.output
    return result.output


def test_letters_list_and_the_post_run_say_the_same(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = varied_then_appealed(tmp_path / "out")
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    listed = next(line for line in _run(demo, "letters", "list", "--case", APPEALED)
                  .splitlines() if line.lstrip().startswith(f"{first} "))
    assert "  can no longer go  " in listed, listed
    assert f"; {INSTEAD})" in listed and "signed again" not in listed, listed
    for user in ("ceri.hughes", "tomasz.nowak"):
        dry = _run(demo, "letters", "post", "--dry-run", user=user)
        assert f"Left out: it cannot go ({INSTEAD}):" in dry, dry
    assert "Sign the decision letter" not in _run(demo, "cases")
