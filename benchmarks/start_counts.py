"""Start-up counted, not timed (issue 17): on a loaded machine wall-clock figures say little,
but what Textual does before the first paint can be counted, and the process's CPU time is
less at the mercy of others than its wall time. One fresh process per run, the app's as
`crm-tui --db DATABASE` starts it (headless at 160x50, to the painted inbox), the bare
Textual app's (benchmarks/bare_app.py) the same way, taking turns:

- screen resizes (Screen._on_resize), layouts (Screen._refresh_layout), compositor
  reflows, full renders and partial renders, and what was sent to the terminal
  (App._display);
- compose calls (Widget._compose: one per widget composed) and recomposes;
- style applications (Stylesheet.apply, one per node styled) and CSS updates of the app;
- garbage collections (all generations), and the modules loaded at the painted screen;
- the process's CPU time (time.process_time) to the painted screen, in ms.

    python -m benchmarks.start_counts DATABASE [--runs 7]

The database is copied for each run (tests/demo_copies is not used: this is no test). Prints
one line per run and the medians.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COUNTS: dict[str, int] = {}


def _count(owner: Any, name: str, label: str, timed: bool = False) -> None:
    original = getattr(owner, name)
    COUNTS.setdefault(label, 0)
    if timed:  # a call that never calls itself: its CPU time summed too
        spent = f"{label}, CPU ms"
        COUNTS[spent] = 0

        def counted_timed(*args: Any, **kwargs: Any) -> Any:
            COUNTS[label] += 1
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                COUNTS[spent] += round((time.process_time() - started) * 1000)
        setattr(owner, name, counted_timed)
    elif asyncio.iscoroutinefunction(original):
        async def counted_async(*args: Any, **kwargs: Any) -> Any:
            COUNTS[label] += 1
            return await original(*args, **kwargs)
        setattr(owner, name, counted_async)
    else:
        def counted(*args: Any, **kwargs: Any) -> Any:
            COUNTS[label] += 1
            return original(*args, **kwargs)
        setattr(owner, name, counted)


def _instrument() -> None:
    from textual import _compositor, app, widget
    from textual import screen as screen_module
    from textual.css import stylesheet

    screen = screen_module.Screen
    _count(screen, "_on_resize", "screen resizes")
    _count(screen, "_refresh_layout", "layouts (Screen._refresh_layout)")
    _count(_compositor.Compositor, "reflow", "compositor reflows", timed=True)
    _count(_compositor.Compositor, "render_full_update", "full renders", timed=True)
    _count(_compositor.Compositor, "render_partial_update", "partial renders", timed=True)
    _count(app.App, "_display", "sent to the terminal (App._display)")
    _count(widget.Widget, "_compose", "compose calls")
    _count(widget.Widget, "recompose", "recomposes")
    _count(stylesheet.Stylesheet, "apply", "style applications")
    _count(app.App, "refresh_css", "app CSS refreshes")
    COUNTS["garbage collections"] = 0

    def collected(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            COUNTS["garbage collections"] += 1

    gc.callbacks.append(collected)


def _painted(found: dict[str, Any]) -> None:
    found["cpu ms"] = round(time.process_time() * 1000, 1)
    found["modules loaded"] = len(sys.modules)
    found.update(COUNTS)


def _child_app(database: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    _instrument()
    import crm_tui.cli
    from crm_tui.ui import collector

    def headless(app: Any, *_: Any, **__: Any) -> None:
        async def painted() -> None:
            from textual.widgets import DataTable

            async with app.run_test(size=(160, 50)):
                while not (type(app.screen).__name__ == "InboxScreen"
                           and app.screen.query_one("#cases", DataTable).row_count):
                    await asyncio.sleep(0.002)
                done = asyncio.Event()
                app.call_after_refresh(done.set)
                await done.wait()
                _painted(found)

        asyncio.run(painted())

    # The app's module imported where crm-tui imports it: in cli._launch, once the collector's
    # thresholds are set (ui/collector.py), not before the command line runs (imported here
    # first, the app's screens were imported under Python's default collector, a full
    # collection among them: some 25 ms of processor time crm-tui does not spend).
    collect_seldom = collector.collect_seldom

    def app_imported() -> None:
        collect_seldom()
        from crm_tui.ui import app as app_module

        # As tests/started.py: headless, and what runs on timers off the path to the paint
        # left out.
        crm_app: Any = app_module.CrmApp
        crm_app.run = headless
        crm_app.expire_ended = lambda self: None
        crm_app.USERS_AFTER = 600.0

    collector.collect_seldom = app_imported  # type: ignore[assignment]
    crm_tui.cli.main(["--db", database], standalone_mode=False)
    return found


def _child_bare() -> dict[str, Any]:
    found: dict[str, Any] = {}
    _instrument()
    from benchmarks.bare_app import Bare

    async def painted() -> None:
        from textual.widgets import DataTable

        app = Bare()
        async with app.run_test(size=(160, 50)):
            while not app.query_one(DataTable).row_count:
                await asyncio.sleep(0.002)
            done = asyncio.Event()
            app.call_after_refresh(done.set)
            await done.wait()
            _painted(found)

    asyncio.run(painted())
    return found


def _run(which: str, database: Path, folder: Path) -> dict[str, Any]:
    env = {**os.environ, "CRM_TUI_NOW": "2026-11-28", "CRM_TUI_DATA_DIR": str(folder / "data"),
           "CRM_TUI_CONFIG_DIR": str(folder / "config"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
           # Warm: compiled once and kept, as an installed crm-tui has its bytecode.
           "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "crm-tui-start-counts")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    copy = folder / "demo.sqlite3"
    if which == "app":
        shutil.copyfile(database, copy)
    done = subprocess.run([sys.executable, "-m", "benchmarks.start_counts", "--child", which,
                           str(copy)], env=env, capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parents[1], timeout=300)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        found = _child_app(argv[2]) if argv[1] == "app" else _child_bare()
        print(json.dumps(found))
        return
    database = Path(argv[0])
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 7
    taken: dict[str, list[dict[str, Any]]] = {"bare": [], "app": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            for which in ("bare", "app"):
                folder = Path(tmp) / f"{which}-{n}"
                folder.mkdir()
                found = _run(which, database, folder)
                taken[which].append(found)
                print(which, json.dumps(found), flush=True)
    print(f"Medians over {runs} runs (load {os.getloadavg()[0]:.1f}):")
    for key in taken["app"][0]:
        bare = statistics.median(r.get(key, 0) for r in taken["bare"])
        app = statistics.median(r[key] for r in taken["app"])
        cpu = f"  ({app / bare:.2f}x)" if key == "cpu ms" and bare else ""
        print(f"  {key:40} bare {bare:>8}  app {app:>8}{cpu}")


if __name__ == "__main__":
    main(sys.argv[1:])
