"""The app's peak memory (resident, the kernel's high-water mark) through a working tour, in a
process of its own (headless, at 160x50): started to the inbox, two pages down the list, a
case file and its evidence, then every area once. Budget: a peak of 300 MB.

    python -m benchmarks.memory DATABASE   (prints the peak in MB)
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import subprocess
import sys
from typing import Any

from benchmarks.store import Store
from benchmarks.table import Figure, Table

BUDGET_MB = 300.0
CASE = "UPV-2025-0004"


async def _tour(db: str) -> None:
    from textual.worker import WorkerCancelled

    from crm_tui.ui.app import create_app
    from crm_tui.ui.areas import AREAS
    from crm_tui.ui.screens.case_file import CaseFileScreen
    from crm_tui.ui.screens.evidence import EvidenceScreen

    app = create_app(db, "ceri.hughes")

    async def settle() -> None:
        with contextlib.suppress(WorkerCancelled):  # replaced by a newer read (exclusive)
            await app.workers.wait_for_complete()
        await pilot.pause()

    async def until(condition: Any) -> None:
        for _ in range(3000):
            if condition():
                return
            await asyncio.sleep(0.01)
        raise RuntimeError("the screen never came")

    async with app.run_test(size=(160, 50)) as pilot:
        await settle()
        for _ in range(130):  # past the first two pages of 60
            await pilot.press("down")
        await settle()
        await app.push_screen(CaseFileScreen(CASE))
        await until(lambda: isinstance(app.screen, CaseFileScreen)
                    and app.screen.data is not None)
        app.screen.action_evidence()  # type: ignore[attr-defined]
        await until(lambda: isinstance(app.screen, EvidenceScreen)
                    and app.screen.shown_period is not None)
        await settle()
        for area in AREAS:
            app.open_area(area.mode)
            await settle()
            await asyncio.sleep(0.2)
            await settle()


def peak_mb(store: Store, db: str) -> float:
    done = subprocess.run([sys.executable, "-m", "benchmarks.memory", db], env=store.env(),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the memory tour failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def run(store: Store, db: str, scale: str, label: str, runs: int, table: Table) -> None:
    samples = [peak_mb(store, db) for _ in range(max(1, min(runs, 3)))]
    table.add(Figure(f"memory.tour.{scale}", f"peak memory, a working tour ({label})", samples,
                     unit="MB", budget=BUDGET_MB))


if __name__ == "__main__":
    asyncio.run(_tour(sys.argv[1]))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
