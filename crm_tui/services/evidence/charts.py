"""The evidence analysis as charts: the bars, their dated labels and the counts on the axis,
worked out once here so that the screen and the evidence bundle's PDF draw the same chart.
Plain data only: the screen draws it with plotext, the PDF with ReportLab's graphics."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from crm_tui.services.evidence.analysis import Analysis, Period

# Periods up to about six months are labelled by the week (dd/mm); longer ones by the month.
WEEK_LABELS_UP_TO = 26


@dataclass(frozen=True)
class WeeklyBars:
    """Contacts per week over the period, one bar per week, or per few weeks when the chart
    has fewer columns than the period has weeks (bars drawn over each other would mislead)."""

    starts: list[date]  # the Monday each bar starts on
    counts: list[int]
    weeks_per_bar: int
    ticks: list[tuple[int, str]]  # (bar index, label) for the labelled bars only

    @property
    def title(self) -> str:
        if self.weeks_per_bar == 1:
            return "Contacts per week"
        return f"Contacts per {self.weeks_per_bar} weeks"

    @property
    def top(self) -> int:
        return max(self.counts, default=0)

    @property
    def count_ticks(self) -> list[int]:
        return count_ticks(self.top)


@dataclass(frozen=True)
class Mix:
    """How the contacts divide: a label and a count per bar, largest first, none empty."""

    title: str
    bars: list[tuple[str, int]]

    @property
    def count_ticks(self) -> list[int]:
        return count_ticks(max((n for _, n in self.bars), default=0))


def empty_sentence(period: Period) -> str:
    """What an empty period shows instead of a chart: an empty chart can read as a full one."""
    return (f"No contacts were logged in this period ({period.start:%d/%m/%Y} to "
            f"{period.end:%d/%m/%Y}), so there is nothing to chart.")


def weekly(per_week: list[tuple[date, int]], columns: int,
           labels_at_most: int | None = None) -> WeeklyBars:
    """Contacts per week as bars that fit `columns`, labelled dd/mm for a period of up to six
    months and "Mar 2026" beyond, with as many labels as fit (or `labels_at_most`)."""
    size = max(1, math.ceil(len(per_week) / max(1, columns)))
    starts = [week for week, _ in per_week[::size]]
    counts = [sum(n for _, n in per_week[i:i + size]) for i in range(0, len(per_week), size)]
    by_week = len(per_week) <= WEEK_LABELS_UP_TO
    most = labels_at_most or max(1, columns // (len("dd/mm") + 3 if by_week
                                                else len("Mar 2026") + 3))
    if by_week:
        step = max(1, math.ceil(len(starts) / most))
        ticks = [(i, f"{starts[i]:%d/%m}") for i in range(0, len(starts), step)]
    else:
        ticks = _month_ticks(starts, size, most)
    return WeeklyBars(starts, counts, size, ticks)


def _month_ticks(starts: list[date], size: int, most: int) -> list[tuple[int, str]]:
    """A label on each bar that holds the 1st of a month, naming that month; thinned to
    `most`."""
    firsts = []
    for i, start in enumerate(starts):
        last = start + timedelta(days=7 * size - 1)
        if start.day == 1 or (last.year, last.month) != (start.year, start.month):
            firsts.append((i, f"{last:%b %Y}"))
    step = max(1, math.ceil(len(firsts) / max(1, most)))
    return firsts[::step]


def count_ticks(top: int, most: int = 5) -> list[int]:
    """Whole-number marks for the count axis, from 0 to at least `top`, on a round step
    (1, 2, 5, 10, 20, 50…) with at most `most` steps: contacts are counted, never 4.6."""
    step = 1
    while math.ceil(top / step) > most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return list(range(0, max(1, math.ceil(top / step)) * step + 1, step))


# Steps a count axis may take (times 10, 100… for larger counts): whole numbers a reader
# adds up at a glance.
_STEPS = (1, 2, 3, 4, 5, 6, 8)
_LARGE_STEPS = (10, 15, 20, 25, 30, 40, 50, 60, 80)


def _step_at_least(least: float) -> int:
    for step in _STEPS:
        if step >= least:
            return step
    scale = 1
    while True:
        for step in _LARGE_STEPS:
            if step * scale >= least:
                return step * scale
        scale *= 10


def row_ticks(top: int, rows: int) -> list[int]:
    """Marks for a count axis drawn on `rows` text rows, 0 on the bottom row and the last
    mark on the top one, each mark on a row of its own: the number of steps divides the
    rows between bottom and top, so every step is the same number of rows (marks between
    rows were drawn on the nearer one, and 15-10 took two rows where 10-5 took one). The
    highest count stays below the top row, leaving the row above each bar for its count.
    Of the axes that fit, the one that runs least above `top` (the tallest bars), then one
    with marks between 0 and the end, then one with a free row between marks, then the one
    with more marks."""
    gaps = rows - 1
    if gaps < 2 or top <= 0:
        return [0, max(1, top)]
    least = top * gaps / (gaps - 1)  # the top count's bar ends a row below the axis's end
    best: tuple[int, bool, bool, int] | None = None
    for n in (n for n in range(1, gaps + 1) if gaps % n == 0):
        step = _step_at_least(least / n)
        key = (n * step, n == 1 and gaps > 2, gaps // n == 1, -n)
        if best is None or key < best:
            best = key
    assert best is not None
    end, steps = best[0], -best[3]
    return list(range(0, end + 1, end // steps))


def channel_mix(result: Analysis) -> Mix:
    return Mix("Contacts by channel", [(c.label, n) for c, n in result.by_channel if n])


def behaviour_mix(result: Analysis) -> Mix:
    return Mix("Contacts by behaviour", [(c.label, n) for c, n in result.by_category])
