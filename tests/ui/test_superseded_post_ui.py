""""Post today" with a decision's letter superseded by the appeal since (t15 F8): it starts
left out, the dialog says why with the outcome letter's date, and Enter puts it back — posting
it is the team's choice, not the default."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from crm_tui.domain.letters import LetterKind
from crm_tui.services.letters.posting import UnpostedLetter
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from tests.ui.dialog_host import Host

OVERTAKEN = ("the appeal decided on 6 Dec 2026 removed the restrictions it imposed; its "
             "outcome letter (letter 18, dated 6 Dec 2026) says so")


async def test_the_superseded_letter_starts_left_out_and_says_why() -> None:
    waiting = [UnpostedLetter(17, "UPV-2026-0011", LetterKind.DECISION, date(2026, 12, 6),
                              date(2027, 1, 18), None, True, "", superseded=OVERTAKEN),
               UnpostedLetter(18, "UPV-2026-0011", LetterKind.APPEAL_OUTCOME,
                              date(2026, 12, 6), None, None, True, "")]
    dialog = PostTodayDialog(waiting)
    app = Host(dialog)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert dialog.left_out == {17}
        table = dialog.query_one("#post-letters", DataTable)
        assert table.get_cell("17", "Goes") == "\u2014" and table.get_cell("18", "Goes") == "✓"
        assert "superseded (below)" in str(table.get_cell("17", "Letter"))
        said = " ".join(str(dialog.query_one("#superseded", Static).render()).split())
        assert said.startswith("Left out unless you put it back (Enter): letter 17 "
                               "(UPV-2026-0011, Decision to restrict contact, dated 6 Dec "
                               "2026) is superseded: the appeal decided on 6 Dec 2026 removed")
        assert "(letter 18, dated 6 Dec 2026)" in said
        table.focus()
        await pilot.press("enter")  # the cursor starts on letter 17: the team chooses it
        await pilot.pause()
        assert dialog.left_out == set()


async def test_two_superseded_letters_are_spoken_of_as_two() -> None:
    """v18 AT3: letters 27 and 29 both superseded read "It was signed and issued and stays on
    the record; post it too only if …": said of two, in the plural."""
    waiting = [UnpostedLetter(number, "UPV-2026-0011", LetterKind.DECISION, date(2026, 12, 6),
                              date(2027, 1, 18), None, True, "", superseded=OVERTAKEN)
               for number in (27, 29)]
    waiting.append(UnpostedLetter(18, "UPV-2026-0011", LetterKind.APPEAL_OUTCOME,
                                  date(2026, 12, 6), None, None, True, ""))
    dialog = PostTodayDialog(waiting)
    app = Host(dialog)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert dialog.left_out == {27, 29}
        said = " ".join(str(dialog.query_one("#superseded", Static).render()).split())
        assert said.startswith("Left out unless you put them back (Enter): letter 27 "), said
        assert "letter 29 (UPV-2026-0011" in said, said
        assert said.endswith("They were signed and issued and stay on the record; post any of "
                             "them too only if the customer should have it."), said
        assert "It was signed" not in said and "post it too" not in said, said
