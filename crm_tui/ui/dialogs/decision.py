"""The CRM's decision: when the restrictions start and end, when they are reviewed (yearly
unless one of the policy's reasons says sooner), and why — with, beside the form, the letter
the customer will be sent, as the letter checker reads it, and everything that still stands in
the way. Decide (ctrl+s) is open only while the letter shown is the one the form would produce
and nothing stands in the way; the decision confirms the versions of the restrictions the
letter was built from. Refusals are shown at their field or above the form; nothing is
stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Static, TextArea

from crm_tui.domain.dates import ReviewPeriodReason, add_months
from crm_tui.domain.errors import DomainError, Problems, ValidationError
from crm_tui.services.core.database import session
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.restrictions.readiness import DecisionPreview
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog, save_binding, value_of
from crm_tui.ui.forms import (
    Check,
    DateCheck,
    a_date,
    a_reason,
    as_typed,
    clear_field_error,
    field,
    parse_date,
    required,
    show_field_error,
    told,
)
from crm_tui.ui.guide import LETTER, RESTRICTIONS, REVIEW, Guide
from crm_tui.ui.text import choices, literal
from crm_tui.ui.widgets.bounded_text import BoundedTextArea

# Where the letter prints it, beside each restriction's own words (t15 F7: the two were
# printed one after the other under "Why", near-identical).
CUSTOMER_HINT = ("Written to the customer (\"You…\"), in plain English and whole sentences: "
                 "the letter prints it as it stands under \"Why\", before the examples. Each "
                 "restriction's own reason is printed with it, under \"What we have "
                 "decided\": say why you decided, not each restriction's reason again.")
DURATION = re.compile(r"^([0-9]{1,3})\s*(m|months?)$")
# (terms, reason, reasons for going against the Head of Service's view, versions read, what
# the customer is told)
Decide = Callable[[DecisionTerms, str, str, dict[int, int], str], Any]
# (terms, or None when the dates typed are not dates: every problem but theirs, no letter)
Preview = Callable[[DecisionTerms | None, str, str, str], DecisionPreview]
Inputs = tuple[DecisionTerms, str, str, str]
# The question asked before deciding, from the form's dates and the letter shown (its review
# date as the decision will carry it).
Question = Callable[[DecisionTerms, DecisionPreview], str]
IDS = {"starts_on": "starts_on", "ends_on": "ends_on", "review_due": "review_due",
       "review_period_reason": "review_period_reason",
       "review_period_note": "review_period_note", "reason": "reason",
       "against_view_reason": "against_view_reason", "customer_reason": "customer_reason"}


def _end(text: str) -> str | None:
    if DURATION.match(text.strip().lower()):
        return None
    return a_date("Type the end date like 28/11/2027, or a duration like 18 months")(text)


CHECKS: dict[str, Check] = {
    "starts_on": a_date("Type the day the restrictions start, like 28/11/2026"),
    "ends_on": DateCheck(_end),
    "review_due": a_date(None),
    "reason": a_reason("Say why the decision was made: the behaviour, the evidence and why "
                       "restrictions are needed (the internal record)"),
    "customer_reason": told("Say why, as the customer is told it: \"You…\", in plain "
                            "English"),
    "against_view_reason": required("Say why you go ahead against the Head of Service's "
                                    "view"),
}


def status_text(preview: DecisionPreview) -> Text:
    """The side panel's words on the letter, as the services say them: the domain's rules on
    a decision's dates write them as the forms show them, dd/mm/yyyy (v15l X7: "start
    (2027-06-18)" was converted here alone; v15m Y4: the command line had it as written)."""
    text = Text()
    if preview.view:
        # The view names itself ("Head of Service's view, recorded by …"): a label before
        # it said "Head of Service" twice.
        text.append(f"{preview.view}\n")
    if preview.ready:
        text.append("The letter passes the checks: ctrl+s decides.", style="bold green")
        return text
    text.append("Cannot decide yet\n", style="bold red")
    for problem in preview.problems:
        text.append(f"• {problem}\n")
    return text


