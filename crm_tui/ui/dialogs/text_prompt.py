"""Ask for a reason or a note, then run the step it is for. The step runs in a thread
worker; if the rules refuse it, the message shows in the dialog, which stays open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Label, Static, TextArea

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog
from crm_tui.ui.forms import Check, a_reason, required
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.bounded_text import BoundedTextArea
from crm_tui.ui.widgets.wrapped_checkbox import WrappedCheckbox

Submit = Callable[[str, bool], Any]


class TextPromptDialog(FormDialog):
    DEFAULT_CSS = """
    TextPromptDialog { align: center middle; }
    TextPromptDialog > VerticalScroll {
        width: 84; height: auto; max-height: 95%; border: thick $accent; background: $surface;
        padding: 1 2 0 2;
    }
    TextPromptDialog #title { text-style: bold; }
    TextPromptDialog #prompt { color: $text-muted; margin-bottom: 1; }
    TextPromptDialog TextArea { height: 8; }
    TextPromptDialog .field-error { color: $error; height: auto; }
    TextPromptDialog #form-error { color: $error; height: auto; }
    TextPromptDialog Horizontal { height: auto; margin-top: 1; }
    TextPromptDialog Button { margin-right: 2; }
    """
    GUIDE = Guide("A note or reason",
                  'Write the reason or note this step needs; it goes on the record.')

    def __init__(self, title: str, prompt: str, submit: Submit, *,
                 checkbox: str | None = None, confirm: str, question: str = "",
                 needed: str = "", rule: Check | None = None) -> None:
        """`confirm`: the save key's word; `question`: asked before the step runs; `needed`:
        what to write when the text is required (said before anything is sent); `rule`: the
        service's own rule on the text ("n/a" is no enquiry), said at the field as it is
        typed and at save, with `needed`."""
        super().__init__()
        self._title, self._prompt, self._submit = title, prompt, submit
        self.GUIDE = Guide(title, prompt)
        self._checkbox, self._confirm, self._question = checkbox, confirm, question
        self._needed, self._rule = needed, rule
        self.name_save(confirm)

    def compose(self) -> ComposeResult:
        # Not a stop of its own for Tab or Enter: each field, scrolled into sight as the
        # cursor lands on it, is what Tab reaches (round 12).
        with VerticalScroll(can_focus=False):
            yield Static(literal(self._title), id="title")
            yield Static(literal(self._prompt, wrap=True), id="prompt")
            yield BoundedTextArea(id="text", soft_wrap=True)
            yield Label("", id="text-error", classes="field-error")
            if self._checkbox:
                yield WrappedCheckbox(self._checkbox, id="flag")
            yield Static("", id="form-error")
            with Horizontal():
                yield Button(f"{self._confirm} (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def checks(self) -> dict[str, Check]:
        if self._needed and self._rule is not None:
            return {"text": a_reason(self._needed, self._rule)}
        return {"text": required(self._needed)} if self._needed else {}

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if not self.checked():
            return
        text = self.query_one(TextArea).text
        flag = self.query_one(Checkbox).value if self._checkbox else False
        if self._question:
            self.confirm_then(self._question, lambda: self._submit(text, flag),
                              lambda: self.run_step(text, flag), yes=self._confirm,
                              no="Not yet")
        else:
            self.run_step(text, flag)

    @work(thread=True, exclusive=True, exit_on_error=False, group="prompt")
    def run_step(self, text: str, flag: bool) -> None:
        try:
            with session():
                result = self._submit(text, flag)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, result)

    def show_error(self, error: DomainError) -> None:
        if isinstance(error, ValidationError):  # the one field there is: shown under it
            error = ValidationError("text", error.message)
        super().show_error(error)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()
