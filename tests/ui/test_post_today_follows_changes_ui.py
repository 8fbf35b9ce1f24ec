"""fixAL AL1: the open "Post today" dialog follows changes made elsewhere to the letters it
lists. The customer's address changed in another window while a letter to them was ticked: the
dialog reads itself again, leaves that letter out saying why (it was ticked, and saving then
refused it), keeps the ticks the user set on the others, and a letter posted meanwhile by a
colleague leaves the list, said with who and when."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from crm_tui.domain.posting import PostClass
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import customer_details
from crm_tui.services.letters import posting
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from tests.demo_invitation_waiting import letters_waiting
from tests.ui.keys import settle

SIZE = (140, 40)


@pytest.fixture
def db(db: Path) -> Path:
    """The demo, its letters waiting to be posted again (as in test_posting_ui)."""
    letters_waiting(db)  # issue 15 AO1: one waiting since 23 November cannot go
    return db


def said(dialog: PostTodayDialog) -> str:
    return " ".join(str(dialog.query_one("#relisted", Static).render()).split())


async def test_the_dialog_relists_when_a_letter_it_lists_is_superseded_elsewhere(
        db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        assert not dialog.query_one("#relisted").display
        ready = [u for u in dialog.going if not u.cannot_go and not u.superseded]
        assert len(ready) == 2, dialog.going
        moving, kept_back = ready
        table = dialog.query_one("#post-letters", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(str(kept_back.id)))
        await pilot.press("enter")  # the user leaves this one out
        await settle(pilot)
        assert moving.id not in dialog.left_out and kept_back.id in dialog.left_out
        # Elsewhere (another window, the command line): the customer moved.
        crm = resolve_actor("ceri.hughes")
        now = customer_details.contact(crm, moving.reference)
        customer_details.set_contact(crm, moving.reference, customer_details.ContactDetails(
            ("Flat 2, 9 Harbour Row", "Northmere"), "NM3 4QT", now.email, now.telephone))
        await settle(pilot)
        assert app.screen is dialog
        again = {u.id: u for u in dialog.going}
        assert "address changed" in again[moving.id].cannot_go
        assert moving.id in dialog.left_out  # no longer ticked
        assert kept_back.id in dialog.left_out  # the user's choice kept
        assert table.get_cell(str(moving.id), "Goes") == "\u2014"
        assert "cannot go" in str(table.get_cell(str(moving.id), "Letter"))
        words = said(dialog)
        assert (f"Letter {moving.id} ({moving.reference}, {moving.kind.label}) can no longer "
                "go and is left out: the customer's address changed on") in words, words
        assert not dialog.query_one(f"#number-{moving.id}").display
        # A colleague posts the letter the user left out: it leaves the list, said so.
        posting.post_today(crm, [kept_back.id], posting.clock.today(), PostClass.FIRST, {})
        await settle(pilot)
        assert kept_back.id not in {u.id for u in dialog.going}
        assert table.row_count == len(dialog.going)
        assert not dialog.query(f"#number-{kept_back.id}")
        words = said(dialog)
        assert (f"Letter {kept_back.id} ({kept_back.reference}, {kept_back.kind.label}) has "
                "left the list: Ceri Hughes recorded it as posted on 28 November 2026.") \
            in words, words
        assert f"Post today: {len(dialog.going)} signed letter" in str(
            dialog.query_one("#post-title", Static).render())
