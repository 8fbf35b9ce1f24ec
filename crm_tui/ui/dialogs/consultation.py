"""The Head of Service's view on the proposed restrictions: recorded by the Head of Service
signed in as themselves, or by the CRM naming the Head of Service who gave it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea

from crm_tui import clock
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.forms import clear_field_errors, parse_date, show_field_error
from crm_tui.ui.text import literal

Record = Callable[[ConsultationView, str, str | None, date], Any]
IDS = {"view_text": "view_text", "consulted_on": "consulted_on", "consultee": "consultee"}


class ConsultationDialog(DeliveryMixin, ModalScreen[Any]):
    DEFAULT_CSS = """
    ConsultationDialog { align: center middle; }
    ConsultationDialog > VerticalScroll {
        width: 84; height: auto; max-height: 90%; border: thick $accent; background: $surface;
        padding: 1 2;
    }
    ConsultationDialog .title { text-style: bold; }
    ConsultationDialog TextArea { height: 6; }
    ConsultationDialog .field-error { color: $error; }
    ConsultationDialog .-invalid { border: tall $error; }
    ConsultationDialog #form-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Record view"), Binding("escape", "cancel", "Cancel")]
    HOLDS_KEYS = True

    def __init__(self, reference: str, heads: list[tuple[str, str]] | None,
                 record: Record) -> None:
        """`heads`: (login, name) of Heads of Service to choose from when the CRM records a
        view given to them; None when the Head of Service records their own."""
        super().__init__()
        self.reference, self.heads, self._record = reference, heads, record

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(literal(f"Head of Service consultation · {self.reference}"),
                         classes="title")
            yield Static("", id="form-error")
            if self.heads is not None:
                yield Label("Head of Service consulted")
                only = self.heads[0][0] if len(self.heads) == 1 else Select.NULL
                yield Select[str]([(name, login) for login, name in self.heads], value=only,
                                  id="consultee")
                yield Label("", id="consultee-error", classes="field-error")
            yield Label("View")
            yield Select[str]([(v.label, v.value) for v in ConsultationView],
                              value=ConsultationView.AGREES.value, allow_blank=False, id="view")
            yield Label("The view, in the Head of Service's words")
            yield TextArea(id="view_text")
            yield Label("", id="view_text-error", classes="field-error")
            yield Label("Consulted on")
            yield Input(f"{clock.today():%d/%m/%Y}", id="consulted_on")
            yield Label("", id="consulted_on-error", classes="field-error")

    def on_mount(self) -> None:
        for label in self.query("Label.field-error"):
            label.display = False
        self.query_one("#view_text", TextArea).focus()

    def action_save(self) -> None:
        clear_field_errors(self)
        self.query_one("#form-error", Static).update("")
        try:
            when = parse_date(self.query_one("#consulted_on", Input).value)
        except ValueError as exc:
            show_field_error(self, "consulted_on", str(exc))
            return
        consultee = None
        if self.heads is not None:
            value = self.query_one("#consultee", Select).value
            if value is Select.NULL:
                show_field_error(self, "consultee", "choose the Head of Service consulted")
                return
            consultee = str(value)
        view = ConsultationView(str(self.query_one("#view", Select).value))
        self.run_step(view, self.query_one("#view_text", TextArea).text, consultee, when)

    @work(thread=True, exclusive=True, exit_on_error=False, group="consultation")
    def run_step(self, view: ConsultationView, text: str, consultee: str | None,
                 when: date) -> None:
        try:
            with session():
                result = self._record(view, text, consultee, when)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, result if result is not None else True)

    def show_error(self, error: DomainError) -> None:
        if isinstance(error, ValidationError) and error.field in IDS and self.query(
                f"#{IDS[error.field]}"):
            show_field_error(self, IDS[error.field], error.message)
            return
        self.query_one("#form-error", Static).update(literal(str(error), wrap=True))

    def action_cancel(self) -> None:
        self.dismiss(None)
