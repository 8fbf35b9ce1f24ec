"""Issue 15 (fixBB BB3): once Home's "New referrals awaiting consideration" became the inbox's
New tab (fixAW), the cases under consideration were counted nowhere on Home. Both are
counted, each the same as its inbox tab (New; Considering), and the new count is reached by
the keys that reach the others."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Tab

from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.screens.home import HomeScreen
from crm_tui.ui.widgets.count_card import CountCard

SIZE = (120, 36)


async def _settle(app: CrmApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_home_counts_new_and_under_consideration_as_the_inbox_tabs(
        demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        counts = {c.id: c.count for c in app.screen.query(CountCard)}
        card = app.screen.query_one("#card-under_consideration", CountCard)
        assert card.label in ("Referrals under consideration", "Referral under consideration")
        assert card.region.height > 0  # on screen, among the others
        # Tab reaches it from the count before it, as it moves between the others.
        app.screen.query_one("#card-awaiting_consideration", CountCard).focus()
        await pilot.press("tab")
        assert app.focused is card
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#card-awaiting_consultation", CountCard)
        await pilot.press("i")
        await _settle(app, pilot)
        tabs = {t.id: str(t.label).split()[-1] for t in app.screen.query(Tab)}
        assert counts["card-awaiting_consideration"] == int(tabs["tab-new"])
        assert counts["card-under_consideration"] == int(tabs["tab-under_consideration"]) > 0
