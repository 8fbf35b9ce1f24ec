"""The evidence analysis at 80x24 (issue 15): the charts under the figures, whole, scrolling
with them (side by side they ran off the terminal's edge, cut)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.widgets.analysis_panel import AnalysisPanel
from crm_tui.ui.widgets.charts import WeekChart, bar_row
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.ui.keys import settle


async def evidence_of(pilot: Pilot[Any], ref: str, *keys: str) -> None:
    """The evidence of case `ref` on top, then `keys` pressed there (3: the analysis)."""
    await settle(pilot)
    await pilot.app.push_screen(EvidenceScreen(ref))
    await settle(pilot)
    if keys:
        await pilot.press(*keys)
        await settle(pilot)


async def test_the_charts_go_under_the_figures_in_a_narrow_terminal(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await evidence_of(pilot, "UPV-2025-0003", "3")
        panel = app.screen.query_one(AnalysisPanel)
        assert panel.has_class("-stacked")
        charts = panel.query_one("#chart-column")
        figures = panel.query_one("#figures-column")
        assert charts.region.right <= 80 and figures.region.right <= 80
        assert charts.virtual_region.y >= figures.virtual_region.bottom  # under, not beside
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert not panel.has_class("-stacked")
        assert charts.region.x >= figures.region.right  # beside again


async def test_the_weekly_chart_marks_counts_on_their_rows_and_keeps_weeks_apart(
        db: Path) -> None:
    """b15b 2: at 100x30 the count marks 15, 10, 5, 0 fell two rows, one row and two rows
    apart (weeks of 8 reached "10"), and ten weekly bars ran together into blocks."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await evidence_of(pilot, "UPV-2026-0007", "3")
        chart = app.screen.query_one(WeekChart)
        assert chart.bars is not None
        counts = chart.bars.counts
        assert counts == [2, 2, 3, 8, 14, 8, 14, 6, 7, 1]  # the screen's own By week list
        lines = chart.render().plain.splitlines()  # type: ignore[union-attr]
        frame = lines[1].index("┌")
        plot = lines[2:lines.index(next(line for line in lines if "└" in line))]
        rows, end = len(plot), chart.count_marks[-1]
        marks = {len(plot) - 1 - i: int(line[:frame]) for i, line in enumerate(plot)
                 if line[frame] == "┤"}
        assert sorted(marks.values()) == chart.count_marks and len(marks) >= 3
        for row, value in marks.items():  # each mark on the row its value falls on
            assert value * (rows - 1) == row * end
        bottom = plot[-1][frame + 1:].rstrip("│")
        runs = [run for run in bottom.split(" ") if run]
        assert len(runs) == len(counts) and set("".join(runs)) == {"█"}  # apart
        starts = [i for i, c in enumerate(bottom) if c == "█" and (i == 0 or bottom[i - 1] == " ")]
        for start, count in zip(starts, counts, strict=True):
            column = [line[frame + 1 + start] for line in reversed(plot)]
            top = max(i for i, c in enumerate(column) if c == "█")
            assert top == bar_row(count, end, rows)
            above = plot[rows - 2 - top][frame + 1:]  # the count written over its bar
            assert str(count) in above[max(0, start - 1):start + 3]


async def test_behaviour_by_month_shows_whole_months_and_scrolls_to_the_rest(db: Path) -> None:
    """b15b 5: at 200x60, two years of UPV-2025-0006: March 2026 (no contacts) was missing
    and the last column was cut to "Dec" with no counts and nothing saying more lay beyond."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(200, 60)) as pilot:
        await evidence_of(pilot, "UPV-2025-0006", "3", "p")
        app.screen.query_one("#start", Input).value = "06/12/2024"
        app.screen.query_one("#end", Input).value = "05/12/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        panel = app.screen.query_one(AnalysisPanel)
        matrix = panel.query_one("#matrix", DataTable)
        headings = [str(c.label) for c in matrix.columns.values()][1:]
        assert len(headings) == 25 and headings[0] == "Dec 24" and headings[-1] == "Dec 26"
        assert "Feb 26" in headings and "Mar 26" in headings and "Apr 26" in headings
        title = str(panel.query_one("#matrix-title").render())
        assert "of 25 months in view" in title and "← →" in title

        def shown() -> list[str]:
            return re.findall(r"\S+ \d\d|\S+", matrix.render_line(0).text.strip())

        months = shown()[1:]
        assert months == headings[:len(months)]  # only whole months, from the first
        assert matrix.region.right <= panel.query_one("#chart-column").region.right
        matrix.focus()
        await pilot.press(*["right"] * 25)
        await settle(pilot)
        assert shown()[0] == "Behaviour" and shown()[-1] == "Dec 26"
        march = headings.index("Mar 26") + 1
        assert [str(matrix.get_cell_at(Coordinate(row, march))).strip()
                for row in range(matrix.row_count)] == ["·"] * matrix.row_count


async def test_documents_leave_out_columns_empty_on_every_row(db: Path) -> None:
    """b15b 9: at 100x30 Behaviour (no document tagged) and Found (no search made) stood
    empty while the type ("application/p…") and the links ("referral, rest…") were cut."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await evidence_of(pilot, "UPV-2025-0006")
        table = app.screen.query_one("#documents", FittedTable)
        assert table.row_count == 3
        assert "behaviour" not in table.shown_columns and "found" not in table.shown_columns
        assert {"name", "type", "added", "links"} <= set(table.shown_columns)
        assert not table.cuts("name", "type", "links")
        app.screen.query_one("#find", Input).value = "gutter"  # in the file note
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert "found" in table.shown_columns  # a search fills it: then it is shown
