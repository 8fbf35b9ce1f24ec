"""Tick boxes, radio buttons and ticked lists whose mark is in the glyph, not only its colour.

Textual draws every tick box `▐X▌` and every radio button `▐●▌`, ticked or not, and tells them
apart by colour alone: without colour (or to a colour-blind reader) a ticked box and an
unticked one look alike, and a tester unticked a pre-ticked box thinking they ticked it (t15c
#9). Here the inner mark is drawn only when ticked (chosen): an unticked box is a blank. Every
screen and dialog takes these in place of Textual's (tests/ui/test_tick_marks_ui.py checks)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from rich.segment import Segment
from textual import widgets
from textual.strip import Strip

BLANK = " "
T = TypeVar("T")


class Checkbox(widgets.Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual's name)
        return widgets.Checkbox.BUTTON_INNER if self.value else BLANK


if TYPE_CHECKING:  # the same keys and methods as Textual's, which they are made from
    from textual.widgets import RadioButton as RadioButton
    from textual.widgets import SelectionList as SelectionList


def _radio_button() -> type:
    class RadioButton(widgets.RadioButton):
        @property
        def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802
            return widgets.RadioButton.BUTTON_INNER if self.value else BLANK

    RadioButton.__qualname__ = "RadioButton"
    return RadioButton


def _selection_list() -> type:
    from textual.widgets.option_list import OptionDoesNotExist

    class SelectionList(widgets.SelectionList[T]):
        def render_line(self, y: int) -> Strip:
            # Textual's line puts the same mark before every option, ticked or not: an option
            # not ticked has a blank in its place (the same width, so the gutter is unchanged).
            strip = super().render_line(y)
            try:
                option = self.get_option_at_index(self.scroll_offset.y + y)
            except OptionDoesNotExist:
                return strip
            if option.value in self.selected:
                return strip
            segments = list(strip)
            if len(segments) < 2 or segments[1].text != widgets.Checkbox.BUTTON_INNER:
                return strip
            segments[1] = Segment(BLANK, segments[1].style, segments[1].control)
            return Strip(segments, strip.cell_length)

    SelectionList.__qualname__ = "SelectionList"
    return SelectionList


# The radio button and the ticked list are made when a form or dialog first imports them, not
# with the inbox's tick box: making them imported Textual's RadioButton and SelectionList on
# the way to the painted inbox, some 2 ms of processor time (issue 17).
_MADE_WHEN_ASKED = {"RadioButton": _radio_button, "SelectionList": _selection_list}


def __getattr__(name: str) -> Any:
    make = _MADE_WHEN_ASKED.get(name)
    if make is None:
        raise AttributeError(f"module {__name__} has no attribute {name}")
    made = globals()[name] = make()
    return made
