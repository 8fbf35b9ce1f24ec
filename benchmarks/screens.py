"""Two screens of the day's work, measured in the real app (headless), each from the action to
the repaint after its data is shown:

- a case file opened from the inbox (Enter): read in a worker, then its panels and timeline
  painted (budget 150 ms);
- a step of a review session (→ to the next case, ← back): the session's place written, the
  next case's facts read and painted (budget 150 ms), on the calendar's database of 5,000
  restrictions in force, where most reviews are due.

Both are set beside the bare Textual app's 60-row reload."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.worker import WorkerCancelled

from benchmarks.repaint import repainted
from benchmarks.store import Store
from benchmarks.table import Figure, Table
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.review_session import ReviewSessionScreen

CASE = "UPV-2025-0004"
BUDGET_MS = 150.0


async def _settle(app: Any, pilot: Any) -> None:
    with contextlib.suppress(WorkerCancelled):  # replaced by a newer read (exclusive)
        await app.workers.wait_for_complete()
    await pilot.pause()


async def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.perf_counter() + 60
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{what}: not shown within a minute")
        await asyncio.sleep(0.001)


async def _case_file(db: str, runs: int) -> list[float]:
    samples = []
    app = create_app(db, "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await _settle(app, pilot)
        for _ in range(runs):
            started = time.perf_counter()
            app.push_screen(CaseFileScreen(CASE))  # Enter on its row in the inbox
            await _until(lambda: isinstance(app.screen, CaseFileScreen)
                         and app.screen.data is not None, "the case file")
            await repainted(app)
            samples.append((time.perf_counter() - started) * 1000)
            app.pop_screen()
            # A user reads before opening another; the old screen's teardown is not timed.
            await asyncio.sleep(0.3)
            await _settle(app, pilot)
    return samples


def _arrived(screen: ReviewSessionScreen, position: int, shown: list[str]) -> bool:
    """The session is at `position` and its case's facts are shown."""
    info = screen.info
    return (info is not None and info.position == position and bool(shown)
            and shown[-1] == info.current)


async def _review_steps(db: str, runs: int) -> list[float]:
    samples = []
    app = create_app(db, "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await _settle(app, pilot)
        for key in ("d", "s", "ctrl+s"):  # the calendar, a session, its form saved
            await pilot.press(key)
            await _settle(app, pilot)
            await asyncio.sleep(0.05)
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen), screen
        shown: list[str] = []
        original = screen.show_facts

        def show_facts(found: Any, *args: Any, **kwargs: Any) -> None:
            original(found, *args, **kwargs)
            shown.append(found.summary.reference)

        screen.show_facts = show_facts  # type: ignore[method-assign]
        await _settle(app, pilot)
        for n in range(runs):
            assert screen.info is not None
            step = 1 if n % 2 == 0 else -1  # → then ←: the session stays near its start
            going_to = screen.info.position + step
            started = time.perf_counter()
            screen.action_step(step)
            await _until(partial(_arrived, screen, going_to, shown),
                         "the next case of the session")
            await repainted(app)
            samples.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.1)
            await _settle(app, pilot)
    return samples


def run(store: Store, scale: str, runs: int, table: Table, calendar: str) -> None:
    """`calendar`: the name in the store of the calendar's database (calendar.run)."""
    table.add(Figure(f"case_file.open.{scale}", f"case file open ({CASE}, demo)",
                     asyncio.run(_case_file(store.demo(), runs)), budget=BUDGET_MS,
                     bare=f"bare.reload.{scale}"))
    # A session writes its place: each run holds one on a fresh copy.
    copy = store.copy(calendar, "review-session")
    try:
        samples = asyncio.run(_review_steps(copy, runs))
    finally:
        store.drop("review-session")
    table.add(Figure(f"review.step.{scale}", "review session, one step (→ or ←)", samples,
                     budget=BUDGET_MS, bare=f"bare.reload.{scale}"))
