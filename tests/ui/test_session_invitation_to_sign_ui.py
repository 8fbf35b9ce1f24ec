"""Found when tried: a review session counted a case whose proposed extension's invitation to
comment was not yet signed as "awaiting comments", though the customer had not been asked.
The session's title says "invitation to sign" for it, and "awaiting comments" once signed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import press_settled, settle
from tests.ui.review_sessions import proposed_unsigned


async def test_the_tally_names_an_invitation_still_to_sign(db: Path) -> None:
    ref = proposed_unsigned(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "s", "ctrl+s")
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        assert ref in screen.info.references
        title = str(screen.query_one("#session-title", Static).render())
        assert "1 invitation to sign" in title, title
        # The demo's own proposal, signed before the session, still awaits comments.
        assert "1 awaiting comments" in title, title
