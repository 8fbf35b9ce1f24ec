"""A short form of one-line fields (a period's dates; a matter's closing date and outcome),
then the step it is for, run in a thread worker. A refusal is shown at its field, or above
the form, and the dialog stays open: nothing is half-stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.forms import clear_field_errors, show_field_error
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    value: str = ""


class FieldsDialog(DeliveryMixin, ModalScreen[Any]):
    DEFAULT_CSS = """
    FieldsDialog { align: center middle; }
    FieldsDialog > Vertical {
        width: 84; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    FieldsDialog #fields-title { text-style: bold; }
    FieldsDialog #fields-help { color: $text-muted; margin-bottom: 1; }
    FieldsDialog .field-error { color: $error; }
    FieldsDialog .-invalid { border: tall $error; }
    FieldsDialog #form-error { color: $error; height: auto; }
    """
    GUIDE = Guide("A short form",
                  'The few fields this step needs.')
    BINDINGS = [Binding("escape", "cancel", "Cancel",
                        tooltip="Close the dialog without saving; nothing is changed"),
                Binding("ctrl+s", "save", "Save",
                        tooltip="Save these fields and take the step")]
    HOLDS_KEYS = True

    def __init__(self, title: str, help_text: str, fields: list[Field],
                 submit: Callable[[dict[str, str]], Any]) -> None:
        super().__init__()
        self._title, self._help, self._fields, self._submit = title, help_text, fields, submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), id="fields-title")
            yield Static(literal(self._help, wrap=True), id="fields-help")
            yield Static("", id="form-error")
            for f in self._fields:
                yield Label(f.label)
                yield Input(f.value, id=f.id)
                error = Label("", id=f"{f.id}-error", classes="field-error")
                error.display = False
                yield error

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def next_or_save(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        clear_field_errors(self)
        self.query_one("#form-error", Static).update("")
        self.run_step({i.id or "": i.value for i in self.query(Input)})

    @work(thread=True, exclusive=True, exit_on_error=False, group="fields-step")
    def run_step(self, values: dict[str, str]) -> None:
        try:
            with session():
                result = self._submit(values)
        except (DomainError, ValueError) as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, result if result is not None else True)

    def show_error(self, error: Exception) -> None:
        ids = {f.id for f in self._fields}
        if isinstance(error, ValidationError) and error.field in ids:
            show_field_error(self, error.field, error.message)
            return
        self.query_one("#form-error", Static).update(literal(str(error), wrap=True))

    def action_cancel(self) -> None:
        self.dismiss(None)
