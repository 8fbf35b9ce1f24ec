"""Round 9 of issue 15, item 5: at 80x24 the first refused field of every dialog form is
scrolled into view with the words saying why under it, clear of the dialog's own footer of
keys (docked at its bottom, it covered the line under the log-contact form's Officer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import Screen
from textual.widget import Widget

from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.ui.dialogs.consultation import ConsultationDialog
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.dialogs.log_contact import LogContactDialog
from crm_tui.ui.dialogs.reasons import ReasonsDialog
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.forms import required
from tests.ui.test_every_problem_ui import Host


def _nothing(*_args: Any) -> None:
    return None


DIALOGS: dict[str, Callable[[], Screen[Any]]] = {
    "log contact": lambda: LogContactDialog("UPV-2026-0001", ("Housing Services",)),
    "reasons": lambda: ReasonsDialog("Lift", "Why", _nothing, confirm="Lift"),
    "text prompt": lambda: TextPromptDialog("Continue", "Why", _nothing, confirm="Continue",
                                            needed="Say why"),
    "fields": lambda: FieldsDialog("Propose", "Help " * 60, [
        Field(f"f{i}", f"Field {i}", check=required(f"Fill field {i}")) for i in range(6)],
        _nothing, save="Save"),
    "restriction": lambda: RestrictionFormDialog("UPV-2026-0001", RestrictionKind.NAMED_OFFICER,
                                                 [], [], None, _nothing),
    "consultation": lambda: ConsultationDialog("UPV-2026-0001", [("priya.raman", "Priya")],
                                               _nothing),
}


def _in_sight(widget: Widget, form: Widget, footer: Widget | None) -> bool:
    view = form.content_region
    bottom = footer.region.y if footer is not None and footer.display else view.bottom
    region = widget.region
    return region.height > 0 and view.y <= region.y and region.bottom <= bottom


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_the_first_problem_and_its_words_are_in_sight_at_80x24(name: str) -> None:
    dialog = DIALOGS[name]()
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        for _ in range(4):
            await pilot.pause()
        focused = app.focused
        assert focused is not None and focused.id, name
        words = dialog.query_one(f"#{focused.id}-error")
        assert words.display and str(words.render()).strip(), name
        # The box that scrolls, or (a dialog that fits) the box the fields are in.
        form = next((a for a in focused.ancestors if isinstance(a, Widget)
                     and a.is_scrollable and a.allow_vertical_scroll), focused.parent)
        assert isinstance(form, Widget)
        footers = list(dialog.query(DialogKeys))
        footer = footers[0] if footers else None
        assert _in_sight(focused, form, footer), (name, focused.region, form.content_region)
        assert _in_sight(words, form, footer), (name, words.region, form.content_region,
                                                footer.region if footer else None)


SCROLLING: dict[str, Callable[[], Screen[Any]]] = {
    "fields": DIALOGS["fields"],
    "reasons": lambda: ReasonsDialog("Lift", "Why " * 60, _nothing, confirm="Lift",
                                     checkbox="Do not write to the customer " * 3),
    "text prompt": lambda: TextPromptDialog("Continue", "Why " * 90, _nothing,
                                            confirm="Continue", needed="Say why",
                                            checkbox="A flag " * 10),
}


@pytest.mark.parametrize("name", list(SCROLLING))
async def test_every_field_and_button_is_reached_by_tab_in_sight_at_80x24(name: str) -> None:
    """Round 12: the Propose-an-extension form (a FieldsDialog) did not scroll at 80x24: its
    last field, the end the customer is told, never showed, whatever Tab or PgDn did; Lift
    early (a ReasonsDialog) showed only the top edge of its buttons after ctrl+s. With every
    problem shown, Tab reaches each field and button, each scrolled into sight above the
    dialog's keys."""
    dialog = SCROLLING[name]()
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        for _ in range(3):
            await pilot.pause()
        footer = dialog.query_one(DialogKeys)
        form = footer.parent
        assert isinstance(form, Widget) and form.max_scroll_y > 0, name  # it does not fit
        seen = []
        for _ in range(len(dialog.focus_chain)):
            await pilot.press("tab")
            for _ in range(3):
                await pilot.pause()
            focused = app.focused
            assert focused is not None
            seen.append(focused)
            assert _in_sight(focused, form, footer), (name, focused, focused.region,
                                                     form.content_region, footer.region)
        assert set(seen) == set(dialog.focus_chain), name
