"""fixAB AB1 in the app: the demo's UPV-2025-0005, its appeal upheld in part (the
restrictions to start on 1 February 2027), then varied (to end sooner) and the variation's
letter signed, not posted. On 2 February 2027 that letter can no longer go (its last day to
appeal has passed). Before: the case file said "Review due" and W refused a new letter ("it
was issued …; export a copy or re-send it"): the customer was never told. Now the case's
next action is to sign the decision letter again, and W offers it (p, e, s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.ui.app import create_app
from tests.demo_outcome_unposted import variation_unposted
from tests.ui.keys import shown_keys
from tests.ui.outcome_letters import letters_from_the_case_file

SIZE = (100, 30)


@pytest.fixture
def varied(db: Path, tmp_path: Path) -> int:
    """The variation's letter signed on 28 November 2026 (outside the test's event loop:
    signing runs one of its own)."""
    return variation_unposted(tmp_path / "varied", db)


async def test_w_offers_the_decision_letter_again_once_the_first_cannot_go(
        db: Path, varied: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-02T10:00:00")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_from_the_case_file(app, pilot, "Sign the decision letter")
        assert LetterKind.EXTENSION_DECISION in screen.kinds
        keys = shown_keys(app)
        assert "s" in keys and "P" not in keys, keys
