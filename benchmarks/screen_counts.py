"""The evidence screen, its log-sheet page and the case file, counted, not timed (issue 17):
on a loaded machine wall-clock figures say little, so each action is counted from the key to
the repaint after its data is shown, in the real app (headless, 160x50), as
benchmarks/evidence.py and benchmarks/screens.py time them:

- SQL statements (peewee's execute_sql, from every thread), and the ones said more than once;
- compose calls, style applications (Stylesheet.apply), full and partial renders,
  Widget.render calls, and the lines rendered (Widget.render_line);
- the process's CPU time (time.process_time, every thread), in ms.

    python -m benchmarks.screen_counts EVIDENCE_DB DEMO_DB [--runs 7] [--repeats] [--json]
    python -m benchmarks.screen_counts --bare [--runs 7] [--json]

`--bare` counts the bare Textual app's 60-row reload (benchmarks/bare_app.py) the same way,
what the app's figures are set beside: run the two in turn, one process each, on a loaded
machine (`--json` prints one line of medians, for a script that takes turns).

The databases are copied to a temporary folder first (benchmarks/evidence.py builds the
evidence one: `make bench` keeps it in benchmarks/.data/evidence-15k.sqlite3). Prints the
medians of each count over the runs; --repeats also lists the statements said more than once
in the last run of each action."""

from __future__ import annotations

import asyncio
import collections
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.repaint import repainted

COUNTS: collections.Counter[str] = collections.Counter()
STATEMENTS: list[str] = []
_LOCK = threading.Lock()


