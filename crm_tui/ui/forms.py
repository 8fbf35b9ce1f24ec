"""Small helpers for forms: dates as people type them, the checks a field makes before
anything is sent to a service, and errors shown at their field in the user's words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date

from textual.widget import Widget
from textual.widgets import Label

from crm_tui import clock
from crm_tui.domain.contact import read_minutes
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.grounds import reason_problem
from crm_tui.domain.typed_dates import (
    TIME_EXAMPLE,
    date_problem,
    quoted,
    time_problem,
    with_typed_dates,
)
from crm_tui.domain.typed_dates import parse_date as parse_date  # one reader of dates
from crm_tui.domain.wording import customer_words
from crm_tui.ui.text import literal

# A field's check: the problem with the text typed, in the user's words, or None.
Check = Callable[[str], "str | None"]
# A service's message written to follow its field's name ("is not a reason: …").
_AFTER_A_NAME = re.compile(r"(is|are|was|were|must|may|should|would|has|have|cannot|does|"
                           r"contains|needs|rests|ends|starts|falls|comes|clashes|reads|"
                           r"writes|says|gives|names)\b")


def as_typed(message: str, typed: Mapping[date, str] | None = None) -> str:
    """A message as the user reads it: dates as the user typed them (`typed`: each day typed
    in the form -> its text) or else as the forms show them (dd/mm/yyyy, never the ISO form
    services and the command line use), and its first letter capital."""
    text = with_typed_dates(message.strip(), typed)
    if _AFTER_A_NAME.match(text):
        text = f"This {text}"
    return text[:1].upper() + text[1:]


# -- checks made as the user types, all at once before saving -------------------------------
def required(what_to_write: str) -> Check:
    """Blank is a problem; the message says what to write ("Say why the decision was made")."""
    return lambda text: None if text.strip() else what_to_write


def a_reason(what_to_write: str, rule: Check = reason_problem) -> Check:
    """A reason a step is recorded on: blank says what to write; "n/a", "TBC" or "-" is
    refused by the rule the step itself refuses it with (lifecycle.reason_problem; `rule`:
    another, as an appeal's grounds are refused by grounds.grounds_problem)."""
    return lambda text: (what_to_write if not text.strip() else
                         (as_typed(problem) if (problem := rule(text)) else None))


def told(what_to_write: str) -> Check:
    """What the customer is told: blank says what to write; words a letter could not print
    ("-", a sentence without a full stop, a placeholder) are refused by the rules the step
    refuses them with (wording.customer_words), at the field with every other field's
    problems (b15d F4: said only once the reasons were put right). The customer's own names
    are the step's to check: the form does not hold them."""
    def check(text: str) -> str | None:
        if not text.strip():
            return what_to_write
        try:
            customer_words("customer_reason", text)
        except ValidationError as exc:
            return as_typed(exc.message)
        return None
    return check


# The most a field for a day (or a day and a time) takes: "28 November 2026 09:30" is 22
# characters, "18 months" 9. A letter pasted into one was taken whole and quoted whole in its
# problem, 60 lines (b15a F4).
DATE_LENGTH = 32


class DateCheck:
    """The check of a field that takes a day (or a day and a time): the form caps what the
    field takes at DATE_LENGTH (FormBehaviour does, for every field whose check this is)."""

    def __init__(self, check: Check) -> None:
        self._check = check

    def __call__(self, text: str) -> str | None:
        return self._check(text)


def a_date(when_blank: str | None = "Type a date like 28/11/2026", *,
           latest: date | None = None, latest_is: str = "today",
           earliest: date | None = None, earliest_is: str = "",
           past: bool = False, to_come: bool = False) -> Check:
    """A date as parse_date reads it; blank is allowed when `when_blank` is None. `latest`
    and `earliest`: the days a service would refuse it after or before (see date_problem);
    `past`: not after today; `to_come`: after today (both read when the check is made)."""
    def check(text: str) -> str | None:
        problem = date_problem(text, blank=when_blank,
                               latest=clock.today() if past and latest is None else latest,
                               latest_is=latest_is, earliest=earliest,
                               earliest_is=earliest_is)
        if problem is None and to_come and text.strip() and \
                parse_date(text) <= clock.today():
            return f"{quoted(text.strip())} is not after today: give a day still to come"
        return problem
    return DateCheck(check)


def _a_time(text: str) -> str | None:
    """A date and time like 28/11/2026 09:30, not after now (the service refuses a contact
    in the future: said here with the other fields' problems)."""
    if not text.strip():
        return f"Type when it was, like {TIME_EXAMPLE}"
    return time_problem(text, latest=clock.now().replace(tzinfo=None))


a_time = DateCheck(_a_time)


def minutes(text: str) -> str | None:
    """A whole number of minutes, typed (0 is a number; blank is not)."""
    if not text.strip():
        return "Type how many minutes it took, like 10"
    try:
        read_minutes(text)  # the one reader, the log sheet's too
    except ValueError as exc:
        return str(exc)
    return None


# -- fields and their problems -----------------------------------------------------------------
def show_field_error(form: Widget, field_id: str, message: str, *, focus: bool = True,
                     typed: Mapping[date, str] | None = None) -> None:
    """Show a message under the field and mark the field; move the cursor to it if asked.
    `typed`: the days typed in the form, quoted as typed (see as_typed)."""
    label = form.query_one(f"#{field_id}-error", Label)
    label.update(literal(as_typed(message, typed), wrap=True))
    label.display = True
    widget = form.query_one(f"#{field_id}")
    widget.add_class("-problem")
    if focus:
        widget.focus()
        widget.scroll_visible()


def clear_field_error(form: Widget, field_id: str) -> None:
    for label in form.query(f"#{field_id}-error").results(Label):
        label.update("")
        label.display = False
    for widget in form.query(f"#{field_id}"):
        widget.remove_class("-problem")


def clear_field_errors(form: Widget) -> None:
    for label in form.query("Label.field-error").results(Label):
        label.update("")
        label.display = False
    for widget in form.query(".-problem"):
        widget.remove_class("-problem")


def field(label: str, widget: Widget) -> Iterator[Widget]:
    """A form field: its label, the widget, and the (hidden) line its error is shown on."""
    yield Label(label)
    yield widget
    error = Label("", id=f"{widget.id}-error", classes="field-error")
    error.display = False
    yield error
