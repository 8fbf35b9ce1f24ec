"""The restrictions in force set out again (r) and left unchanged (v15e F12): the builder's
panels said both "Not yet consulted on the restrictions (c records the view)" and "Ready for
the CRM's decision (D)"; D then decided a variation that changed nothing. The panels now say
one true thing, and the decision's form says at once that nothing differs."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.decision import DecisionDialog
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import on_top, press_settled, settle

SIZE = (200, 60)
REF = "UPV-2025-0007"  # restricted: letter only, no review started


def _panel(screen: RestrictionBuilderScreen, which: str) -> str:
    return str(screen.query_one(f"#{which}", Static).render())


async def test_unchanged_drafts_are_not_ready_and_need_no_view(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, RestrictionBuilderScreen(REF))
        await press_settled(pilot, "r")
        assert screen.view is not None and screen.view.same_as_in_force
        consultation = _panel(screen, "consultation-panel")
        readiness = _panel(screen, "readiness-panel")
        assert "Not yet consulted" not in consultation
        assert "A variation (lighter or shorter only) needs no Head of Service's view" \
            in consultation
        assert "Ready for the CRM's decision" not in readiness
        assert "The drafts are the restrictions in force, unchanged" in " ".join(
            readiness.split())
        await press_settled(pilot, "D")
        assert isinstance(app.screen, DecisionDialog)
        await settle(pilot)
        shown = str(app.screen.query_one("#letter-status", Static).render())
        assert "Nothing differs from the restrictions in force" in " ".join(shown.split())
