"""The evidence analysis's charts, drawn with plotext (textual-plotext): contacts per week
with dated labels and whole-number counts, and a mix (channel, behaviour) as horizontal bars.
Each chart is worked out again for the size it is given, so that it is right in any
terminal; the bars and labels come from `services.evidence.charts`, as the PDF's do."""

from __future__ import annotations

from datetime import date

from textual.app import RenderResult
from textual_plotext import PlotextPlot

from crm_tui.services.evidence import charts

Y_AXIS = 6  # columns the count axis and the frame take beside the bars


class WeekChart(PlotextPlot):
    DEFAULT_CSS = "WeekChart { height: 12; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.per_week: list[tuple[date, int]] = []
        self.bars: charts.WeeklyBars | None = None

    def plot(self, per_week: list[tuple[date, int]]) -> None:
        self.per_week = per_week
        self.refresh()

    def render(self) -> RenderResult:
        width, height = self.size.width, self.size.height
        self.bars = bars = charts.weekly(self.per_week, max(1, width - Y_AXIS))
        plt = self.plt
        plt.clear_data()
        plt.title(bars.title)  # per week, or per few weeks when the weeks outnumber columns
        if bars.counts:
            plt.bar(list(range(len(bars.counts))), bars.counts, width=0.7, marker="sd")
            plt.xticks([i for i, _ in bars.ticks], [label for _, label in bars.ticks])
            ticks = charts.count_ticks(bars.top, most=max(1, (height - 4) // 2))
            plt.ylim(0, ticks[-1])  # the axis runs to its last mark, which is then drawn
            plt.yticks([float(n) for n in ticks])
        return super().render()


class MixChart(PlotextPlot):
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