REVIEW_BLANK = "blank: counted from the start"
REVIEW_UNKNOWN = "blank: set once the start and end are dates"


def review_blank(in_force: date | None, starts_on: date | None, ends_on: date | None) -> str:
    """What a blank review date does, as the field's hint says it, for the dates typed: a
    variation, and an amendment on appeal (v16 4), keeps the review in force (`in_force`;
    fixAH AH2: "counted from the start" was said on a variation), or moves it to the end
    when the end typed comes sooner (tester v15p AK3: "keeps the review due 30/11/2027"
    beside an end of 20/11/2027), by the rule
    of readiness.kept_review; any other decision (`in_force` None), or a review in force
    that falls on or before the start, counts it from the start."""
    if in_force is None:
        return REVIEW_BLANK
    if starts_on is None or ends_on is None:
        # A start or end not a date: which of the three cannot be said (v16 10: the day
        # worked out from the end typed before stayed).
        return REVIEW_UNKNOWN
    kept = min(in_force, ends_on)
    if kept <= starts_on:
        return REVIEW_BLANK
    if kept < in_force:
        return f"blank: the review moves to the end, {kept:%d/%m/%Y}"
    return f"blank: keeps the review due {kept:%d/%m/%Y}"
NOT_PASSING = ("The letter beside the form does not pass the checks yet: see what stands in "
               "the way above it.")


# The terminal width below which the letter goes under the form, not beside it.
STACKED_BELOW = 96


