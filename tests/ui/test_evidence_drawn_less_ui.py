"""Issue 17: the evidence screen and its log sheet draw and measure less for the same screen.

- The analysis's figures and its behaviour grid gave every row an automatic height, and
  DataTable draws every cell of such a row to measure it: 75 figures drawn whole for a
  customer with 15,000 contacts, on a tab not yet seen. A row whose cells fit their columns
  on one line is now given height 1 (a long label still wraps).
- DataTable measured every cell of every new row for its column's content width, used only
  by a column without a width of its own: a fitted table (a log-sheet page of 100 rows, the
  case file's timeline) has a width for each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from crm_tui.ui.app import create_app
from crm_tui.ui.widgets.analysis_panel import AnalysisPanel
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from tests.ui.keys import settle
from tests.ui.test_evidence import opened

SIZE = (160, 50)


async def test_the_figures_and_the_grid_measure_only_the_rows_that_wrap(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("3")
        await settle(pilot)
        panel = screen.query_one(AnalysisPanel)
        figures = panel.query_one("#figures", DataTable)
        matrix = panel.query_one("#matrix", DataTable)
        assert figures.row_count == len(panel.figures) > 10
        assert matrix.row_count > 0
        # At 160 columns every figure and behaviour fits on its line: none measured by drawing.
        for table in (figures, matrix):
            assert not [r.key.value for r in table.rows.values() if r.auto_height], table.id
            assert all(r.height == 1 for r in table.rows.values())


class _Fitted(App[None]):
    def compose(self) -> ComposeResult:
        yield FittedTable(Col("when", "When", priority=0), Col("what", "What", priority=1),
                          id="t")


async def test_a_fitted_table_does_not_measure_the_cells_of_rows_it_adds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    measured: list[int] = []
    original = DataTable._update_dimensions

    def counted(self: DataTable[Any], new_rows: Any) -> None:
        rows = list(new_rows)
        measured.append(len(rows))
        original(self, rows)

    monkeypatch.setattr(DataTable, "_update_dimensions", counted)
    app = _Fitted()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(FittedTable)
        for n in range(5):
            table.add_row(Text(f"0{n}/12/26"), Text(f"contact {n}"), key=str(n))
        await pilot.pause()
        await pilot.pause()
        assert table.shown_columns == ["when", "what"]  # fitted: each column has its width
        measured.clear()
        for n in range(5, 105):  # the next page
            table.add_row(Text(f"0{n % 9}/12/26"), Text(f"contact {n}"), key=str(n))
        await pilot.pause()
        await pilot.pause()
        assert table.row_count == 105
        assert sum(measured) == 0, measured
        # What is shown is as before: every column as wide as fitted, the rows whole.
        assert [str(c) for c in table.get_row_at(104)] == ["05/12/26", "contact 104"]
        assert table.virtual_size.height == 105 + table.header_height
