"""Round 8: every problem of a form at once, each at its field (the screen's side)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Label

from crm_tui.db.connection import open_database
from crm_tui.domain.lifecycle import Action
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.restrictions.readiness import DecisionPreview
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.ui.dialog_host import Host
from tests.ui.keys import settle

SIZE = (140, 40)
TERMS = DecisionTerms(starts_on=date(2026, 11, 28), ends_on=date(2027, 11, 27))


async def test_decision_save_shows_the_letters_field_problems_beside_the_forms(
        db: Path) -> None:
    """Round 8 (amend on appeal): ctrl+s only moved the cursor to the blank reasons; the
    later end, found by the letter, was said only in the side panel. Now every problem shows
    at once, each at its field."""
    open_database(db)

    def preview(terms: DecisionTerms, reason: str, against: str, told: str) -> DecisionPreview:
        return DecisionPreview(Action.AMEND_ON_APPEAL, "", ["longer"], {1: 1},
                               fields={"ends_on": "cannot make the restrictions longer"})

    dialog = DecisionDialog("Amend", TERMS, lambda *args: None, preview)
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "longer" in str(dialog.query_one("#ends_on-error", Label).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        for widget_id in ("ends_on", "reason", "customer_reason"):
            assert dialog.query_one(f"#{widget_id}").has_class("-problem"), widget_id
        assert app.focused is dialog.query_one("#ends_on")
