"""One entry in full: text shown literally, scrollable, closed with Escape or Enter."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.fitting_scroll import FittingScroll


class ReadingScroll(FittingScroll):
    """The entry's text, its scroll keys in the dialog's footer while it is longer than the
    room it has (v20 AW4: the builder's letter preview, `p`, showed only "esc Close" at 100x30
    though the letter ran on below)."""

    BINDINGS = [Binding("down", "scroll_down", "Scroll", key_display="↑↓",
                        tooltip="Scroll the text a line down (↑ a line up)"),
                Binding("pagedown", "page_down", "Page", key_display="pgdn/pgup",
                        tooltip="Scroll the text a page down (pgup a page up; home and end "
                                "go to its start and its end)")]
    _scrolls = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("scroll_down", "page_down"):
            return self.max_scroll_y > 0
        return True

    def _fit(self, _screen: Screen[Any]) -> None:
        super()._fit(_screen)
        scrolls = self.max_scroll_y > 0
        if scrolls != self._scrolls:
            self._scrolls = scrolls
            self.screen.refresh_bindings()


class DetailDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    DetailDialog { align: center middle; }
    DetailDialog > Vertical {
        width: 90; height: auto; max-height: 85%; border: thick $accent;
        background: $surface; padding: 1 2;
    }
    DetailDialog #detail-title { text-style: bold; margin-bottom: 1; }
    DetailDialog VerticalScroll { height: auto; max-height: 30; }
    """
    GUIDE = Guide("An entry in full",
                  'One entry, in full; scroll with the arrows.')
    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", key_display="esc",
                        tooltip="Close the entry")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self._title, self._body = title, body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title, wrap=True), id="detail-title")
            with ReadingScroll():
                yield Static(literal(self._body or "(no further detail)", wrap=True),
                             id="detail-body")
            yield DialogKeys()
