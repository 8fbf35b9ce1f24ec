"""Issue 17: the evidence screen and its log sheet draw and measure less for the same screen.

- The analysis's figures and its behaviour grid gave every row an automatic height, and
  DataTable draws every cell of such a row to measure it: 75 figures drawn whole for a
  customer with 15,000 contacts, on a tab not yet seen. A row whose cells fit their columns
  on one line is now given height 1 (a long label still wraps).
- DataTable measured every cell of every new row for its column's content width, used only
  by a column without a width of its own: a fitted table (a log-sheet page of 100 rows, the
  case file's timeline) has a width for each.
- The figures were filled at the open, on a tab not shown (to a width of 12), and again when
  the tab was first shown: now only then.
- The next log-sheet page is read ahead, and shown at once when the cursor reaches the end.
- The four tabs were all composed and filled at the open (63 compose calls, 359 style
  applications for 15,000 contacts): a tab is built now when first shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import DataTable, TabbedContent

from crm_tui.services.core.database import session
from crm_tui.services.evidence import analysis, log_sheet
from crm_tui.ui.app import create_app
from crm_tui.ui.widgets.analysis_panel import AnalysisPanel
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.log_sheet_table import LogSheetTable
from tests.ui.keys import settle
from tests.ui.test_evidence import REF, opened, said

SIZE = (160, 50)


async def test_the_figures_and_the_grid_measure_only_the_rows_that_wrap(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    added: list[str] = []
    add_row = DataTable.add_row

    def counted(self: DataTable[Any], *args: Any, **kwargs: Any) -> Any:
        if self.id == "figures":
            added.append(str(kwargs.get("key")))
        return add_row(self, *args, **kwargs)

    monkeypatch.setattr(DataTable, "add_row", counted)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app)
        # Opened on its documents: the figures, on a tab not shown, are not filled yet (they
        # were, to a width of 12, then again when the tab was first shown).
        assert added == []
        await pilot.press("3")
        await settle(pilot)
        panel = screen.query_one(AnalysisPanel)
        figures = panel.query_one("#figures", DataTable)
        matrix = panel.query_one("#matrix", DataTable)
        assert figures.row_count == len(panel.figures) > 10
        assert len(added) == len(panel.figures)  # filled once, to the width it has
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


async def test_the_next_log_sheet_page_is_read_ahead_and_shown_at_once(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next page was read only when the cursor reached the end of the list, in a worker
    the user waited for. It is read ahead now, while the user reads, and shown at once; the
    list is as it was, page after page."""
    reads: list[object] = []
    page = log_sheet.page

    def small_page(actor: Any, reference: str, f: Any, after: Any = None) -> Any:
        reads.append(after)
        return page(actor, reference, f, after, size=15)

    monkeypatch.setattr(log_sheet, "page", small_page)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("2")
        await settle(pilot)
        log = screen.query_one(LogSheetTable)
        assert log.row_count == 15 and log.total > 45
        assert len(reads) == 2 and reads[1] is not None  # the first page, and the next ahead
        for shown in (30, 45):
            before = len(reads)
            log.move_cursor(row=log.row_count - 1)
            await pilot.pause()
            # Shown at once, from the page read ahead (no read waited for)...
            assert log.row_count == shown
            await settle(pilot)
            # ...and the page after it read ahead in turn.
            assert len(reads) == before + 1
        # The same contacts, in the same order, as the list read page by page.
        with session():
            whole = page(app.actor, REF, log.filter, None, size=45)
        assert [str(log.coordinate_to_cell_key((i, 0)).row_key.value)
                for i in range(45)] == [str(r.id) for r in whole.rows]
        assert len(log.rows_by_id) == 45


async def test_the_evidence_opens_building_only_the_tab_shown(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened on its documents, the log sheet, the analysis and the matters are not composed
    (nor filled) until first shown, by its key or a click, and the analysis's figures not read
    until then; each then shows what it did."""
    analysed: list[str] = []
    analyse = analysis.analyse

    def counted_analyse(actor: Any, reference: str, period: Any = None) -> Any:
        analysed.append(reference)
        return analyse(actor, reference, period)

    monkeypatch.setattr(analysis, "analyse", counted_analyse)
    composed: list[str] = []
    compose = Widget._compose

    async def counted(self: Widget) -> None:
        composed.append(f"{type(self).__name__}#{self.id}")
        await compose(self)

    monkeypatch.setattr(Widget, "_compose", counted)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        composed.clear()
        screen = await opened(pilot, app)
        at_open = list(composed)
        assert "FittedTable#documents" in at_open
        hidden = ("LogSheetTable#contacts", "AnalysisPanel#analysis", "FittedTable#matters",
                  "MeasuredOnce#figures", "MeasuredOnce#matrix")
        assert not [w for w in at_open if w in hidden], at_open
        assert len(at_open) < 45, len(at_open)  # 63-odd when the four tabs were built
        assert not screen.query(LogSheetTable) and not screen.query(AnalysisPanel)
        assert analysed == [] and screen.figures is None
        assert screen.query_one("#documents", DataTable).row_count > 0
        # Each tab, first shown by its key, is built and filled as before.
        await pilot.press("2")
        await settle(pilot)
        log = screen.query_one(LogSheetTable)
        assert log.row_count > 0 and screen.focused is log
        assert "every contact in the period" in str(screen.query_one("#log-heading").render())
        await pilot.press("4")
        await settle(pilot)
        matters = screen.query_one("#matters", DataTable)
        assert matters.row_count == len(screen.matters) > 0 and screen.focused is matters
        assert not screen.query(AnalysisPanel)
        # Shown by a click on its tab, the analysis too.
        await pilot.click("#--content-tab-analysis-tab")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "analysis-tab"
        panel = screen.query_one(AnalysisPanel)
        assert panel.query_one("#figures", DataTable).row_count == len(panel.figures) > 10
        assert analysed == [REF] and screen.figures is not None
        # Built once: shown again, nothing is composed again.
        composed.clear()
        await pilot.press("2", "3", "4", "1")
        await settle(pilot)
        assert not [w for w in composed if w in hidden], composed
        assert app.is_running and not [m for m in said(app) if "rror" in m]
