"""The one place an unexpected failure is shown: plainly, without a traceback."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.fitting_scroll import FittingScroll


class ErrorDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    ErrorDialog { align: center middle; }
    ErrorDialog > Vertical {
        width: 70; height: auto; border: thick $error; background: $surface; padding: 1 2;
    }
    ErrorDialog #title { text-style: bold; color: $error; margin-bottom: 1; }
    ErrorDialog #message-box { height: auto; }
    ErrorDialog Button { margin-top: 1; }
    """
    GUIDE = Guide("A problem",
                  'What went wrong, in plain words; nothing was half-stored.')
    BINDINGS = [Binding("escape,enter", "dismiss", "Close", key_display="esc",
                        tooltip="Close this message")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self._title = title
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), id="title")
            # A long message scrolls inside the dialog (in hand when it opens: the arrows,
            # End), its Close button and keys kept in sight.
            with FittingScroll(id="message-box"):
                yield Static(literal(self._message, wrap=True), id="message")
            yield Button("Close", variant="error", id="close")
            yield DialogKeys()

    def on_button_pressed(self) -> None:
        self.dismiss()