class DecisionDialog(FormDialog):
    DEFAULT_CSS = """
    DecisionDialog { align: center middle; }
    DecisionDialog > Vertical {
        width: 96%; height: 94%; border: thick $accent; background: $surface; padding: 0 1;
    }
    DecisionDialog .title { text-style: bold; }
    DecisionDialog #decision-body { height: 1fr; }
    DecisionDialog #decision-form { width: 56; padding-right: 1; }
    DecisionDialog #preview-scroll { width: 1fr; border: round $primary-darken-1; padding: 0 1; }
    DecisionDialog #reason { height: 5; }
    DecisionDialog #customer_reason { height: 5; }
    DecisionDialog #against-box { height: auto; }
    DecisionDialog #against_view_reason { height: 5; }
    DecisionDialog .field-error { color: $error; }
    DecisionDialog .hint { color: $text-muted; }
    DecisionDialog .-problem { border: tall $error; }
    DecisionDialog #form-error { color: $error; height: auto; }
    DecisionDialog #letter-status { height: auto; margin-bottom: 1; }
    /* Too narrow for the letter beside the form (below 96 columns it was squeezed to 14 and
       broke words): the letter goes under the form, each scrolling in its own half. */
    DecisionDialog.-stacked #decision-body { layout: vertical; }
    DecisionDialog.-stacked #decision-form { width: 1fr; height: 1fr; padding-right: 0; }
    DecisionDialog.-stacked #preview-scroll { width: 1fr; height: 1fr; }
    """
    GUIDE = Guide("The decision",
                  "When the restrictions start and end, when they are reviewed, and why, beside "
                  "the letter the customer will be sent.",
                  (RESTRICTIONS, LETTER, REVIEW))
    BINDINGS = [save_binding("Decide", tooltip="Record the decision (the restrictions' dates and "
                                               "the reasons); the letter shown beside the form is "
                                               "the one prepared from it")]
    FIELD_IDS = IDS
    DISCARD = "the decision you typed"

    def __init__(self, title: str, terms: DecisionTerms, decide: Decide,
                 preview: Preview, *, confirm: str | Question = "",
                 review_in_force: date | None = None) -> None:
        """`confirm`: the question asked before deciding (who decides, what is decided, what
        goes out), or how to put it from the dates typed and the letter shown.
        `review_in_force`: the review a variation or an amendment on appeal keeps, left
        blank (None: another decision); the review field's hint follows the dates typed
        (review_blank)."""
        super().__init__()
        self._review_in_force = review_in_force
        self._blank_review = review_blank(review_in_force, terms.starts_on, terms.ends_on)
        self._title, self._terms, self._decide, self._preview = title, terms, decide, preview
        self._confirm = confirm
        self._timer: Timer | None = None
        # The letter last shown and the form it was built from: deciding confirms exactly it.
        self._shown: tuple[Inputs, DecisionPreview] | None = None
        # ctrl+s was pressed while the letter was catching up: decide once it is shown.
        self._waiting = False
        # The last letter's problems that belong to a field (a later end, a review after the
        # end): shown there, and beside every other field's at save (rule_problems), until a
        # letter made from the form as it is says otherwise.
        self._at_fields: dict[str, str] = {}
        # The form those problems were found on: at a save on another, they are asked again.
        self._at_fields_for: Inputs | None = None
        # The banner above the form says the letter does not pass: taken away once a letter
        # made from the form as it is passes (v15k U2: it stayed beside "passes the checks").
        self._not_passing = False
        # The reasons the panel's problems were last asked for while no letter could be made
        # from the dates (make_problems); None while a letter is asked for.
        self._problems_for: tuple[str, str, str] | None = None

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
                    # Blank, the decision settles it from the start, or a variation keeps the
                    # review in force (the letter beside the form shows the day; the hint says
                    # which): a year from today stayed when the start was moved later (v15m-1).
                    yield from field("Review by (at least yearly)", Input(
                        f"{t.review_due:%d/%m/%Y}" if t.review_due else "",
                        placeholder=self._blank_review, id="review_due"))
                    yield from field("Reason for a different review period", Select[str](
                        choices((r.label, r.value) for r in ReviewPeriodReason),
                        id="review_period_reason"))
                    yield from field("Note on the review period", Input(
                        id="review_period_note"))
                    yield from field("The decision and why (the internal record)",
                                     BoundedTextArea(id="reason"))
                    yield Label("Why, as the customer is told it")
                    yield Static(literal(CUSTOMER_HINT, wrap=True), classes="hint")
                    yield BoundedTextArea(id="customer_reason")
                    error = Label("", id="customer_reason-error", classes="field-error")
                    error.display = False
                    yield error
                    with Vertical(id="against-box"):
                        yield from field("The Head of Service does not agree: your reasons "
                                         "for going ahead against their view (recorded, and "
                                         "the decision is marked as against it)",
                                         BoundedTextArea(id="against_view_reason"))
                with VerticalScroll(id="preview-scroll"):
                    yield Static(id="letter-status")
                    yield Static("What the customer will be told", classes="title")
                    yield Static(id="preview")

    def on_mount(self) -> None:
        self._lay_out()
        self._show_against(False)
        self.refresh_preview()

    def on_resize(self) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        # Side by side the form keeps 56 columns; the letter needs about 32 more to read.
        self.set_class(self.size.width < STACKED_BELOW, "-stacked")

    def checks(self) -> dict[str, Check]:
        return CHECKS

    def rule_problems(self) -> dict[str, str]:
        return {IDS[name]: message for name, message in self._at_fields.items()
                if name in IDS}

    def _show_at_fields(self, fields: dict[str, str], inputs: Inputs | None) -> None:
        """The letter's problems at their fields, without taking the cursor; those the
        letter no longer has taken off, and only those: every other field's problem stays
        until its own field is put right (b15a F9: the reasons' "Say why…" went when a
        letter came back refusing the review date)."""
        before = self.rule_problems()
        self._at_fields, self._at_fields_for = dict(fields), inputs
        now = self.rule_problems()
        for widget_id in before.keys() - now.keys():
            if widget_id in (self._refused or {}):
                continue
            own = CHECKS.get(widget_id)
            problem = own(value_of(self.query_one(f"#{widget_id}"))) if own else None
            if problem is None:
                clear_field_error(self, widget_id)
            else:  # the field is still wrong by its own check: say that instead
                show_field_error(self, widget_id, problem, focus=False,
                                 typed=self.typed_days(widget_id))
        for widget_id, message in now.items():
            show_field_error(self, widget_id, message, focus=False,
                             typed=self.typed_days(widget_id))

    def _show_against(self, shown: bool) -> None:
        self.query_one("#against-box", Vertical).display = shown

    def _gather(self) -> Inputs:
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
        return (terms, self.query_one("#reason", TextArea).text,
                self.query_one("#against_view_reason", TextArea).text,
                self.query_one("#customer_reason", TextArea).text)

    # -- the preview follows the form, a moment after typing stops --------------------------
    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def changed(self) -> None:
        self._shown = None  # what is shown no longer matches the form: no deciding on it
        self._hint_follows()
        if self._waiting:  # typed after ctrl+s: decide on nothing unread
            self._waiting = False
            self.form_error("")
        self.refresh_bindings()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.4, self.refresh_preview)

    def _hint_follows(self) -> None:
        """The review field's hint, for the start and end as typed (v15p AK3)."""
        try:
            terms = self._gather()[0]
        except NoMatches:
            return
        except (ValidationError, ValueError):
            # A day not a date (31/02/2027): what a blank review does cannot be said from it,
            # and the day it said for the dates before was no longer true (v16 10).
            hint = review_blank(self._review_in_force, None, None)
        else:
            hint = review_blank(self._review_in_force, terms.starts_on, terms.ends_on)
        self.query_one("#review_due", Input).placeholder = hint

    def refresh_preview(self) -> None:
        try:
            inputs = self._gather()
        except ValidationError as exc:
            said = as_typed(exc.message, self.typed_days())
            first = literal(f"(The letter follows the form: {said})", "italic", wrap=True)
            self.query_one("#letter-status", Static).update(first)
            self.query_one("#preview", Static).update("")
            self.make_problems(first, self._texts())
            return
        self._problems_for = None
        self.make_preview(inputs)

    def _texts(self) -> tuple[str, str, str]:
        """The reasons typed: the decision's, those against the view, the customer's."""
        return (self.query_one("#reason", TextArea).text,
                self.query_one("#against_view_reason", TextArea).text,
                self.query_one("#customer_reason", TextArea).text)

    def make_problems(self, first: Text, texts: tuple[str, str, str]) -> None:
        """With no letter to make from the dates typed, every other problem is still listed
        under what is wrong with the dates (v16 10: the reasons' went from the panel)."""
        self._problems_for = texts
        self._ask_problems(first, texts)

    @work(thread=True, exclusive=True, exit_on_error=False, group="decision-preview")
    def _ask_problems(self, first: Text, texts: tuple[str, str, str]) -> None:
        try:
            with session():
                found = self._preview(None, *texts)
        except DomainError:
            return  # the dates' own problem is shown already
        deliver(self, self._show_problems, first, texts, found)

    def _show_problems(self, first: Text, texts: tuple[str, str, str],
                       found: DecisionPreview) -> None:
        if self._problems_for != texts or self._shown is not None or texts != self._texts():
            return  # the form changed since: what it asked for now follows
        text = first.copy()
        text.append("\n")
        text.append_text(status_text(found))
        self.query_one("#letter-status", Static).update(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="decision-preview")
    def make_preview(self, inputs: Inputs) -> None:
        try:
            with session():
                found = self._preview(*inputs)
        except DomainError as exc:
            deliver(self, self.show_no_letter, inputs, exc)
            return
        deliver(self, self.show_preview, inputs, found)

    def show_no_letter(self, inputs: Inputs, error: DomainError) -> None:
        """A date the decision cannot take: at its field, and no letter to decide on."""
        if self._waiting:
            self._waiting = False
            self.form_error("")
        self._shown = None
        self.refresh_bindings()
        # Marked where it is, without taking the cursor from where the CRM is typing, and
        # said again at save with the fields' own problems; the others stay as they are.
        found = error.found if isinstance(error, Problems) else \
            [error] if isinstance(error, ValidationError) else []
        fields: dict[str, str] = {}
        for one in found:
            if one.field in IDS:
                fields.setdefault(one.field, one.message)
        self._show_at_fields(fields, inputs)
        message = error.message if isinstance(error, ValidationError) else str(error)
        first = literal(f"No letter yet: {as_typed(message, self.typed_days())}", "bold red",
                        wrap=True)
        self.query_one("#letter-status", Static).update(first)
        self.query_one("#preview", Static).update("")
        self.make_problems(first, self._texts())

    def show_preview(self, inputs: Inputs, found: DecisionPreview) -> None:
        self._problems_for = None
        try:
            current = self._gather()
        except ValidationError:
            current = None
        self._shown = (inputs, found) if current == inputs else None
        self._show_against(found.against_view)
        self._show_at_fields(found.fields, inputs)
        self.query_one("#letter-status", Static).update(status_text(found))
        self.query_one("#preview", Static).update(literal(
            found.letter or "(No letter can be made yet.)", wrap=True))
        self.refresh_bindings()
        if self._not_passing and self._shown is not None and found.ready:
            self.form_error("")
        if self._waiting and self._shown is not None:
            self.form_error("")
            self.action_save()

    # -- deciding -------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self._shown is not None and self._shown[1].ready

    def _current(self) -> Inputs | None:
        try:
            return self._gather()
        except ValidationError:
            return None

    def action_save(self) -> None:
        self._waiting = False
        current = self._current()
        stale = current != self._at_fields_for
        if stale:
            # The letter's problems were found on the form as it was before the last change:
            # not said as if still true; the letter is asked again at once and says its own.
            self._at_fields, self._at_fields_for = {}, None
        if not self.checked():
            if stale and current is not None:
                if self._timer is not None:
                    self._timer.stop()
                    self._timer = None
                self.make_preview(current)
            return
        try:
            inputs = self._gather()
        except ValidationError as exc:
            self.show_error(exc)
            return
        shown = self._shown
        if shown is None or shown[0] != inputs:
            # The letter is catching up with the form: make it now, and decide once it is
            # shown (show_preview comes back here), saying so meanwhile.
            self._waiting = True
            self.form_error("Waiting for the letter beside the form to catch up with what "
                            "you typed: the decision follows once it passes the checks.")
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self.make_preview(inputs)
            return
        if not shown[1].ready:
            self.show_problems(self.rule_problems())
            self.form_error(NOT_PASSING)
            return
        versions = shown[1].versions
        if self._confirm:
            terms, reason, against, told = inputs
            question = self._confirm(terms, shown[1]) if callable(self._confirm) \
                else self._confirm
            self.confirm_then(question,
                              lambda: self._decide(terms, reason, against, versions, told),
                              lambda: self.run_step(inputs, versions), yes="Decide",
                              no="Not yet")
        else:
            self.run_step(inputs, versions)

    @work(thread=True, exclusive=True, exit_on_error=False, group="decision")
    def run_step(self, inputs: Inputs, versions: dict[int, int]) -> None:
        terms, reason, against, told = inputs
        try:
            with session():
                result = self._decide(terms, reason, against, versions, told)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, result if result is not None else True)

    def form_error(self, message: str, *, in_sight: bool = True) -> None:
        self._not_passing = message == NOT_PASSING
        super().form_error(message, in_sight=in_sight)

    def show_error(self, error: DomainError) -> None:
        super().show_error(error)
        self._shown = None
        self.refresh_bindings()
        self.refresh_preview()  # what changed meanwhile is shown, to read before deciding
