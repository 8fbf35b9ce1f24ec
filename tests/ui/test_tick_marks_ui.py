"""t15c #9: a ticked and an unticked box were the same glyph (`▐X▌`, a radio button `▐●▌`)
and differed only by colour: without colour, or to a colour-blind reader, they looked alike
(a tester unticked a pre-ticked box thinking they ticked it). The mark is now drawn only when
ticked or chosen: read here from the rendered lines, as a terminal without colour shows them."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Checkbox, RadioButton, SelectionList

import crm_tui.ui
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.log_contact import LogContactDialog
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.screens.inbox import InboxScreen
from tests.ui.keys import on_top, press_settled, settle

BLANK_BOX = "\u2590 \u258c"  # ▐ ▌
TICKED_BOX = "\u2590X\u258c"  # ▐X▌
CHOSEN_RADIO = "\u2590\u25cf\u258c"  # ▐●▌


def _lines(widget: Widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_a_tick_box_shows_its_x_only_when_ticked(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        box = app.screen.query_one("#mine", Checkbox)
        assert not box.value
        [line] = _lines(box)
        assert line.startswith(BLANK_BOX) and "Assigned to me" in line, line
        box.focus()
        await press_settled(pilot, "space")
        assert box.value
        [line] = _lines(box)
        assert line.startswith(TICKED_BOX), line


async def test_a_radio_set_marks_only_the_chosen(demo_db: Path) -> None:
    from crm_tui.services.letters.posting import UnpostedLetter

    app = create_app(str(demo_db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = await on_top(pilot, PostTodayDialog(list[UnpostedLetter]()))
        shown = {str(b.label): _lines(b)[0] for b in dialog.query(RadioButton)}
        assert shown["First class"].startswith(CHOSEN_RADIO), shown
        assert shown["Second class"].startswith(BLANK_BOX), shown
        assert shown["Recorded delivery"].startswith(BLANK_BOX), shown


async def test_a_ticked_list_marks_only_the_ticked(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await on_top(pilot, EvidenceScreen("UPV-2026-0005"))
        await press_settled(pilot, "l")
        assert isinstance(app.screen, LogContactDialog)
        ticks = app.screen.query_one("#categories", SelectionList)
        ticks.select(ticks.get_option_at_index(1).value)
        await settle(pilot)
        lines = _lines(ticks)
        assert lines[0].startswith(BLANK_BOX) and lines[1].startswith(TICKED_BOX), lines


def test_every_tick_box_of_the_app_is_one_that_marks_its_glyph() -> None:
    """A screen that made Textual's own tick box, radio button or ticked list would draw the
    mark whether ticked or not: each is made from widgets/tick_marks.py."""
    made = re.compile(r"\b(Checkbox|RadioButton|SelectionList)\b(\[\w+\])?\(")
    folder = Path(crm_tui.ui.__file__).parent
    for path in folder.rglob("*.py"):
        if path.name == "tick_marks.py":
            continue
        text = path.read_text(encoding="utf-8")
        for name in {m.group(1) for m in made.finditer(text)}:
            assert re.search(rf"from crm_tui\.ui\.widgets\.tick_marks import [^\n]*\b{name}\b",
                             text), f"{path.name} makes Textual's own {name}"
