"""The baseline: a bare Textual app (a header, a 60-row DataTable, a footer), started the same
way as crm-tui and timed to the same kind of painted screen; and, inside it, a cursor move and
a reload of the table's 60 rows, timed as the app's are (from the action to the repaint
after it)."""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from benchmarks.repaint import repainted


def _rows(offset: int) -> list[tuple[str, str, str]]:
    return [(f"REF-{n:04d}", f"Customer {n}", "new") for n in range(offset, offset + 60)]


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Reference", "Customer", "State")
        table.add_rows(_rows(0))
        self.sub_title = "60 rows shown"

    def reload(self, offset: int) -> None:
        """What the inbox does with a new page: the rows replaced, the status line updated."""
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(_rows(offset))
        self.sub_title = f"60 rows shown from {offset}"


async def measure(cursor_moves: int, reloads: int) -> tuple[list[float], list[float]]:
    """Milliseconds for each cursor move and each reload, headless at the app's size."""
    app = Bare()
    moves: list[float] = []
    loads: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        table.focus()
        for _ in range(cursor_moves):
            started = time.perf_counter()
            table.action_cursor_down()
            moves.append((await repainted(app) - started) * 1000)
        for n in range(reloads):
            started = time.perf_counter()
            app.reload(60 * (n + 1))
            loads.append((await repainted(app) - started) * 1000)
    return moves, loads


if __name__ == "__main__":
    Bare().run()
