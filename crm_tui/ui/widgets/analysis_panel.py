"""What the evidence shows over the period: every figure in a list beside the charts (contacts
per week with dated labels and counts, the channel and the behaviour mix) and behaviour by
month as a grid. Enter on any figure or cell opens the contacts behind it (the panel posts
`Opened` with their filter). An empty period says so in words instead of drawing."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable, Static

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.counting import counted
from crm_tui.domain.dates import month_named
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.evidence import charts
from crm_tui.services.evidence.analysis import Analysis, Figure
from crm_tui.services.evidence.log_sheet import ContactFilter
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.charts import MixChart, WeekChart, busiest_words
from crm_tui.ui.widgets.fitted_table import MeasuredOnce

NARROW = 150  # below this many columns the two mixes stand one above the other
# Below this many columns the figures and the charts cannot stand side by side at their
# minimum widths (52 and 44): the charts go under the figures, and the two scroll together.
STACKED = 97
COUNT = 8  # the figures' last column; the section takes 17 (11 when narrow), the label the rest
LABEL = 26  # the grid's behaviour column, and each month's, each with a column either side
MONTH = 6
MATRIX_TITLE = "Behaviour by month (Enter on a cell opens its contacts; tab moves here)"


def _height(cells: tuple[Text, ...], widths: tuple[int, ...]) -> int | None:
    """1 for a row whose every cell fits its column on one line, None (worked out by the
    table, which draws every cell of the row to measure it: most of the cost of opening the
    evidence with 75 figures, issue 17) for one that wraps."""
    fits = all(cell.cell_len <= width and "\n" not in cell.plain
               for cell, width in zip(cells, widths, strict=True))
    return 1 if fits else None


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
        with Horizontal(id="analysis-columns"):
            with Vertical(id="figures-column"):
                yield Static("Figures (Enter opens the contacts behind one)",
                             classes="panel-title")
                yield MeasuredOnce(id="figures", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="chart-column"):
                yield WeekChart(id="per-week")
                yield Static(id="weeks-line")
                with Horizontal(id="mix-row"):
                    for key, title in (("channel", "Contacts by channel"),
                                       ("behaviour", "Contacts by behaviour")):
                        with Vertical(classes="mix"):
                            yield Static(title, classes="panel-title")
                            yield MixChart(id=f"{key}-mix")
                            yield Static(id=f"{key}-none", classes="chart-none")
                yield Static(MATRIX_TITLE, id="matrix-title", classes="panel-title")
                # The behaviour stays in view while the months scroll under ← →.
                yield MeasuredOnce(id="matrix", cursor_type="cell", fixed_columns=1)
                yield Static(id="matrix-none", classes="chart-none")

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.set_class(event.size.width < STACKED, "-stacked")
        if self.analysis is not None:
            self.call_after_refresh(self._fill_figures)  # once the columns have their widths
            self.call_after_refresh(self._fit_matrix)

    def show(self, result: Analysis) -> None:
        self.analysis = result
        p = result.period
        self.query_one("#period-line", Static).update(literal(
            f"{p.label.capitalize()}: {in_prose(p.start)} to {in_prose(p.end)} · "
            f"{counted(result.total, 'contact')}, {result.inbound} from the customer", "bold"))
        self._show_charts(result)
        self.figures = result.figures()
        # On a tab not shown (the evidence opens on its documents) the panel has no width:
        # the figures are filled when it is first shown (on_resize), to the width they have
        # then. They were filled at once to a width of 12 as well, 75 rows measured and drawn
        # for nothing at every open (issue 17).
        if self.size.width:
            self._fill_figures()
        self._show_matrix(result)

    def _show_charts(self, result: Analysis) -> None:
        empty = result.total == 0
        self.set_class(empty, "-empty")  # hides the charts: an empty chart reads as data
        self.query_one(WeekChart).plot(result.per_week)
        busy = [w for w in result.per_week if w[1]]
        line = charts.empty_sentence(result.period)
        if busy:
            line = (f"{len(busy)} of {counted(len(result.per_week), 'week')} with contact; "
                    f"{busiest_words(result.per_week)}")
        self.query_one("#weeks-line", Static).update(literal(line, wrap=True))
        for key, mix, none in (
                ("channel", charts.channel_mix(result), "No contact in the period."),
                ("behaviour", charts.behaviour_mix(result),
                 "No contact in the period is tagged with a behaviour.")):
            self.query_one(f"#{key}-mix", MixChart).plot(mix.bars)
            self.query_one(f"#{key}-mix", MixChart).display = bool(mix.bars)
            self.query_one(f"#{key}-none", Static).update(
                "" if mix.bars else literal(none, "italic", wrap=True))

    def _fill_figures(self) -> None:
        """The figures, their label column as wide as the column allows: a count cut off at
        the edge would hide the very number the row is for."""
        table = self.query_one("#figures", DataTable)
        room = self.query_one("#figures-column").size.width
        section_width = 11 if self.has_class("-narrow") else 17
        label_width = max(12, room - section_width - COUNT - 8)  # cell padding, scroll bar
        row = table.cursor_row
        table.clear(columns=True)
        for label, key, width in (("", "section", section_width),
                                  ("Figure", "label", label_width),
                                  ("Contacts", "count", COUNT)):
            table.add_column(label, key=key, width=width)
        shown = ""
        for i, figure in enumerate(self.figures):
            section = figure.section if figure.section != shown else ""
            shown = figure.section
            style = "bold red" if figure.section == "Totals" and figure.count and (
                "Repeats" in figure.label) else ""
            # height=None: a long label wraps at words within its row instead of being cut.
            cells = (literal(section, "bold", wrap=True), literal(figure.label, wrap=True),
                     Text(f"{figure.count:>{COUNT}}", style=style))
            table.add_row(*cells, key=str(i),
                          height=_height(cells, (section_width, label_width, COUNT)))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _show_matrix(self, result: Analysis) -> None:
        matrix = self.query_one("#matrix", DataTable)
        matrix.clear(columns=True)
        matrix.add_column("Behaviour", key="behaviour", width=LABEL)
        for month in result.matrix_months:
            matrix.add_column(month_named(month, short=True), key=month, width=MONTH)
        self.categories = [c for c in BehaviourCategory if any(result.matrix[c])]
        for category in self.categories:
            # height=None: a long behaviour wraps at words within its row (it was cut at 26
            # letters, with no "…").
            cells = (literal(category.label, wrap=True),
                     *[Text(f"{n:>5}" if n else "    ·", style="bold" if n else "dim")
                       for n in result.matrix[category]])
            matrix.add_row(*cells, key=category.name,
                           height=_height(cells, (LABEL, *[MONTH] * (len(cells) - 1))))
        # Nothing tagged: a sentence, whole, instead of a grid of nothing (it was put in the
        # grid's first column and cut: "No contact in the period i").
        matrix.display = bool(self.categories)
        self.query_one("#matrix-none", Static).update(
            "" if self.categories else
            literal("No contact in the period is tagged with a behaviour.", "italic",
                    wrap=True))
        self._fit_matrix()

    def _fit_matrix(self) -> None:
        """The grid as wide as the whole months that fit, the rest reached by scrolling, and
        the title saying so: a month cut at the edge read as a month without contacts (the
        last column showed "Dec" and no counts, with nothing to say more lay beyond)."""
        if self.analysis is None:
            return
        months = len(self.analysis.matrix_months)
        room = self.query_one("#chart-column").scrollable_content_region.width
        if not room:
            return
        fits = max(1, (room - (LABEL + 2)) // (MONTH + 2))
        matrix = self.query_one("#matrix", DataTable)
        matrix.styles.width = None if fits >= months else (LABEL + 2) + fits * (MONTH + 2)
        self.query_one("#matrix-title", Static).update(literal(
            MATRIX_TITLE if fits >= months else
            f"Behaviour by month: {fits} of {months} months in view, ← → on the grid scroll "
            f"them (Enter on a cell opens its contacts; tab moves here)", "bold", wrap=True))

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
