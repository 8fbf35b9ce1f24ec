""""Post today" with a decision's letter superseded by the appeal since whose dates have passed
as well (issue 15 AZ Z1): it is said superseded, with its why, and that it cannot go in any
case; never "write to the customer again". The heading counts the superseded apart (Z2)."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from crm_tui.domain.letters import LetterKind
from crm_tui.services.letters.posting import UnpostedLetter
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from tests.ui.dialog_host import Host

REMOVED = ("the appeal decided on 2 Dec 2026 removed the restrictions it imposed; its "
           "outcome letter (letter 28, dated 2 Dec 2026) says so")
AMENDED = ("the appeal decided on 2 Dec 2026 amended the restrictions it imposed; its "
           "outcome letter (letter 30, dated 2 Dec 2026) says so")
PAST = "it gives a date already past, 4 December 2026, for something still to come"


async def test_superseded_past_its_dates_is_said_superseded_without_write_again() -> None:
    waiting = [UnpostedLetter(27, "UPV-2025-0004", LetterKind.DECISION, date(2026, 12, 2),
                              date(2027, 1, 14), None, True, "", cannot_go=PAST,
                              superseded=REMOVED),
               UnpostedLetter(28, "UPV-2025-0004", LetterKind.APPEAL_OUTCOME,
                              date(2026, 12, 2), None, None, True, ""),
               UnpostedLetter(29, "UPV-2025-0007", LetterKind.DECISION, date(2026, 12, 2),
                              date(2027, 1, 14), None, True, "", superseded=AMENDED),
               UnpostedLetter(30, "UPV-2025-0007", LetterKind.APPEAL_OUTCOME,
                              date(2026, 12, 2), None, None, True, "")]
    dialog = PostTodayDialog(waiting)
    app = Host(dialog)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert dialog.left_out == {27, 29}
        title = str(dialog.query_one("#post-title", Static).render())
        assert title.startswith("Post today: 2 signed letters to post; 2 superseded"), title
        table = dialog.query_one("#post-letters", DataTable)
        assert "superseded (below)" in str(table.get_cell("27", "Letter"))
        assert str(dialog.query_one("#cannot-go", Static).render()).strip() == ""
        said = " ".join(str(dialog.query_one("#superseded-past", Static).render()).split())
        assert said.startswith("Superseded, and cannot go in any case: letter 27 "
                               "(UPV-2025-0004, "), said
        assert REMOVED in said and PAST in said, said
        assert "again" not in said.lower(), said
        table.focus()
        await pilot.press("enter")  # the cursor starts on letter 27: it is not put back
        await pilot.pause()
        assert 27 in dialog.left_out
        told = " ".join(n.message for n in app._notifications)
        assert "is superseded: the appeal decided on 2 Dec 2026 removed" in told, told
        assert "write" not in told.lower(), told


def test_the_case_s_post_today_says_superseded_not_written_again() -> None:
    """P from the case's letters, only the superseded letter left (its outcome letter posted):
    it said "cannot go … A letter the customer is still owed is written again"."""
    from crm_tui.ui.posting import nothing_to_post

    waiting = [UnpostedLetter(27, "UPV-2025-0004", LetterKind.DECISION, date(2026, 12, 2),
                              date(2027, 1, 14), None, True, "", cannot_go=PAST,
                              superseded=REMOVED)]
    said = nothing_to_post("UPV-2025-0004", [], waiting)
    assert said.startswith("Nothing of UPV-2025-0004 can be posted today: letter 27 "
                           f"(decision to restrict contact) is superseded: {REMOVED}; a date "
                           "it gives has passed as well, so it cannot go in any case"), said
    assert "again" not in said, said
