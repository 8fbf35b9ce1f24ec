"""Ask for the reasons of a step a letter follows, twice over: the internal record (for the
file, the Head of Service, the Ombudsman) and what the customer is told (second person, plain
English), then run the step in a thread worker. Both are checked at once before anything is
sent; a refusal shows at the field it is about, or above the form; the dialog stays open and
nothing is stored. A step that acts in someone's name asks first (`question`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Label, Static, TextArea

from crm_tui.domain.errors import DomainError
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog
from crm_tui.ui.forms import Check, a_reason, told
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.bounded_text import BoundedTextArea
from crm_tui.ui.widgets.wrapped_checkbox import WrappedCheckbox

# The line of keys docked at the foot of the form's box.
DOCKED_KEYS = 1
# (internal reasons, what the customer is told, the checkbox) -> the step's result
# (and, with `against`, the reasons for going against the view: a fourth value)
Submit = Callable[..., Any]
CUSTOMER_HINT = ("What the customer is told, written to them: \"You…\", plain English, whole "
                 "sentences. The letter prints it as it stands.")
CHECKS: dict[str, Check] = {
    "reason": a_reason("Say why: the reasons for the record"),
    "customer_reason": told("Say why, as the customer is told it: \"You…\", in plain "
                            "English"),
    "against_view_reason": a_reason("Say why you decide otherwise than the Head of Service's "
                                    "view: the reasons for the record"),
}


class ReasonsDialog(FormDialog):
    DEFAULT_CSS = """
    ReasonsDialog { align: center middle; }
    ReasonsDialog > VerticalScroll {
        width: 88; height: auto; max-height: 96%; border: thick $accent; background: $surface;
        padding: 0 2;
    }
    ReasonsDialog #title { text-style: bold; }
    ReasonsDialog .hint { color: $text-muted; }
    ReasonsDialog TextArea { height: 6; }
    ReasonsDialog .field-error { color: $error; height: auto; width: 100%; }
    ReasonsDialog #form-error { color: $error; height: auto; width: 100%; }
    ReasonsDialog Horizontal { height: auto; }
    ReasonsDialog Button { margin-right: 2; }
    """
    GUIDE = Guide("Reasons",
                  "The reasons for this step, twice: the internal record, and what the customer "
                  "is told in plain words.")
    DISCARD = "the reasons you typed"

    def __init__(self, title: str, internal_prompt: str, submit: Submit, *,
                 customer_prompt: str = CUSTOMER_HINT, checkbox: str | None = None,
                 confirm: str, question: str | Callable[[bool], str] = "",
                 checkbox_problem: str = "", against: str = "") -> None:
        """`confirm`: the save key's word; `question`: asked before the step runs (worked out
        from the tick box, where what goes out depends on it);
        `checkbox_problem`: why the step cannot be taken with the box ticked (as its service
        would refuse it), said at the box with the other problems;
        `against`: with the box ticked, the step goes against a view recorded (this says
        whose and what): a field for the reasons for deciding otherwise is shown, and its
        words are given to `submit` as a fourth value."""
        super().__init__()
        self._against = against
        self._checkbox_problem = checkbox_problem
        self._title, self._internal, self._customer = title, internal_prompt, customer_prompt
        self._submit, self._checkbox, self._confirm = submit, checkbox, confirm
        self._question = question
        self.name_save(confirm)

    def compose(self) -> ComposeResult:
        # Not a stop of its own for Tab or Enter: each field, scrolled into sight as the
        # cursor lands on it, is what Tab reaches (round 12).
        with VerticalScroll(can_focus=False):
            yield Static(literal(self._title), id="title")
            yield Static("", id="form-error")
            yield Static(literal(self._internal, wrap=True), classes="hint", id="prompt")
            yield BoundedTextArea(id="reason", soft_wrap=True)
            yield Label("", id="reason-error", classes="field-error")
            yield Static(literal(self._customer, wrap=True), classes="hint", id="customer-hint")
            yield BoundedTextArea(id="customer_reason", soft_wrap=True)
            yield Label("", id="customer_reason-error", classes="field-error")
            if self._checkbox:
                yield WrappedCheckbox(self._checkbox, id="flag")
                yield Label("", id="flag-error", classes="field-error")
            if self._against:  # shown once the box is ticked (no_letter)
                hint = Static(literal(self._against, wrap=True), classes="hint",
                              id="against-hint")
                words = BoundedTextArea(id="against_view_reason", soft_wrap=True)
                hint.display = words.display = False
                yield hint
                yield words
                yield Label("", id="against_view_reason-error", classes="field-error")
            with Horizontal():
                yield Button(f"{self._confirm} (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def checks(self) -> dict[str, Check]:
        return CHECKS

    def scroll_to_center(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """The cursor put on the first field shows the form from its title, where the field
        is whole in sight so: Textual centres a field it focuses, and at 80x24 the review
        session's Lift opened scrolled down, its title and words out of sight (v15c m3)."""
        form = self.query_one(VerticalScroll)
        if widget is self.first_field() and widget.virtual_region.bottom <= (
                form.scrollable_content_region.height - DOCKED_KEYS):
            form.scroll_home(animate=False, immediate=True)
            return
        super().scroll_to_center(widget, *args, **kwargs)

    def rule_problems(self) -> dict[str, str]:
        if self._checkbox and self._checkbox_problem and self.query_one("#flag",
                                                                         Checkbox).value:
            return {"flag": self._checkbox_problem}
        return {}

    @on(Checkbox.Changed, "#flag")
    def no_letter(self, event: Checkbox.Changed) -> None:
        # No letter, so nothing to tell the customer: the field is not asked for.
        for widget_id in ("#customer-hint", "#customer_reason", "#customer_reason-error"):
            self.query_one(widget_id).display = not event.value
        if event.value:
            self.query_one("#customer_reason-error").display = False
        if self._against:  # the reasons for going against the view, only when it is
            for widget_id in ("#against-hint", "#against_view_reason"):
                self.query_one(widget_id).display = event.value
            if not event.value:
                self.query_one("#against_view_reason-error").display = False

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if not self.checked():
            return
        flag = self.query_one(Checkbox).value if self._checkbox else False
        reason = self.query_one("#reason", TextArea).text
        told = "" if flag else self.query_one("#customer_reason", TextArea).text
        extra = ((self.query_one("#against_view_reason", TextArea).text if flag else "",)
                 if self._against else ())
        question = self._question(flag) if callable(self._question) else self._question
        if question:
            self.confirm_then(question, lambda: self._submit(reason, told, flag, *extra),
                              lambda: self.run_step(reason, told, flag, *extra),
                              yes=self._confirm, no="Not yet")
        else:
            self.run_step(reason, told, flag, *extra)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    @work(thread=True, exclusive=True, exit_on_error=False, group="reasons")
    def run_step(self, reason: str, told: str, flag: bool, *extra: str) -> None:
        try:
            with session():
                result = self._submit(reason, told, flag, *extra)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, result)
