"""v15i M3: in "Post today", a letter left out takes no recorded-delivery number: its field is
hidden while it is left out (one superseded starts so), and shown again when Enter puts the
letter back; a problem shown under it goes with it (a number typed there was never checked)."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Label

from crm_tui.domain.letters import LetterKind
from crm_tui.services.letters.posting import UnpostedLetter
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from tests.ui.dialog_host import Host


def _shown(dialog: PostTodayDialog, letter_id: int) -> bool:
    return bool(dialog.query_one(f"#number-{letter_id}").display)


async def test_a_letter_left_out_has_no_number_field() -> None:
    waiting = [UnpostedLetter(17, "UPV-2026-0002", LetterKind.DECISION, date(2026, 9, 29),
                              date(2026, 11, 6), 13, True, "",
                              # Superseded: it starts left out, and Enter may put it back (one
                              # that cannot go is not put back: test_post_today_fits_ui).
                              superseded="the appeal decided on 20 Nov 2026 overtook it"),
               UnpostedLetter(19, "UPV-2025-0003", LetterKind.INVITATION,
                              date(2026, 11, 23), None, 16, True, "")]
    dialog = PostTodayDialog(waiting)
    app = Host(dialog)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert dialog.left_out == {17}
        await pilot.press("tab", "right", "right", "space")  # recorded delivery
        await pilot.pause()
        assert dialog.query_one("#recorded").display
        assert not _shown(dialog, 17) and _shown(dialog, 19)
        table = dialog.query_one("#post-letters", DataTable)
        table.focus()
        await pilot.press("enter")  # the cursor starts on letter 17: put back
        await pilot.pause()
        assert dialog.left_out == set() and _shown(dialog, 17)
        dialog.refused_at("tracking_17", "letter 17: AB123456785GB was already recorded for "
                                         "letter 16", aim=False)
        await pilot.pause()
        assert dialog.query_one("#tracking_17-error", Label).display
        await pilot.press("enter")  # left out again: no number, no problem under it
        await pilot.pause()
        assert dialog.left_out == {17} and not _shown(dialog, 17)
        assert not dialog.query_one("#tracking_17-error", Label).display
        assert not dialog.query_one("#tracking_17").has_class("-problem")
