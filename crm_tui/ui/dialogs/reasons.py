"""Ask for the reasons of a step a letter follows, twice over: the internal record (for the
file, the Head of Service, the Ombudsman) and what the customer is told (second person, plain
English), then run the step in a thread worker. A refusal shows at the field it is about, or
above the form; the dialog stays open and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Static, TextArea

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal

# (internal reasons, what the customer is told, the checkbox) -> the step's result
Submit = Callable[[str, str, bool], Any]
CUSTOMER_HINT = ("What the customer is told, written to them: \"You…\", plain English, whole "
                 "sentences. The letter prints it as it stands.")


class ReasonsDialog(DeliveryMixin, ModalScreen[Any]):
    DEFAULT_CSS = """
    ReasonsDialog { align: center middle; }
    ReasonsDialog > Vertical {
        width: 88; height: auto; max-height: 96%; border: thick $accent; background: $surface;
        padding: 0 2;
    }
    ReasonsDialog #title { text-style: bold; }
    ReasonsDialog .hint { color: $text-muted; }
    ReasonsDialog TextArea { height: 6; }
    ReasonsDialog .field-error { color: $error; height: auto; width: 100%; }
    ReasonsDialog #error { color: $error; height: auto; width: 100%; }
    ReasonsDialog Horizontal { height: auto; }
    ReasonsDialog Button { margin-right: 2; }
    """
    GUIDE = Guide("Reasons",
                  "The reasons for this step, twice: the internal record, and what the customer "
                  "is told in plain words.")
    BINDINGS = [Binding("escape", "cancel", "Cancel",
                        tooltip="Close the dialog without saving; nothing is changed"),
                Binding("ctrl+s", "save", "Save",
                        tooltip="Save the reasons (the record's and the customer's) and take the "
                                "step")]
    HOLDS_KEYS = True

    def __init__(self, title: str, internal_prompt: str, submit: Submit, *,
                 customer_prompt: str = CUSTOMER_HINT, checkbox: str | None = None,
                 confirm: str = "Save") -> None:
        super().__init__()
        self._title, self._internal, self._customer = title, internal_prompt, customer_prompt
        self._submit, self._checkbox, self._confirm = submit, checkbox, confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), id="title")
            yield Label("", id="error")
            yield Static(literal(self._internal, wrap=True), classes="hint", id="prompt")
            yield TextArea(id="reason", soft_wrap=True)
            yield Label("", id="reason-error", classes="field-error")
            yield Static(literal(self._customer, wrap=True), classes="hint", id="customer-hint")
            yield TextArea(id="customer_reason", soft_wrap=True)
            yield Label("", id="customer_reason-error", classes="field-error")
            if self._checkbox:
                yield Checkbox(self._checkbox, id="flag")
            with Horizontal():
                yield Button(f"{self._confirm} (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", TextArea).focus()

    @on(Checkbox.Changed, "#flag")
    def no_letter(self, event: Checkbox.Changed) -> None:
        # No letter, so nothing to tell the customer: the field is not asked for.
        for widget_id in ("#customer-hint", "#customer_reason", "#customer_reason-error"):
            self.query_one(widget_id).display = not event.value

    def _clear(self) -> None:
        for widget_id in ("#error", "#reason-error", "#customer_reason-error"):
            self.query_one(widget_id, Label).update("")

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self._clear()
        flag = self.query_one(Checkbox).value if self._checkbox else False
        self.run_step(self.query_one("#reason", TextArea).text,
                      "" if flag else self.query_one("#customer_reason", TextArea).text, flag)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reasons")
    def run_step(self, reason: str, told: str, flag: bool) -> None:
        try:
            with session():
                result = self._submit(reason, told, flag)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, result)

    def show_error(self, error: DomainError) -> None:
        if isinstance(error, ValidationError) and error.field == "customer_reason":
            self.query_one("#customer_reason-error", Label).update(
                literal(error.message, wrap=True))
            self.query_one("#customer_reason", TextArea).focus()
            return
        if isinstance(error, ValidationError) and error.field == "reason":
            self.query_one("#reason-error", Label).update(literal(error.message, wrap=True))
        else:
            self.query_one("#error", Label).update(literal(str(error), wrap=True))
        self.query_one("#reason", TextArea).focus()
