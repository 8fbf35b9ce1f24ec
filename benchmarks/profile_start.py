"""Where start-up time goes: a fresh process started as `crm-tui` starts, with
`python -X importtime`, timing each step to the painted inbox (headless, 160x50):

- importing: the app's own modules, Textual's (and Rich's, which Textual draws with), the
  database's (peewee), other libraries and Python's own, from importtime's own figure of each
  module (its "self" time);
- opening the database: the connection, then the migrations check (the schema brought up to
  date: nothing to do on a current one, but read to know it);
- housekeeping before the app is built (service areas checked, next steps recomputed where
  marked, letters owed refreshed, what a killed run left swept up);
- the acting user read and the app built;
- the first queries: the inbox's page and tab counts (in a worker, while Textual mounts);
- Textual: from the app's start to the painted first page, the first queries taken out.

Run through `make bench` (once) or `make bench-profile` (that, then the functions that take
longest under cProfile, by cumulative time and by their own). By hand:

    python -m benchmarks.profile_start [DATABASE] [--no-cprofile]
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import pstats
import subprocess
import sys
import time
from typing import Any

from benchmarks.store import Store
from benchmarks.table import Table
from benchmarks.timed_calls import time_calls

STEPS: dict[str, float] = {}
COUNT = "modules of the app imported (a count)"
QUERIES = "first queries: the inbox's page and tab counts (their worker's wall time)"


def _timed(owner: Any, name: str, step: str) -> None:
    time_calls(owner, name, STEPS, step, scale=1000)  # in milliseconds



async def _start(db: str) -> dict[str, float]:
    started = time.perf_counter()
    import crm_tui.cli  # noqa: F401 - what `crm-tui` imports first
    from crm_tui.ui import app as app_module
    STEPS["importing (wall time, see the breakdown)"] = (time.perf_counter() - started) * 1000

    from textual.widgets import DataTable

    from benchmarks.repaint import repainted
    from crm_tui.db import connection
    from crm_tui.services.core import configured_areas, leftovers, next_step, users
    from crm_tui.services.intake import inbox
    from crm_tui.ui.screens.inbox import InboxScreen

    _timed(connection, "_connect", "opening the database: connection")
    _timed(connection, "upgrade", "opening the database: migrations check")
    housekeeping = "housekeeping before the app (areas, next steps, letters owed, leftovers)"
    _timed(configured_areas, "check", housekeeping)
    _timed(users, "ensure_service_areas", housekeeping)
    _timed(next_step, "recompute_if_marked", housekeeping)
    _timed(next_step, "refresh_letters_owed", housekeeping)
    _timed(leftovers, "sweep", housekeeping)
    _timed(users, "resolve_actor", "the acting user read")
    for name in ("page", "page_through", "tab_counts"):
        _timed(inbox, name, QUERIES)

    built = time.perf_counter()
    app = app_module.create_app(db, "ceri.hughes")
    STEPS["create_app, all told"] = (time.perf_counter() - built) * 1000
    running = time.perf_counter()
    async with app.run_test(size=(160, 50)):
        while not (isinstance(app.screen, InboxScreen)
                   and app.screen.query_one("#cases", DataTable).row_count):
            await asyncio.sleep(0.002)
        await repainted(app)
        painted = time.perf_counter()
        STEPS["app started to painted inbox, all told"] = (painted - running) * 1000
        STEPS["total in the process"] = (painted - started) * 1000
    return STEPS


def _imports(stderr: str) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """importtime's self times (ms), summed by whose modules they are; the app's costliest
    modules; and the other libraries, each summed."""
    stdlib = sys.stdlib_module_names
    groups: dict[str, float] = {}
    own: dict[str, float] = {}
    others: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3:
            continue
        top = parts[2].strip().split(".")[0]
        group = ("the app's own modules (crm_tui)" if top == "crm_tui" else
                 "Textual" if top == "textual" else
                 "Rich (Textual draws with it)" if top == "rich" else
                 "peewee (the database layer)" if top in ("peewee", "playhouse") else
                 "Python's standard library" if top in stdlib or top.startswith("_") else
                 "other libraries")
        ms = int(parts[0]) / 1000
        groups[group] = groups.get(group, 0.0) + ms
        if top == "crm_tui":
            own[parts[2].strip()] = ms
            groups[COUNT] = groups.get(
                COUNT, 0.0) + 1
        elif group == "other libraries":
            others[top] = others.get(top, 0.0) + ms
    return groups, _costliest(own), _costliest(others)


def _costliest(found: dict[str, float], keep: int = 12) -> dict[str, float]:
    return dict(sorted(found.items(), key=lambda kv: -kv[1])[:keep])


def profile(store: Store, db: str, *, cprofile: bool = False) -> dict[str, Any]:
    # Warm: the modules compiled once (and kept, store.env), as a start after the first.
    subprocess.run([sys.executable, "-c", "import crm_tui.cli, crm_tui.ui.app"],
                   env=store.env(), check=True)
    command = [sys.executable, "-X", "importtime", "-m", "benchmarks.profile_start", db,
               "--child"]
    if cprofile:
        command.append("--cprofile")
    done = subprocess.run(command, env=store.env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the start-up profile failed:\n{done.stderr[-3000:]}")
    out = done.stdout.split("\n", 1)
    groups, own, others = _imports(done.stderr)
    result: dict[str, Any] = {"steps_ms": json.loads(out[0]), "imports_ms": groups,
                              "app_modules_ms": own, "other_libraries_ms": others}
    steps = result["steps_ms"]
    paint = steps.get("app started to painted inbox, all told", 0.0)
    queries = steps.get(QUERIES, 0.0)
    steps["Textual: mount, compose and first paint (first queries taken out)"] = paint - queries
    if cprofile:
        result["cprofile"] = out[1]
    return result


def printed(found: dict[str, Any]) -> str:
    lines = ["Start-up, where the time goes (one fresh process, headless; ms):"]
    imports = found["imports_ms"]
    count = imports.get(COUNT, 0)
    times = {k: v for k, v in imports.items() if k != COUNT}
    lines.append(f"  importing, by importtime's self time: {sum(times.values()):,.0f}")
    for name, ms in sorted(times.items(), key=lambda kv: -kv[1]):
        lines.append(f"    {name:<74}{ms:>8,.0f}")
    lines.append(f"    ({count:.0f} of the app's modules imported)")
    for heading, key in (("the app's costliest modules", "app_modules_ms"),
                         ("the other libraries", "other_libraries_ms")):
        lines.append(f"    {heading}: " + ", ".join(
            f"{name} {ms:,.0f}" for name, ms in found[key].items()))
    for name, ms in found["steps_ms"].items():
        lines.append(f"  {name:<76}{ms:>8,.0f}")
    return "\n".join(lines)


def run(store: Store, db: str, table: Table, *, cprofile: bool = False) -> None:
    found = profile(store, db, cprofile=cprofile)
    table.profile = {k: v for k, v in found.items() if k != "cprofile"}
    print(printed(found), flush=True)
    if cprofile:
        print(found["cprofile"], flush=True)


def child(db: str, cprofile: bool) -> None:
    if not cprofile:
        print(json.dumps(asyncio.run(_start(db))))
        return
    profiler = cProfile.Profile()
    profiler.enable()
    steps = asyncio.run(_start(db))
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(30)
    text.write("\nThe 20 functions with the most time of their own:\n")
    stats.sort_stats("tottime").print_stats(20)
    print(json.dumps(steps))
    print("cProfile, the 30 functions with the most cumulative time (profiled: slower):")
    print(text.getvalue())


def main(argv: list[str]) -> None:
    """By hand or `make bench-profile`: the breakdown and cProfile's costliest functions, on
    the database given (the benchmarks' demo by default)."""
    from pathlib import Path

    if "--child" in argv:
        child(argv[0], "--cprofile" in argv)
        return
    store = Store(Path(__file__).resolve().parent / ".data")
    db = argv[0] if argv and not argv[0].startswith("--") else store.demo()
    cprofile = "--no-cprofile" not in argv
    found = profile(store, db, cprofile=cprofile)
    print(printed(found))
    if cprofile:
        print(found["cprofile"])


if __name__ == "__main__":
    main(sys.argv[1:])
