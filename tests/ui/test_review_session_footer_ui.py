"""A review session's footer names the way through the session at 100x30 and at 200x60: → to
the next case and, past the first, ← back (b15e: only `?` named them, and the ninth case was
reached by guessing →)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import press_settled, settle


def _footer(app: object) -> list[tuple[str, str]]:
    footer = app.screen.query_one(Footer)  # type: ignore[attr-defined]
    return [(k.key_display, k.description) for k in footer.query(FooterKey)
            if k.display and k.parent is not None and k.parent.display]


@pytest.mark.parametrize("size", [(100, 30), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_footer_shows_next_and_previous_case(db: Path, size: tuple[int, int]) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "s", "ctrl+s")
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen)
        assert screen.info is not None and screen.info.position == 0
        shown = _footer(app)
        assert ("→", "Next case") in shown, shown
        # Nothing before the first case: no ← offered there.
        assert "Previous" not in [d for _, d in shown], shown
        outcomes = " ".join(str(screen.query_one("#outcomes", Static).render()).split())
        assert "→ / n next case" in outcomes and "← previous case" in outcomes, outcomes
        await press_settled(pilot, "right")
        assert screen.info is not None and screen.info.position == 1
        shown = _footer(app)
        assert ("→", "Next case") in shown and ("←", "Previous") in shown, shown
        # On a case open to every outcome, the way through and the outcomes all show.
        await press_settled(pilot, "right")
        shown = _footer(app)
        for key in (("→", "Next case"), ("←", "Previous"), ("c", "Continue unchanged"),
                    ("l", "Lift"), ("r", "Review period")):
            assert key in shown, shown
