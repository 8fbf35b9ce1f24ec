"""The staff register: every customer under restriction, how staff must handle their contact
and until when; `p` prints it to a PDF for reception desks and contact centres."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from crm_tui.domain.errors import DomainError
from crm_tui.services.core.database import session
from crm_tui.services.restrictions import register
from crm_tui.services.restrictions.register import RegisterEntry
from crm_tui.ui.delivery import deliver, deliver_latest
from crm_tui.ui.guide import RESTRICTIONS, Guide
from crm_tui.ui.keys_wait import IN_BACKGROUND
from crm_tui.ui.screens.base import AreaScreen
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.fitted_table import Col, FittedTable


class RegisterScreen(AreaScreen):
    MODE = "register"
    AUTO_FOCUS = "#register"
    CSS_PATH = "register.tcss"
    GUIDE = Guide("Staff register",
                  "Every customer under restriction and how staff must handle their contact, "
                  "without personal detail staff do not need.",
                  (RESTRICTIONS,))
    BINDINGS = [Binding("p", "print", "Print to PDF", id="register-print",
                        tooltip="Print the staff register to a PDF (landscape A4) in the exports "
                                "folder"),
                Binding("enter", "open_case", "Open case", show=False,
                        tooltip="Open the highlighted customer's case file")]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[RegisterEntry] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="register-title")
        # How staff must handle the contact is what the register is for: room after the name;
        # the case (Enter opens it) and the end date go first in a narrow terminal.
        yield FittedTable(Col("customer", "Customer", priority=0, min_width=20, max_width=26),
                          Col("case", "Case", priority=4, min_width=13),
                          Col("handling", "How staff must handle contact", priority=1,
                              min_width=30, max_width=70),
                          Col("until", "Until", priority=3, min_width=11),
                          Col("review", "Review", priority=2, min_width=11),
                          id="register", cursor_type="row", zebra_stripes=True)
        yield Static(id="register-detail")

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="register")
    def load(self) -> None:
        with session():
            entries = register.staff_register(self.crm_app.actor)
        deliver_latest(self, self.show, entries)

    def show(self, entries: list[RegisterEntry]) -> None:
        self.entries = entries
        self.query_one("#register-title", Static).update(literal(
            f"{register.headline(entries)} Follow the handling exactly and log "
            "every contact. p prints the register; Enter opens the case."))
        table = self.query_one(DataTable)
        table.clear()
        for e in entries:
            table.add_row(literal(f"{e.customer_name} ({e.customer_reference})"),
                          literal(e.case_reference), literal("; ".join(e.handling)),
                          literal(f"{e.until:%d %b %Y}" if e.until else ""),
                          literal(f"{e.review_due:%d %b %Y}" if e.review_due else ""),
                          key=e.case_reference)
        self.detail()

    @on(DataTable.RowHighlighted)
    def detail(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            self.query_one("#register-detail", Static).update("")
            return
        e = self.entries[table.cursor_row]
        # Until when and the review date, always: in a narrow terminal their columns are the
        # ones left out, and they are what the register is read for.
        until = f"In force until {e.until:%d %b %Y}" if e.until else "No end date set"
        review = f"review due {e.review_due:%d %b %Y}" if e.review_due else "no review date"
        lines = [f"{e.customer_name} ({e.customer_reference}) · {e.case_reference}",
                 f"{until} · {review}"]
        lines += [f"• {line}" for line in e.handling]
        if e.still_reachable:
            lines.append(f"Still reachable: {e.still_reachable}")
        self.query_one("#register-detail", Static).update(literal("\n".join(lines), wrap=True))

    @on(DataTable.RowSelected)
    def action_open_case(self) -> None:
        from crm_tui.ui.screens.case_file import CaseFileScreen

        table = self.query_one(DataTable)
        if table.row_count:
            self.app.push_screen(CaseFileScreen(self.entries[table.cursor_row].case_reference))

    def action_print(self) -> None:
        self.run_print()

    @work(thread=True, exclusive=True, exit_on_error=False, group="register-print",
          name=IN_BACKGROUND)
    def run_print(self) -> None:
        config = self.crm_app.config
        try:
            with session():
                path = register.export_register(self.crm_app.actor, config.exports_path(),
                                                config.council.name)
        except (DomainError, OSError) as exc:
            deliver(self, self.tell, f"The register was not printed: {exc}", "error")
            return
        deliver(self, self.tell, f"Staff register written to {path}", "information")

    def tell(self, message: str, severity: str) -> None:
        self.notify(message, severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]
