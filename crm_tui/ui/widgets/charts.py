"""The evidence analysis's charts, drawn with plotext (textual-plotext): contacts per week
with dated labels and whole-number counts, and a mix (channel, behaviour) as horizontal bars.
Each chart is worked out again for the size it is given, so that it is right in any
terminal; the bars and labels come from `services.evidence.charts`, as the PDF's do."""

from __future__ import annotations

from datetime import date

from textual import events, on
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from crm_tui.domain.counting import counted
from crm_tui.services.evidence import charts

FRAME_ROWS = 4  # the title, the frame above and below the bars, and the dated labels
FRAME_COLUMNS = 2  # the frame either side of the bars
BAR = 0.5  # of each bar's share of the columns: the rest is the gap to the next week
# A bar, its gap and its count at least; more weeks than that are grouped (found when tried:
# 14 bars in 34 columns, two each, ran together and their counts of 10 had no room).
COLUMNS_PER_BAR = 3


def busiest_words(weeks: list[tuple[date, int]]) -> str:
    """The busiest week with contact ("busiest: week of 28/09/2026 (3)"); when every week
    with contact had the same count, that count instead ("1 contact in each"): naming one
    week as busiest among equals misled (b15e F10)."""
    busy = [w for w in weeks if w[1]]
    if not busy:
        return ""
    top = max(busy, key=lambda w: w[1])
    if len({n for _, n in busy}) == 1 and len(busy) > 1:
        return f"{counted(top[1], 'contact')} in each"
    return f"busiest: week of {top[0]:%d/%m/%Y} ({top[1]})"


class Chart(PlotextPlot):
    """A plot that lets go of the app when it goes."""

    @on(events.Unmount)
    def _stop_following_the_theme(self) -> None:
        # textual-plotext subscribes each plot to the app's theme changes when mounted and
        # never unsubscribes; Textual drops a gone node only when the theme next changes
        # (never, in this app): each evidence screen closed left its three charts, with their
        # data, alive for the rest of the run.
        self.app.theme_changed_signal.unsubscribe(self)


class WeekChart(Chart):
    """Contacts per week as bars on a count axis whose marks fall on whole rows, each bar
    the same number of columns with a gap to the next, its count written above it where the
    count fits the bar's width."""

    DEFAULT_CSS = "WeekChart { height: 13; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.per_week: list[tuple[date, int]] = []
        self.bars: charts.WeeklyBars | None = None
        self.count_marks: list[int] = []

    def plot(self, per_week: list[tuple[date, int]]) -> None:
        self.per_week = per_week
        self.refresh()

    def render(self) -> RenderResult:
        width, height = self.size.width, self.size.height
        rows = max(2, height - FRAME_ROWS)
        # The count axis's labels take columns from the bars, and the bars' grouping decides
        # the highest count: worked out twice, the second time with the labels' real width.
        columns = width - FRAME_COLUMNS - 3
        for _ in range(2):
            bars = self._grouped(columns)
            marks = charts.row_ticks(bars.top, rows)
            columns = width - FRAME_COLUMNS - len(str(marks[-1]))
        self.bars, self.count_marks = bars, marks
        plt = self.plt
        plt.clear_data()
        plt.title(bars.title)  # per week, or per few weeks when the weeks outnumber columns
        if bars.counts:
            per_bar = max(1, columns // len(bars.counts))
            plt.bar(list(range(len(bars.counts))), bars.counts, width=BAR, marker="sd")
            # Each bar exactly `per_bar` columns apart: plotext spreads the x range over the
            # columns, and a range that did not divide them made neighbouring weeks touch.
            plt.xlim(-0.5, -0.5 + (columns - 1) / per_bar)
            plt.xticks([i for i, _ in bars.ticks], [label for _, label in bars.ticks])
            plt.ylim(0, marks[-1])
            plt.yticks([float(n) for n in marks])
            for i, n in enumerate(bars.counts):
                # Over its bar, on the row above the bar's top; a quiet week has no bar and
                # no figure (a row of 0s along the axis hid the dates' marks).
                if n and len(str(n)) < per_bar:
                    above = bar_row(n, marks[-1], rows) + 1
                    plt.text(str(n), i, above * marks[-1] / (rows - 1), alignment="center")
        return super().render()


    def _grouped(self, columns: int) -> charts.WeeklyBars:
        """The weeks grouped into as many bars as `columns` holds with each bar's count
        written over it and a gap to the next: the review session's narrow panel and the
        evidence analysis's wide one are drawn by the same rule."""
        # Room for each label and a gap: labels that overlapped were dropped by plotext
        # in an order that changed from run to run ("Dec 2025" or "Apr 2026" shown).
        label = "dd/mm" if len(self.per_week) <= charts.WEEK_LABELS_UP_TO else "Mar 2026"
        most = max(1, columns // COLUMNS_PER_BAR)
        while True:
            bars = charts.weekly(self.per_week, most,
                                 labels_at_most=max(1, columns // (len(label) + 6)))
            per_bar = columns // max(1, len(bars.counts))
            if len(bars.counts) <= 1 or all(len(str(n)) < per_bar for n in bars.counts):
                return bars
            most = len(bars.counts) - 1


def bar_row(count: int, end: int, rows: int) -> int:
    """The row (0 at the bottom) a bar of `count` ends on, on an axis from 0 to `end` over
    `rows` rows, rounded as plotext rounds it (a half up), in whole numbers so that a count
    on a mark lands on the mark's row exactly."""
    return (2 * count * (rows - 1) + end) // (2 * end)


class MixChart(Chart):
    """Horizontal bars, largest on top, one row each; as tall as it has bars."""

    DEFAULT_CSS = "MixChart { height: auto; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bars: list[tuple[str, int]] = []

    def plot(self, bars: list[tuple[str, int]]) -> None:
        self.bars = bars
        self.styles.height = len(bars) + 3  # frame above and below, and the count axis
        self.refresh()

    def render(self) -> RenderResult:
        width = self.size.width
        room = max(8, width // 2)  # a long label leaves the bars half the width at least
        labels = [_shortened(label, room) for label, _ in reversed(self.bars)]
        counts = [n for _, n in reversed(self.bars)]
        plt = self.plt
        plt.clear_data()
        if counts:
            plt.bar(labels, counts, orientation="horizontal", width=0.1, marker="sd")
            ticks = charts.count_ticks(max(counts),
                                       most=max(1, (width - max(map(len, labels))) // 6))
            plt.xlim(0, ticks[-1])
            plt.xticks([float(n) for n in ticks])
        return super().render()


def _shortened(label: str, room: int) -> str:
    """A label cut at a word to fit `room`, marked with an ellipsis when cut."""
    if len(label) <= room:
        return label
    cut = label[:room - 1].rsplit(" ", 1)[0] if " " in label[:room - 1] else label[:room - 1]
    return cut.rstrip(",:;") + "…"
