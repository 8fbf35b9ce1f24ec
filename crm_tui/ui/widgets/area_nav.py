"""The list of areas down the left of every screen; Enter opens one."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from crm_tui.ui.areas import AREAS


class AreaNav(OptionList):
    DEFAULT_CSS = """
    AreaNav { width: 14; height: 100%; border: none; border-right: vkey $primary-darken-2;
              background: $panel; padding: 1 0; }
    """

    class Chosen(Message):
        def __init__(self, mode: str) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, current: str) -> None:
        super().__init__(*[Option(f"{a.short or a.title:<8} {a.key}", id=a.mode) for a in AREAS],
                         id="area-nav", markup=False)
        self.current = current

    def on_mount(self) -> None:
        self.highlighted = next(i for i, a in enumerate(AREAS) if a.mode == self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
