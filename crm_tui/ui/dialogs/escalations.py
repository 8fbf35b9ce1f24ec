"""The case's escalation records — police involvement, legal action, a risk to staff — with
their dates and references, and, where staff are at risk, the council's safe-working
procedure. `n` records another (the service area and the team)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from crm_tui.domain.errors import DomainError
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.restrictions.extreme_case import EscalationInfo, ScopeView
from crm_tui.ui.delivery import DeliveryMixin, deliver, deliver_latest
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import EXTREME, Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.fitted_table import Col, FittedTable


def safe_working_text(pointer: str) -> Text:
    text = Text()
    text.append("⚠ Risk to staff recorded: ", style="bold red")
    text.append("the council's separate procedure applies — ")
    text.append(pointer, style="bold")
    return text


class EscalationsDialog(DeliveryMixin, ModalScreen[bool]):
    DEFAULT_CSS = """
    EscalationsDialog { align: center middle; }
    EscalationsDialog > Vertical {
        width: 110; height: auto; max-height: 90%; border: thick $accent;
        background: $surface; padding: 1 2 0 2;
    }
    EscalationsDialog #esc-title { text-style: bold; }
    EscalationsDialog #esc-help { color: $text-muted; }
    EscalationsDialog DataTable { height: auto; max-height: 10; margin-top: 1; }
    EscalationsDialog #esc-detail { height: auto; margin-top: 1; }
    EscalationsDialog #esc-pointer { height: auto; margin-top: 1; }
    """
    GUIDE = Guide("Escalation records",
                  "Police involvement, legal action or a risk to staff on this case, with dates "
                  "and references.",
                  (EXTREME,))
    BINDINGS = [Binding("escape", "close", "Close", key_display="esc",
                        tooltip="Close the escalation records"),
                Binding("n", "record", "Record an escalation", id="esc-record",
                        tooltip="Record police involvement, legal action or a risk to staff, "
                                "with its date and reference"),
                # On an archived file the same key says why, opening no form (b16a F4: the
                # whole form was filled in, then refused at save).
                Binding("n", "why_read_only", show=False)]

    def __init__(self, reference: str, load: Callable[[], ScopeView],
                 record: Callable[[], None] | None, read_only: str = "") -> None:
        """`load` reads the case's scope (in a worker); `record` starts recording one, or
        None where the acting user may not; `read_only`: why the file takes no change ("" if
        it does)."""
        super().__init__()
        self.reference, self._load, self._record = reference, load, record
        self.read_only = read_only
        self.rows: list[EscalationInfo] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(f"Escalation records · {self.reference}"), id="esc-title")
            hint = "n records one; " if self._record and not self.read_only else ""
            yield Static(literal(
                "The policy's extreme cases: police involvement, legal action, a risk to "
                f"staff. {hint}Escape closes.", wrap=True), id="esc-help")
            yield FittedTable(Col("on", "Date", priority=0, min_width=11),
                              Col("kind", "Kind", priority=0, min_width=14),
                              Col("ref", "Reference", priority=1, min_width=12),
                              Col("by", "Recorded by", priority=2, min_width=12),
                              id="esc-table", cursor_type="row", enter=None)
            yield Static(id="esc-detail")
            yield Static(id="esc-pointer")
            yield DialogKeys()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("record", "why_read_only"):
            return self._record is not None and bool(self.read_only) == (
                action == "why_read_only")
        return True

    def action_why_read_only(self) -> None:
        self.notify(self.read_only, title="Not a step for this case now", severity="warning",
                    markup=False, timeout=10)

    @work(thread=True, exclusive=True, exit_on_error=False, group="escalations")
    def reload(self) -> None:
        try:
            with session():
                view = self._load()
        except DomainError as exc:
            deliver(self, partial(self.notify, str(exc), severity="error", markup=False))
            return
        deliver_latest(self, self.show, view)  # an earlier read, overtaken, is dropped

    def show(self, view: ScopeView) -> None:
        self.rows = view.escalations
        table = self.query_one(DataTable)
        table.clear()
        for e in view.escalations:
            table.add_row(literal(f"{e.occurred_on:%d %B %Y}"), literal(e.kind.label),
                          literal(e.reference or "—"), literal(e.recorded_by))
        if not view.escalations:
            table.add_row(literal("None recorded", "italic"), "", "", "")
        pointer = self.query_one("#esc-pointer", Static)
        pointer.update(safe_working_text(view.safe_working) if view.safe_working else "")
        self.highlighted()

    @on(DataTable.RowHighlighted)
    def highlighted(self) -> None:
        table = self.query_one(DataTable)
        detail = self.query_one("#esc-detail", Static)
        if not self.rows or table.cursor_row >= len(self.rows):
            detail.update("")
            return
        e = self.rows[table.cursor_row]
        text = Text()
        text.append(f"{e.label}\n", style="bold")
        text.append(e.note)
        text.append(f"\nRecorded by {e.recorded_by} on {in_prose(e.recorded_at, full_month=True)} "
                    f"{e.recorded_at:%H:%M}",
                    style="dim")
        detail.update(text)

    def action_record(self) -> None:
        if self._record is not None:
            self._record()

    def recorded(self, result: Any) -> None:
        if result is not None:
            self.changed = True
            self.notify("Escalation recorded", title=self.reference, markup=False)
            self.reload()

    def action_close(self) -> None:
        self.dismiss(self.changed)
