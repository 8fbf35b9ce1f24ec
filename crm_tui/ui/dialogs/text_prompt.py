"""Ask for a reason or a note, then run the step it is for. The step runs in a thread
worker; if the rules refuse it, the message shows in the dialog, which stays open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Static, TextArea

from crm_tui.domain.errors import DomainError
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal

Submit = Callable[[str, bool], Any]


class TextPromptDialog(DeliveryMixin, ModalScreen[Any]):
    DEFAULT_CSS = """
    TextPromptDialog { align: center middle; }
    TextPromptDialog > Vertical {
        width: 84; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    TextPromptDialog #title { text-style: bold; }
    TextPromptDialog #prompt { color: $text-muted; margin-bottom: 1; }
    TextPromptDialog TextArea { height: 8; }
    TextPromptDialog #error { color: $error; height: auto; }
    TextPromptDialog Horizontal { height: auto; margin-top: 1; }
    TextPromptDialog Button { margin-right: 2; }
    """
    GUIDE = Guide("A note or reason",
                  'Write the reason or note this step needs; it goes on the record.')
    BINDINGS = [Binding("escape", "cancel", "Cancel",
                        tooltip="Close the dialog without saving; nothing is changed"),
                Binding("ctrl+s", "save", "Save",
                        tooltip="Save what you wrote and take the step")]

    def __init__(self, title: str, prompt: str, submit: Submit, *,
                 checkbox: str | None = None, confirm: str = "Save") -> None:
        super().__init__()
        self._title, self._prompt, self._submit = title, prompt, submit
        self._checkbox, self._confirm = checkbox, confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), id="title")
            yield Static(literal(self._prompt, wrap=True), id="prompt")
            yield TextArea(id="text", soft_wrap=True)
            if self._checkbox:
                yield Checkbox(self._checkbox, id="flag")
            yield Label("", id="error")
            with Horizontal():
                yield Button(f"{self._confirm} (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        flag = self.query_one(Checkbox).value if self._checkbox else False
        self.query_one("#error", Label).update("")
        self.run_step(text, flag)

    @work(thread=True, exclusive=True, exit_on_error=False, group="prompt")
    def run_step(self, text: str, flag: bool) -> None:
        try:
            with session():
                result = self._submit(text, flag)
        except DomainError as exc:
            deliver(self, self.show_error, str(exc))
            return
        deliver(self, self.dismiss, result)

    def show_error(self, message: str) -> None:
        self.query_one("#error", Label).update(literal(message, wrap=True))
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
