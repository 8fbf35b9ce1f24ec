"""What the evidence shows over the period: contacts per week as a chart, every figure in a
list, and behaviour by month as a grid. Enter on any figure or cell opens the contacts behind
it (the panel posts `Opened` with their filter)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Sparkline, Static

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.services.evidence.analysis import Analysis, Figure
from crm_tui.services.evidence.log_sheet import ContactFilter
from crm_tui.ui.text import literal


class AnalysisPanel(Vertical):
    class Opened(Message):
        def __init__(self, contact_filter: ContactFilter) -> None:
            super().__init__()
            self.filter = contact_filter

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.analysis: Analysis | None = None
        self.figures: list[Figure] = []
        self.categories: list[BehaviourCategory] = []

    def compose(self) -> ComposeResult:
        yield Static(id="period-line")
        with Horizontal():
            with Vertical(id="figures-column"):
                yield Static("Figures (Enter opens the contacts behind one)",
                             classes="panel-title")
                yield DataTable(id="figures", cursor_type="row", zebra_stripes=True)
            with Vertical(id="chart-column"):
                yield Static("Contacts per week", classes="panel-title")
                yield Sparkline([], id="per-week")
                yield Static(id="weeks-line")
                yield Static("Behaviour by month (Enter on a cell opens its contacts; tab "
                             "moves here)", classes="panel-title")
                yield DataTable(id="matrix", cursor_type="cell")

    def on_mount(self) -> None:
        table = self.query_one("#figures", DataTable)
        for label, key, width in (("", "section", 18), ("Figure", "label", 34),
                                  ("Contacts", "count", 8)):
            table.add_column(label, key=key, width=width)

    def show(self, result: Analysis) -> None:
        self.analysis = result
        p = result.period
        self.query_one("#period-line", Static).update(literal(
            f"{p.label.capitalize()}: {p.start:%d %b %Y} to {p.end:%d %b %Y} · "
            f"{result.total} contacts, {result.inbound} from the customer", "bold"))
        self.query_one("#per-week", Sparkline).data = [n for _, n in result.per_week] or [0]
        busy = [w for w in result.per_week if w[1]]
        line = "No contact in the period"
        if busy:
            top = max(busy, key=lambda w: w[1])
            line = (f"{len(busy)} of {len(result.per_week)} weeks with contact; busiest: week "
                    f"of {top[0]:%d %b %Y} ({top[1]})")
        self.query_one("#weeks-line", Static).update(literal(line))
        self.figures = result.figures()
        table = self.query_one("#figures", DataTable)
        table.clear()
        shown = ""
        for i, figure in enumerate(self.figures):
            section = figure.section if figure.section != shown else ""
            shown = figure.section
            style = "bold red" if figure.section == "Totals" and figure.count and (
                "Repeats" in figure.label) else ""
            table.add_row(literal(section, "bold"), literal(figure.label),
                          Text(f"{figure.count:>8}", style=style), key=str(i))
        self._show_matrix(result)

    def _show_matrix(self, result: Analysis) -> None:
        matrix = self.query_one("#matrix", DataTable)
        matrix.clear(columns=True)
        matrix.add_column("Behaviour", key="behaviour", width=26)
        for month in result.matrix_months:
            matrix.add_column(month[2:], key=month, width=6)
        self.categories = [c for c in BehaviourCategory if any(result.matrix[c])]
        for category in self.categories:
            matrix.add_row(literal(category.label[:26]),
                           *[Text(f"{n:>5}" if n else "    ·", style="bold" if n else "dim")
                             for n in result.matrix[category]], key=category.name)
        if not self.categories:
            matrix.add_row(literal("No contact in the period is tagged", "italic"),
                           *["" for _ in result.matrix_months])

    @on(DataTable.RowSelected, "#figures")
    def figure_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(self.figures[int(event.row_key.value)].filter))

    @on(DataTable.CellSelected, "#matrix")
    def cell_chosen(self, event: DataTable.CellSelected) -> None:
        event.stop()
        row, column = event.coordinate.row, event.coordinate.column
        if self.analysis is None or column == 0 or row >= len(self.categories):
            return
        month = self.analysis.matrix_months[column - 1]
        self.post_message(self.Opened(self.analysis.cell(self.categories[row], month)))
