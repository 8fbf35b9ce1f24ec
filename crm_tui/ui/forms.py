"""Small helpers for forms: dates as people type them, and errors shown at their field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from textual.widget import Widget
from textual.widgets import Label

from crm_tui.ui.text import literal

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y")


def parse_date(text: str) -> date:
    """A date typed as 2026-11-28, 28/11/2026, 28/11/26 or 28 Nov 2026."""
    value = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date: type it like 28/11/2026 or 2026-11-28"
                     if value else "is required: type a date like 28/11/2026")


def show_field_error(form: Widget, field_id: str, message: str) -> None:
    """Show a message under the field, mark the field and move the cursor to it."""
    label = form.query_one(f"#{field_id}-error", Label)
    label.update(literal(message, wrap=True))
    label.display = True
    widget = form.query_one(f"#{field_id}")
    widget.add_class("-invalid")
    widget.focus()
    widget.scroll_visible()


def clear_field_errors(form: Widget) -> None:
    for label in form.query("Label.field-error"):
        label.display = False
    for widget in form.query(".-invalid"):
        widget.remove_class("-invalid")


def field(label: str, widget: Widget) -> Iterator[Widget]:
    """A form field: its label, the widget, and the (hidden) line its error is shown on."""
    yield Label(label)
    yield widget
    error = Label("", id=f"{widget.id}-error", classes="field-error")
    error.display = False
    yield error
