"""The review calendar with 5,000 restrictions in force: the month view read and repainted
(budget 100 ms), moving a month ("instant": the same budget), and, for the record, opening the
calendar from the inbox (Textual's screen switch included)."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from datetime import date, datetime, timedelta
from typing import Any

from textual.worker import WorkerCancelled

from benchmarks.repaint import repainted
from benchmarks.store import Store
from benchmarks.table import Figure, Table
from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, Customer, Restriction, ServiceArea, User
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.calendar import CalendarScreen

IN_FORCE = 5_000
# The month read and painted (what F5 or a new month does); opening the area from another one
# adds Textual's screen switch, reported beside it.
BUDGETS_MS = {"month view": 100.0, "move a month": 100.0}


def build(target: str, in_force: int = IN_FORCE) -> None:
    """A copy of the demo given `in_force` restricted cases, each with a restriction."""
    db = open_database(target)
    rng = random.Random(11)
    today = date(2026, 11, 28)
    area = ServiceArea.select().first().id
    officer = User.select().first().id
    with db.atomic():
        first_customer = (Customer.select(Customer.id).order_by(Customer.id.desc())
                          .scalar() or 0) + 1
        Customer.insert_many([{"reference": f"B{first_customer + i:07d}",
                               "name": f"Bench Customer {i}", "created_at": datetime(2025, 1, 1)}
                              for i in range(in_force)]).execute()
        for start in range(0, in_force, 500):
            rows = []
            for i in range(start, min(start + 500, in_force)):
                began = today - timedelta(days=rng.randint(1, 700))
                rows.append({"reference": f"UPV-B{i:06d}", "customer": first_customer + i,
                             "service_area": area, "state": "restricted", "opened_on": began,
                             "state_changed_at": datetime.combine(began, datetime.min.time()),
                             "restrictions_start": began,
                             "restrictions_end": began + timedelta(days=730),
                             "review_due": began + timedelta(days=365)})
            Case.insert_many(rows).execute()
        cases = {c.reference: c.id for c in Case.select(Case.id, Case.reference)
                 .where(Case.reference.startswith("UPV-B"))}
        Restriction.insert_many([{"case": case_id, "kind": "form_of_contact",
                                  "parameters": '{"channels": ["letter"]}', "reason": "x",
                                  "proportionality": "x", "status": "in_force",
                                  "drafted_by": officer, "drafted_at": datetime(2025, 1, 1)}
                                 for case_id in cases.values()]).execute()
    db.close()


async def _until(app: Any, condition: Any) -> None:
    # Waiting on the worker, not polling: a busy poll would take turns on the interpreter
    # with the very worker being timed.
    while not condition():
        with contextlib.suppress(WorkerCancelled):  # replaced by a newer read (exclusive)
            await app.workers.wait_for_complete()
        await asyncio.sleep(0)


async def _measure(db: str, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {k: [] for k in (*BUDGETS_MS, "open from the inbox")}
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        stale: object = None
        for _ in range(runs):
            started = time.perf_counter()
            app.open_area("calendar")  # the "d" key
            screen = app.screen
            assert isinstance(screen, CalendarScreen)
            await _until(app, lambda s=screen, old=stale: s.view is not None
                         and s.view is not old)
            await repainted(app)
            results["open from the inbox"].append((time.perf_counter() - started) * 1000)
            for name, act in (("month view", screen.refresh_data),
                              ("move a month", lambda s=screen: s.action_month(1))):
                before = screen.view
                started = time.perf_counter()
                act()
                await _until(app, lambda s=screen, b=before: s.view is not b)
                await repainted(app)
                results[name].append((time.perf_counter() - started) * 1000)
            stale = screen.view
            app.switch_mode("inbox")
            await pilot.pause()
    return results


def database(store: Store, in_force: int = IN_FORCE) -> str:
    """The name in the store of the demo with `in_force` restricted cases added (built once)."""
    name = f"calendar-{in_force}"
    store.derived(name, lambda target: build(target, in_force))
    return name


def run(store: Store, scale: str, runs: int, table: Table, in_force: int = IN_FORCE) -> None:
    """The figures on the demo with `in_force` restricted cases added."""
    db = store.target(database(store, in_force))
    results = asyncio.run(_measure(db, runs))
    label = f"{in_force:,} restrictions in force"
    for what, samples in results.items():
        table.add(Figure(f"calendar.{what.split()[0]}.{scale}", f"calendar {what} ({label})",
                         samples, budget=BUDGETS_MS.get(what), bare=f"bare.reload.{scale}"))
