"""The CRM's decision: when the restrictions start and end, when they are reviewed (yearly
unless one of the policy's reasons says sooner), and why — with, beside the form, what the
customer will be told. Refusals (dates, missing consultation, evidence or equality answers,
the wrong role) are shown at their field or above the form; nothing is stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Select, Static, TextArea

from crm_tui.domain.dates import ReviewPeriodReason, add_months
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.services.core.database import session
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.forms import clear_field_errors, field, parse_date, show_field_error
from crm_tui.ui.text import literal

DURATION = re.compile(r"^(\d{1,3})\s*(m|months?)$")
Decide = Callable[[DecisionTerms, str], Any]
Preview = Callable[[DecisionTerms, str], str]
IDS = {"starts_on": "starts_on", "ends_on": "ends_on", "review_due": "review_due",
       "review_period_reason": "review_period_reason",
       "review_period_note": "review_period_note", "reason": "reason"}


class DecisionDialog(DeliveryMixin, ModalScreen[Any]):
    DEFAULT_CSS = """
    DecisionDialog { align: center middle; }
    DecisionDialog > Vertical {
        width: 96%; height: 94%; border: thick $accent; background: $surface; padding: 0 1;
    }
    DecisionDialog .title { text-style: bold; }
    DecisionDialog #decision-body { height: 1fr; }
    DecisionDialog #decision-form { width: 56; padding-right: 1; }
    DecisionDialog #preview-scroll { width: 1fr; border: round $primary-darken-1; padding: 0 1; }
    DecisionDialog #reason { height: 6; }
    DecisionDialog .field-error { color: $error; }
    DecisionDialog .-invalid { border: tall $error; }
    DecisionDialog #form-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Decide"), Binding("escape", "cancel", "Cancel")]
    HOLDS_KEYS = True

    def __init__(self, title: str, terms: DecisionTerms, decide: Decide,
                 preview: Preview) -> None:
        super().__init__()
        self._title, self._terms, self._decide, self._preview = title, terms, decide, preview
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        t = self._terms
        with Vertical():
            yield Static(literal(self._title), classes="title")
            yield Static("", id="form-error")
            with Horizontal(id="decision-body"):
                with VerticalScroll(id="decision-form"):
                    yield from field("Restrictions start on", Input(
                        f"{t.starts_on:%d/%m/%Y}", id="starts_on"))
                    yield from field("and end on (a date, or a duration like 18 months)", Input(
                        f"{t.ends_on:%d/%m/%Y}", id="ends_on"))
                    yield from field("Review by (at least yearly)", Input(
                        f"{t.review_due:%d/%m/%Y}" if t.review_due else "", id="review_due"))
                    yield from field("Reason for a different review period", Select[str](
                        [(r.label, r.value) for r in ReviewPeriodReason],
                        id="review_period_reason"))
                    yield from field("Note on the review period", Input(
                        id="review_period_note"))
                    yield from field("The decision and why (recorded and told to the customer)",
                                      TextArea(id="reason"))
                with VerticalScroll(id="preview-scroll"):
                    yield Static("What the customer will be told", classes="title")
                    yield Static(id="preview")

    def on_mount(self) -> None:
        self.query_one("#reason", TextArea).focus()
        self.refresh_preview()

    def _gather(self) -> tuple[DecisionTerms, str]:
        def day(widget_id: str, *, optional: bool = False) -> Any:
            text = self.query_one(f"#{widget_id}", Input).value
            if optional and not text.strip():
                return None
            try:
                return parse_date(text)
            except ValueError as exc:
                raise ValidationError(widget_id, str(exc)) from None

        starts_on = day("starts_on")
        duration = DURATION.match(self.query_one("#ends_on", Input).value.strip().lower())
        ends_on = add_months(starts_on, int(duration.group(1))) if duration else day("ends_on")
        reason_value = self.query_one("#review_period_reason", Select).value
        terms = DecisionTerms(
            starts_on=starts_on, ends_on=ends_on,
            review_due=day("review_due", optional=True),
            review_period_reason=None if reason_value is Select.NULL
            else ReviewPeriodReason(str(reason_value)),
            review_period_note=self.query_one("#review_period_note", Input).value)
        return terms, self.query_one("#reason", TextArea).text

    # -- the preview follows the form, a moment after typing stops --------------------------
    @on(Input.Changed)
    @on(TextArea.Changed)
    def changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.4, self.refresh_preview)

    def refresh_preview(self) -> None:
        try:
            terms, reason = self._gather()
        except ValidationError as exc:
            self.query_one("#preview", Static).update(literal(
                f"(The preview follows the form: {exc})", "italic", wrap=True))
            return
        self.make_preview(terms, reason)

    @work(thread=True, exclusive=True, exit_on_error=False, group="decision-preview")
    def make_preview(self, terms: DecisionTerms, reason: str) -> None:
        try:
            with session():
                text = self._preview(terms, reason)
        except DomainError as exc:
            text = f"(No preview: {exc})"
        deliver(self, self.query_one("#preview", Static).update, literal(text, wrap=True))

    # -- deciding -------------------------------------------------------------------------
    def action_save(self) -> None:
        clear_field_errors(self)
        self.query_one("#form-error", Static).update("")
        try:
            terms, reason = self._gather()
        except ValidationError as exc:
            self.show_error(exc)
            return
        self.run_step(terms, reason)

    @work(thread=True, exclusive=True, exit_on_error=False, group="decision")
    def run_step(self, terms: DecisionTerms, reason: str) -> None:
        try:
            with session():
                result = self._decide(terms, reason)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, result if result is not None else True)

    def show_error(self, error: DomainError) -> None:
        if isinstance(error, ValidationError) and error.field in IDS:
            show_field_error(self, IDS[error.field], error.message)
            return
        self.query_one("#form-error", Static).update(literal(str(error), wrap=True))

    def action_cancel(self) -> None:
        self.dismiss(None)
