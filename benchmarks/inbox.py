"""The inbox at scale, measured inside the real app (headless):

- first page painted after the app starts;
- a cursor move: the key's action to the next repaint;
- a filter keystroke (next tab, "assigned to me"): the action to the repaint that shows the
  new rows and tab counts, the database query in a thread worker included;
- a search: from the end of the debounce pause to that repaint.

The times are taken in the app, from the handler to the refresh after the repaint; they leave
out the terminal's own drawing. Budgets: first paint 500 ms, cursor 10 ms, filter 120 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from textual.widgets import DataTable, Input

from benchmarks.repaint import repainted
from crm_tui.services.intake.inbox import Page, TabCounts
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

        def show_page(generation: int, first: bool, result: Page,
                      counts: TabCounts | None) -> None:
            original(generation, first, result, counts)
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


async def _measure(db: Path) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {k: [] for k in BUDGETS_MS}
    started = time.perf_counter()
    app = create_app(str(db), "ceri.hughes")
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
        for _ in range(60):
            t = time.perf_counter()
            table.action_cursor_down()
            results["cursor move"].append((await repainted(app) - t) * 1000)
        for action in [screen.action_next_tab] * 10 + [screen.action_toggle_mine] * 6:
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
        for word in ("ashdown", "copied seven", "gutter", "merriweather", "UPV-S0001"):
            search.value = word
            painted = await probe.wait()
            results["search after debounce"].append((painted - fired[-1]) * 1000)
        screen._set = original_set  # type: ignore[method-assign]
    return results


def run(db: Path, label: str) -> list[str]:
    results = asyncio.run(_measure(db))
    failures = []
    for name, samples in results.items():
        median = statistics.median(samples)
        worst = max(samples)
        ok = median < BUDGETS_MS[name]
        print(f"inbox {name} ({label}): median {median:.1f} ms, worst {worst:.1f} ms over "
              f"{len(samples)}; budget {BUDGETS_MS[name]:.0f} ms: {'OK' if ok else 'OVER'}")
        if not ok:
            failures.append(f"inbox {name}")
    return failures
