"""The evidence viewer for a customer with 15,000 logged contacts, measured in the real app
(headless): from "v" in the case file to the repaint of the evidence screen with its documents,
figures, chart and first log-sheet page (budget 300 ms); paging the log sheet; and, for the
record, writing the whole evidence bundle as a PDF (budget 4 s: it runs in a worker). The
screen's figures are set beside the bare Textual app's 60-row reload: the least a repaint of
new rows costs in Textual on this machine."""

from __future__ import annotations

import asyncio
import csv
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.repaint import repainted
from benchmarks.store import Store
from benchmarks.table import Figure, Table
from crm_tui import clock
from crm_tui.db.connection import open_database
from crm_tui.db.models import ServiceArea
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.evidence import bundle
from crm_tui.services.evidence import contacts as contact_service
from crm_tui.services.evidence.log_sheet_csv import CSV_COLUMNS
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.widgets.log_sheet_table import LogSheetTable

REF = "UPV-2025-0004"
CONTACTS = 15_000
BUDGETS_MS = {"open with charts": 300.0, "next log-sheet page": 120.0}


def build(target: str, contacts: int = CONTACTS) -> None:
    """A copy of the demo given 15,000 contacts over two months for one customer, imported
    as an officer imports a log sheet (contacts written behind the app's back would be
    refused as changed outside it, at the first step that records something on the case)."""
    db = open_database(target)
    rng = random.Random(7)
    areas = [a.name for a in ServiceArea.select()]
    start = datetime(2025, 8, 16, 7, 0)
    categories = [c.label for c in BehaviourCategory]
    with tempfile.TemporaryDirectory() as scratch:
        sheet = Path(scratch) / "sheet.csv"
        with sheet.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(CSV_COLUMNS)
            for _ in range(contacts):
                at = start + timedelta(minutes=rng.randint(0, 60 * 24 * 60))
                writer.writerow([
                    f"{at:%d/%m/%Y %H:%M}",
                    rng.choice([Channel.TELEPHONE, Channel.EMAIL, Channel.LETTER,
                                Channel.WEB_FORM]).label,
                    (Direction.INBOUND if rng.random() < 0.8 else Direction.OUTBOUND).label,
                    rng.choice(areas), f"Officer {rng.randint(1, 40)}",
                    rng.choice([5, 10, 20]), "Synthetic contact",
                    rng.choice(categories) if rng.random() < 0.5 else ""])
        contact_service.import_log_sheet_report(resolve_actor("ceri.hughes"), REF, sheet)
    db.close()


async def _measure(db: str, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {k: [] for k in BUDGETS_MS}
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.push_screen(CaseFileScreen(REF))
        await app.workers.wait_for_complete()
        await pilot.pause()
        case_file = app.screen
        assert isinstance(case_file, CaseFileScreen)
        for _ in range(runs):
            started = time.perf_counter()
            case_file.action_evidence()  # the "v" key
            while not isinstance(app.screen, EvidenceScreen) or app.screen.shown_period is None:
                await asyncio.sleep(0.001)
            screen = app.screen
            await repainted(app)
            results["open with charts"].append((time.perf_counter() - started) * 1000)
            await screen.action_tab("log-tab")
            log = screen.query_one(LogSheetTable)  # the tab is built when first shown
            await pilot.pause()
            rows = log.row_count
            started = time.perf_counter()
            log.move_cursor(row=rows - 1)
            while log.row_count == rows:
                await asyncio.sleep(0.001)
            await repainted(app)
            results["next log-sheet page"].append((time.perf_counter() - started) * 1000)
            app.pop_screen()
            # A user reads before opening it again; the old screen's teardown is not timed.
            await asyncio.sleep(0.3)
            await pilot.pause()
    return results


def _bundle_seconds(db: str) -> tuple[float, int]:
    open_database(db)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        path = bundle.export_bundle(resolve_actor("ceri.hughes"), REF, Path(folder),
                                    "Northmere City Council")
        return time.perf_counter() - started, path.stat().st_size


def run(store: Store, scale: str, runs: int, table: Table, contacts: int = CONTACTS) -> str:
    """The figures on the demo with `contacts` added to one customer; its database."""
    name = f"evidence-{contacts // 1000}k" if contacts >= 1000 else f"evidence-{contacts}"
    with clock.travel_to(datetime(2026, 11, 28, 10, 0)):
        db = store.derived(name, lambda target: build(target, contacts))
    results = asyncio.run(_measure(db, runs))
    label = f"{contacts:,} contacts"
    table.add(Figure(f"evidence.open.{scale}", f"evidence open with charts ({label})",
                     results["open with charts"], budget=BUDGETS_MS["open with charts"],
                     bare=f"bare.reload.{scale}"))
    table.add(Figure(f"evidence.page.{scale}", f"the next log-sheet page ({label})",
                     results["next log-sheet page"], budget=BUDGETS_MS["next log-sheet page"],
                     bare=f"bare.reload.{scale}"))
    seconds, sizes = [], 0
    for _ in range(max(1, runs // 4)):  # about 10 s each at 15,000 contacts
        took, sizes = _bundle_seconds(db)
        seconds.append(took)
    table.add(Figure(f"evidence.bundle.{scale}", f"evidence bundle, in a worker ({label})",
                     seconds, unit="s", budget=4.0, note=f"{sizes / 1e6:.1f} MB"))
    return db
