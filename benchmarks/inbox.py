"""The inbox at scale, measured inside the real app (headless):

- first page painted after the app starts;
- a cursor move: the key's action to the next repaint;
- a filter keystroke (next tab, "assigned to me"): the action to the repaint that shows the
  new rows and tab counts, the database query in a thread worker included;
- a search: from the end of the debounce pause to that repaint.

The times are taken in the app, from the handler to the refresh after the repaint; they leave
out the terminal's own drawing. Budgets: first paint 500 ms, cursor 10 ms, filter 120 ms.
Each run starts the app, then the bare Textual app, whose cursor move and 60-row reload are
set beside the inbox's (the filter and the search redraw the list as a reload does).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual.widgets import DataTable, Input

from benchmarks import bare_app
from benchmarks.repaint import repainted
from benchmarks.table import Figure, Table
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.inbox import InboxScreen

BUDGETS_MS = {"first paint": 500.0, "cursor move": 10.0, "filter keystroke": 120.0,
              "search after debounce": 120.0}


class Probe:
    """Resolves when the inbox has shown a page and the screen has repainted after it."""

    def __init__(self, screen: InboxScreen) -> None:
        self.screen = screen
        self.event = asyncio.Event()
        self.painted_at = 0.0
        original = screen.show_page

        # The screen's own arguments passed on as they are: the probe needs the first.
        def show_page(generation: int, *args: Any, **kwargs: Any) -> None:
            original(generation, *args, **kwargs)
            if generation == screen._generation:
                screen.call_after_refresh(self._painted)

        screen.show_page = show_page  # type: ignore[method-assign]

    def _painted(self) -> None:
        self.painted_at = time.perf_counter()
        self.event.set()

    async def wait(self) -> float:
        await asyncio.wait_for(self.event.wait(), 30)
        self.event.clear()
        return self.painted_at


SEARCHES = ("ashdown", "copied seven", "gutter", "merriweather", "UPV-S0001")
CURSOR_MOVES, FILTERS = 5, 4  # in each run, for the app and the bare app alike


async def _measure(db: str, run: int, results: dict[str, list[float]]) -> None:
    started = time.perf_counter()
    app = create_app(db, "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        # The first page on screen: rows in the table, then the repaint after them.
        while not (isinstance(app.screen, InboxScreen)
                   and app.screen.query_one("#cases", DataTable).row_count):
            await asyncio.sleep(0.002)
        await repainted(app)
        results["first paint"].append((time.perf_counter() - started) * 1000)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        probe = Probe(screen)
        table = screen.query_one("#cases", DataTable)
        table.focus()
        for _ in range(CURSOR_MOVES):
            t = time.perf_counter()
            table.action_cursor_down()
            results["cursor move"].append((await repainted(app) - t) * 1000)
        for action in [screen.action_next_tab, screen.action_toggle_mine] * (FILTERS // 2):
            await app.workers.wait_for_complete()
            await pilot.pause()
            probe.event.clear()  # a page still on its way from the step before is not this one
            t = time.perf_counter()
            action()
            results["filter keystroke"].append((await probe.wait() - t) * 1000)
        search = screen.query_one("#search", Input)
        fired: list[float] = []
        original_set = screen._set

        def timed_set(**changes: object) -> None:
            fired.append(time.perf_counter())
            original_set(**changes)

        screen._set = timed_set  # type: ignore[method-assign]
        await app.workers.wait_for_complete()
        await pilot.pause()
        probe.event.clear()
        search.value = SEARCHES[run % len(SEARCHES)]
        painted = await probe.wait()
        while not fired or painted < fired[-1]:  # the page of the search, after its pause
            painted = await probe.wait()
        results["search after debounce"].append((painted - fired[-1]) * 1000)
        screen._set = original_set  # type: ignore[method-assign]


def run(db: str, scale: str, label: str, runs: int, table: Table) -> None:
    """Each run starts the app and then the bare app, taking turns."""
    results: dict[str, list[float]] = {k: [] for k in BUDGETS_MS}
    bare_moves: list[float] = []
    bare_loads: list[float] = []
    for n in range(runs):
        asyncio.run(_measure(db, n, results))
        moves, loads = asyncio.run(bare_app.measure(CURSOR_MOVES, FILTERS))
        bare_moves += moves
        bare_loads += loads
    table.add(Figure(f"bare.cursor.{scale}", f"bare Textual app: cursor move (beside {label})",
                     bare_moves))
    table.add(Figure(f"bare.reload.{scale}",
                     f"bare Textual app: 60 rows reloaded (beside {label})", bare_loads))
    bare = {"first paint": None, "cursor move": f"bare.cursor.{scale}",
            "filter keystroke": f"bare.reload.{scale}",
            "search after debounce": f"bare.reload.{scale}"}
    for name, samples in results.items():
        table.add(Figure(f"inbox.{name.split()[0]}.{scale}", f"inbox {name} ({label})",
                         samples, budget=BUDGETS_MS[name], bare=bare[name]))
