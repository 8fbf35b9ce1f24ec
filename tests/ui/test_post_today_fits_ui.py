"""fixAR AR1, AR2: the "Post today" dialog fits the screen and answers every key. At 100x30 it
was 110 columns wide (no right border, the reason a letter cannot go cut mid-word); at 200x50
its letters' names were cut with room to spare. Enter put back a letter the dialog said could
not go (refused only at the second ctrl+s); its heading's count did not follow the ticks; the
cursor started on the post classes, below the list it is about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.app import App
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.demo_invitation_waiting import letters_waiting
from tests.ui.keys import settle


@pytest.fixture
def db(db: Path) -> Path:
    """The demo, its letters waiting to be posted again (as in test_posting_ui): the appeal
    outcome letter among them gives a date already past and cannot go."""
    letters_waiting(db)  # issue 15 AO1: as signed today, the invitation can go
    return db


async def opened(pilot: Pilot[Any], app: App[Any]) -> PostTodayDialog:
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    await pilot.press("P")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, PostTodayDialog)
    return dialog


@pytest.mark.parametrize("size", [(100, 30), (200, 50)], ids=["100x30", "200x50"])
async def test_the_dialog_fits_the_screen_and_its_list(db: Path,
                                                       size: tuple[int, int]) -> None:
    # A marked copy among them: its name is the longest ("… (copy of letter 9)").
    raw = SqliteDatabase(str(db))
    raw.execute_sql("UPDATE letter SET duplicate_of_id = (SELECT MIN(id) FROM letter "
                    "WHERE kind = 'invitation') WHERE id = (SELECT MAX(id) FROM letter "
                    "WHERE kind = 'invitation')")
    raw.close()
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=size) as pilot:
        dialog = await opened(pilot, app)
        assert any(u.duplicate_of for u in dialog.going)
        box = dialog.query_one("#post-form", VerticalScroll)
        assert box.region.x >= 0 and box.region.right <= size[0], box.region
        table = dialog.query_one("#post-letters", FittedTable)
        assert table.region.right <= box.region.right
        # Every letter's name whole where there is room (the list's columns sized to their
        # content): at 200 columns it was cut, the box fixed at 110.
        assert not table.cuts("Case", "Dated"), table.shown_columns
        assert table.cuts("Letter") == (size[0] < 140), table.shown_columns
        # The reason a letter cannot go, in the box, wrapped at words.
        note = dialog.query_one("#cannot-go", Static)
        assert note.display and note.region.right <= box.region.right
        lines = [strip.text.rstrip() for strip in
                 note.render_lines(Region(0, 0, note.size.width, note.size.height))]
        assert max(len(line) for line in lines) <= note.size.width <= box.size.width
        words = " ".join(" ".join(lines).split())
        assert "Cannot go out today: letter" in words and "writes the outcome letter again." \
            in words, words
        # Wrapped at words: the words drawn are the words said, none cut in two.
        assert words.split() == str(note.render()).split()
        assert "18 November 2026" in words


async def test_enter_does_not_put_back_a_letter_that_cannot_go_and_says_why(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await opened(pilot, app)
        table = dialog.query_one("#post-letters", FittedTable)
        # The cursor starts on the list of letters.
        assert app.focused is table
        title = dialog.query_one("#post-title", Static)
        stale = next(u for u in dialog.going if u.cannot_go)
        ready = [u for u in dialog.going if not u.cannot_go and not u.superseded]
        assert dialog.left_out == {stale.id}
        assert len(ready) == 2, dialog.going
        assert "; 2 ticked" in str(title.render()), title.render()
        table.move_cursor(row=table.get_row_index(str(stale.id)))
        await pilot.press("enter")
        await settle(pilot)
        assert stale.id in dialog.left_out  # not put back
        assert table.get_cell(str(stale.id), "Goes") == "\u2014"
        # Said at once, on the dialog's notice line.
        said = " ".join(" ".join(str(n.render()) for n in dialog.query("#dialog-notice"))
                        .split())
        assert (f"Letter {stale.id} ({stale.reference}, Appeal outcome) cannot "
                "go out today: it gives a date already past") in said, said
        assert "It stays left out." in said, said
        # Each tick changes the count at once.
        one, other = ready
        table.move_cursor(row=table.get_row_index(str(one.id)))
        await pilot.press("enter")
        await settle(pilot)
        assert one.id in dialog.left_out
        assert "; 1 ticked" in str(title.render()), title.render()
        table.move_cursor(row=table.get_row_index(str(other.id)))
        await pilot.press("enter")
        await settle(pilot)
        assert "; 0 ticked" in str(title.render()), title.render()
        await pilot.press("enter")
        await settle(pilot)
        assert "; 1 ticked" in str(title.render()), title.render()
