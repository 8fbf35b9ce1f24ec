"""Issue 15: at 200x50 the calendar's month stayed 46 columns by 11 lines and its agenda one
line, some 35 lines blank below. The month now grows with the terminal, its days wider and
taller, saying what is due on them; beside it, under a day's own items, the agenda lists what
is overdue and due in the next 30 days. At 100x30 it is as it was: the month 42 columns by a
line a week, the legend beside it, the agenda under both."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.calendar import CalendarScreen
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import press_settled, settle


def _lines(widget: DataTable[object]) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_the_month_and_agenda_grow_at_200x50_and_fit_at_100x30(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d")
        screen = app.screen
        assert isinstance(screen, CalendarScreen) and screen.view is not None
        grid = screen.query_one("#month", DataTable)
        width, lines = screen.cell_size
        assert width >= 12 and lines >= 5, screen.cell_size
        assert grid.size.width >= 84 and grid.size.height >= 6 * lines, grid.size
        assert all(grid.rows[key].height == lines for key in grid.rows)
        # A day's cell says what is due on it: Wednesday 18 November, a review.
        shown = "\n".join(_lines(grid))
        assert "Review due" in shown, shown
        # Saturday 28 November (today): its own item, and under it what else is overdue or
        # due soon (the rest of the column stood blank).
        agenda = screen.query_one("#agenda", DataTable)
        ahead = screen.query_one("#ahead", DataTable)
        assert agenda.row_count == 1
        assert ahead.display and ahead.row_count > 3, ahead.row_count
        assert ahead.region.bottom > agenda.region.bottom
        first = screen.ahead_items[0]
        assert first not in screen.agenda_items
        # Enter takes the day's item (the agenda); Tab the list under it; Enter opens its case.
        await press_settled(pilot, "enter")
        assert agenda.has_focus
        await press_settled(pilot, "tab")
        assert ahead.has_focus
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, CaseFileScreen)
        assert app.screen.reference == first.reference
        await press_settled(pilot, "escape")
        assert app.screen is screen

        # At 100x30 as it was: seven days of six columns, a line a week, the legend beside.
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert screen.cell_size == (6, 1)
        assert grid.size.width <= 42 and grid.size.height == 7, grid.size
        legend = screen.query_one("#legend")
        assert legend.region.x >= grid.region.right and legend.region.width >= 30
        assert not ahead.display
        assert agenda.region.y > grid.region.bottom - 1  # under the month
        assert agenda.region.bottom <= screen.region.bottom

        # And larger again.
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert screen.cell_size[1] >= 5 and ahead.display
