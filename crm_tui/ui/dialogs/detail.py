"""One entry in full: text shown literally, scrollable, closed with Escape or Enter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.fitting_scroll import FittingScroll


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
            with FittingScroll():
                yield Static(literal(self._body or "(no further detail)", wrap=True),
                             id="detail-body")
            yield DialogKeys()