def _count(owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        COUNTS[label] += 1
        return original(*args, **kwargs)
    setattr(owner, name, counted)


def _instrument() -> None:
    from peewee import Database
    from textual import _compositor, widget
    from textual.css import stylesheet

    original = Database.execute_sql

    def execute_sql(self: Any, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            COUNTS["SQL statements"] += 1
            STATEMENTS.append(sql)
        return original(self, sql, params, *args, **kwargs)
    Database.execute_sql = execute_sql  # type: ignore[method-assign]
    _count(widget.Widget, "_compose", "compose calls")
    _count(stylesheet.Stylesheet, "apply", "style applications")
    _count(_compositor.Compositor, "render_full_update", "full renders")
    _count(_compositor.Compositor, "render_partial_update", "partial renders")
    _count(widget.Widget, "render_line", "lines rendered")


def _reset() -> float:
    COUNTS.clear()
    STATEMENTS.clear()
    return time.process_time()


def _taken(cpu_started: float) -> dict[str, float]:
    found: dict[str, float] = dict(COUNTS)
    found["cpu ms"] = round((time.process_time() - cpu_started) * 1000, 1)
    return found


async def _until(condition: Any) -> None:
    deadline = time.perf_counter() + 60
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("not shown within a minute")
        await asyncio.sleep(0.001)


async def _closed(app: Any, pilot: Any) -> None:
    """The screen on top closed, and what its closing started finished: ready for a run."""
    app.pop_screen()
    await asyncio.sleep(0.3)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _evidence(db: str, runs: int) -> dict[str, list[dict[str, float]]]:
    from crm_tui.ui.app import create_app
    from crm_tui.ui.screens.case_file import CaseFileScreen
    from crm_tui.ui.screens.evidence import EvidenceScreen
    from crm_tui.ui.widgets.log_sheet_table import LogSheetTable

    taken: dict[str, list[dict[str, float]]] = {"evidence open": [], "log-sheet page": []}
    repeats: dict[str, list[str]] = {}
    app = create_app(db, "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.push_screen(CaseFileScreen("UPV-2025-0004"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        case_file = app.screen
        assert isinstance(case_file, CaseFileScreen)
        for _ in range(runs):
            cpu = _reset()
            case_file.action_evidence()  # the "v" key
            await _until(lambda: isinstance(app.screen, EvidenceScreen)
                         and app.screen.shown_period is not None)
            screen = app.screen
            await repainted(app)
            taken["evidence open"].append(_taken(cpu))
            repeats["evidence open"] = list(STATEMENTS)
            await screen.action_tab("log-tab")  # type: ignore[attr-defined]
            log = screen.query_one(LogSheetTable)  # the tab is built when first shown
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            rows = log.row_count
            cpu = _reset()
            log.move_cursor(row=rows - 1)
            await _until(lambda log=log, rows=rows: log.row_count != rows)
            await repainted(app)
            taken["log-sheet page"].append(_taken(cpu))
            repeats["log-sheet page"] = list(STATEMENTS)
            await _closed(app, pilot)
    _REPEATS.update(repeats)
    return taken


async def _case_file(db: str, runs: int) -> dict[str, list[dict[str, float]]]:
    from crm_tui.ui.app import create_app
    from crm_tui.ui.screens.case_file import CaseFileScreen

    taken: dict[str, list[dict[str, float]]] = {"case file open": []}
    app = create_app(db, "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(runs):
            cpu = _reset()
            app.push_screen(CaseFileScreen("UPV-2025-0004"))
            await _until(lambda: isinstance(app.screen, CaseFileScreen)
                         and app.screen.data is not None)
            await repainted(app)
            taken["case file open"].append(_taken(cpu))
            _REPEATS["case file open"] = list(STATEMENTS)
            await _closed(app, pilot)
    return taken


async def _bare(runs: int) -> dict[str, list[dict[str, float]]]:
    from textual.widgets import DataTable

    from benchmarks.bare_app import Bare

    taken: dict[str, list[dict[str, float]]] = {"bare: 60 rows reloaded": []}
    app = Bare()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        app.query_one(DataTable).focus()
        for n in range(runs):
            cpu = _reset()
            app.reload(60 * (n + 1))
            await repainted(app)
            taken["bare: 60 rows reloaded"].append(_taken(cpu))
            await asyncio.sleep(0.05)
    return taken


_REPEATS: dict[str, list[str]] = {}


def main(argv: list[str]) -> None:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 7
    _instrument()
    if "--bare" in argv:
        _report(asyncio.run(_bare(runs)), runs, argv)
        return
    evidence_db, demo_db = Path(argv[0]), Path(argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("CRM_TUI_DATA_DIR", str(Path(tmp) / "data"))
        os.environ.setdefault("CRM_TUI_CONFIG_DIR", str(Path(tmp) / "config"))
        os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
        os.environ.setdefault("CRM_TUI_NOW", "2026-11-28T10:00:00")
        evidence = Path(tmp) / "evidence.sqlite3"
        demo = Path(tmp) / "demo.sqlite3"
        shutil.copyfile(evidence_db, evidence)
        shutil.copyfile(demo_db, demo)
        taken = asyncio.run(_evidence(str(evidence), runs))
        taken.update(asyncio.run(_case_file(str(demo), runs)))
    _report(taken, runs, argv)


def _report(taken: dict[str, list[dict[str, float]]], runs: int, argv: list[str]) -> None:
    if "--json" in argv:
        print(json.dumps({action: {key: statistics.median(s.get(key, 0) for s in samples)
                                   for key in sorted({k for s in samples for k in s})}
                          for action, samples in taken.items()}))
        return
    print(f"Medians over {runs} runs (load {os.getloadavg()[0]:.2f}):")
    for action, samples in taken.items():
        print(f"  {action}:")
        keys = sorted({k for s in samples for k in s})
        for key in keys:
            values = [s.get(key, 0) for s in samples]
            print(f"    {key:22} {statistics.median(values):>9}   "
                  f"(best {min(values)}, worst {max(values)})")
    if "--repeats" in argv:
        for action, statements in _REPEATS.items():
            counted = collections.Counter(statements)
            print(f"  {action}: {len(statements)} statements, said more than once:")
            for sql, n in counted.most_common():
                if n > 1:
                    print(f"    {n} x {sql[:220]}")


if __name__ == "__main__":
    main(sys.argv[1:])
