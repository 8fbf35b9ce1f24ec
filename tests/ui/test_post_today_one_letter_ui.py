"""Issue 15 (fixBB BB4): Post today (`P`) with one letter read "Post today: 1 signed letter
not yet posted · ticked to go" (no count before "ticked"), and its footer left out "tab Next
field" though the dialog has more fields than the list. The heading says the same words for
one letter as for many ("1 signed letter to post; 1 ticked"), and the footer names tab."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from tests.demo_invitation_waiting import as_if_signed_today, invitation_unposted, unposted
from tests.ui.keys import settle


def _one_waiting(db: Path) -> None:
    """The demo's invitation to comment signed and not yet posted, as though signed today
    (it can go): the one letter waiting (the demo posts every letter it signs)."""
    invitation_unposted(db)
    raw = SqliteDatabase(str(db))
    as_if_signed_today(raw)
    raw.close()


def _footer(dialog: PostTodayDialog) -> str:
    """The keys the dialog's own footer shows (those that fit)."""
    keys = dialog.query_one(DialogKeys)
    return " ".join(" ".join(str(c.render()).split()) for c in keys.query("*")
                    if c.display and not c.children)


async def test_one_letter_is_counted_as_many_are_and_tab_is_in_the_footer(db: Path) -> None:
    _one_waiting(db)
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        title = " ".join(str(dialog.query_one("#post-title").render()).split())
        assert title == "Post today: 1 signed letter to post; 1 ticked", title
        keys = _footer(dialog)
        assert "tab Next field" in keys, keys
        assert "esc Cancel" in keys, keys
        # Left out, then back: the same words, the count following the tick.
        await pilot.press("enter")
        await settle(pilot)
        title = " ".join(str(dialog.query_one("#post-title").render()).split())
        assert title == "Post today: 1 signed letter to post; 0 ticked", title
        await pilot.press("enter")
        await settle(pilot)
        title = " ".join(str(dialog.query_one("#post-title").render()).split())
        assert title.endswith("; 1 ticked"), title
        # Tab moves on, as the footer says.
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is not dialog.query_one("#post-letters")


async def test_with_one_short_letter_the_dialog_is_wide_enough_for_its_keys(db: Path) -> None:
    """One appeal outcome letter (no appeal-by column): the list alone wanted the dialog's
    least width, and its footer dropped `tab Next field` there (found on v18's data)."""
    raw = SqliteDatabase(str(db))
    unposted(raw, "id = (SELECT MAX(id) FROM letter WHERE kind = 'appeal_outcome' "
                  "AND status = 'issued')")
    raw.close()
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        assert len(dialog.going) == 1
        keys = _footer(dialog)
        for said in ("Leave out / put back", "tab Next field", "ctrl+s Record posting",
                     "esc Cancel"):
            assert said in keys, keys
