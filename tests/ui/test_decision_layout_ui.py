"""The decision form's letter and what still stands in the way stay readable in a small
terminal (b15e F5: at 80x24 the panel beside the form was 14 columns wide and broke
"proportionate" across two lines): below 96 columns it goes under the form."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.demo_decided import ready_to_decide
from tests.ui.deciding import decision_opened
from tests.ui.keys import settle


def words_kept_whole(panel: Static) -> bool:
    """Every word of the panel's text is on one line of what it shows."""
    said = str(panel.render()).split()
    shown = " ".join(strip.text for strip in panel.render_lines(panel.region.reset_offset))
    return shown.split() == said


@pytest.mark.parametrize(("size", "stacked"), [((80, 24), True), ((100, 30), False)])
async def test_the_letter_beside_or_under_the_form_reads_whole_words(
        db: Path, size: tuple[int, int], stacked: bool) -> None:
    ready_to_decide(db, view_text="Agrees — proportionate to the contact recorded.")
    app: CrmApp = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        dialog: DecisionDialog = await decision_opened(pilot)
        await settle(pilot)
        panel = dialog.query_one("#preview-scroll")
        form = dialog.query_one("#decision-form")
        assert panel.size.width >= 30, panel.size
        if stacked:
            assert panel.region.y >= form.region.bottom  # under the form, not beside it
        else:
            assert panel.region.x >= form.region.right
        status = dialog.query_one("#letter-status", Static)
        letter = dialog.query_one("#preview", Static)
        assert str(letter.render()).strip(), "no letter shown"
        assert words_kept_whole(status) and words_kept_whole(letter)
