"""v15n AC1: the demo's UPV-2025-0005, its appeal upheld in part with the restrictions to
start on 3 December 2026; on 28 November a review proposes keeping them for longer. The
invitation to comment the case's letters (W) show said "That is one year longer than the
restrictions you have now" and "The restrictions you have now stay as they are until we
decide", when none applied yet. Read as the customer would, it now says none apply until 3
December and those decided apply from then."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.domain.letters import LetterKind
from crm_tui.ui.app import create_app
from tests.ui.keys import settle
from tests.ui.outcome_letters import letters_from_the_case_file
from tests.unit.services.test_review_meets_later_start_invitation_cli import (
    invitation_prepared,
)

SIZE = (120, 40)


@pytest.fixture
def letter(db: Path, tmp_path: Path) -> int:
    """Outside the test's event loop: signing runs one of its own."""
    return invitation_prepared(tmp_path / "out", db)


async def test_w_shows_an_invitation_saying_no_restrictions_apply_until_they_start(
        db: Path, letter: int) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_from_the_case_file(app, pilot,
                                                  "Sign the invitation to comment")
        row = screen.kinds.index(LetterKind.INVITATION)
        screen.query_one("#kinds").move_cursor(row=row)
        await settle(pilot)
        await settle(pilot)
        text = " ".join(str(screen.query_one("#letter-text", Static).render()).split())
        assert "invitation" in text.lower() or "we want to hear what you think" in text, text
        assert "you have now" not in text, text
        assert "No restrictions apply to you until 3 December 2026." in text, text
        assert letter
