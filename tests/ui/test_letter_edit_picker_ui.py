"""The editor's paragraph picker (v15n AD2): "Loading…", the blank shown while the paragraphs
load, stayed first in the list once they had, and could be chosen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Select, TextArea

from tests.ui.keys import press_settled, settle
from tests.ui.letter_editor import editing_the_decision_letter
from tests.ui.test_forms_ui import retype
from tests.ui.test_signing_what_was_read_ui import EDITED


async def test_the_paragraph_picker_lists_the_paragraphs_only_once_loaded(db: Path) -> None:
    async with editing_the_decision_letter(db) as editing:
        pilot, dialog = editing.pilot, editing.dialog
        await settle(pilot)
        assert dialog.view is not None and dialog.view.fields
        picker = dialog.query_one("#edit-field", Select)
        picker.focus()
        await press_settled(pilot, "enter")  # open the list
        listed = picker.query_one("SelectOverlay", OptionList)  # the list Select opens
        shown = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert "Loading…" not in shown
        assert len(shown) == len(dialog.view.fields)
        await press_settled(pilot, "home", "enter")  # the first choice in the list
        assert picker.value == dialog.view.fields[0].key
        assert picker.value is not Select.NULL


async def test_an_edit_kept_of_a_later_paragraph_stays_on_it(db: Path) -> None:
    """Loading the choices again after an edit is kept picks the first, then the paragraph
    kept: its words stay in the field, and no "paragraph you left" warning is given."""
    async with editing_the_decision_letter(db) as editing:
        app, pilot, dialog = editing.app, editing.pilot, editing.dialog
        await settle(pilot)
        assert dialog.view is not None and len(dialog.view.fields) > 1
        second = dialog.view.fields[1].key
        picker = dialog.query_one("#edit-field", Select)
        picker.focus()
        await press_settled(pilot, "enter", "down", "enter")
        assert picker.value == second
        await retype(pilot, "edit-text", EDITED)
        await press_settled(pilot, "ctrl+s")
        assert picker.value == second
        assert dialog.query_one("#edit-text", TextArea).text == EDITED
        notice = " ".join(str(n.render()) for n in dialog.query("#dialog-notice") if n.display)
        assert "Edit kept" in notice and "paragraph you left" not in notice, notice
        assert "paragraph you left" not in " ".join(str(n.message) for n in app._notifications)
