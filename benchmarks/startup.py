"""Start to a painted inbox, warm, in a real terminal (tmux).

The clock runs from spawning `crm-tui` to the moment the screen shows the inbox's first page
and its tab counts, read from the database. Budget: 0.5 s warm.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
CRM_TUI = str(Path(sys.executable).with_name("crm-tui"))
NOW = "2026-11-28T10:00:00"
BUDGET_SECONDS = 0.5
BASELINE_TIMES = 1.5  # the budget: within 1.5x a bare Textual app started the same way
RUNS = 7


def _env() -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**inherited, "CRM_TUI_NOW": NOW, "CRM_TUI_DATA_DIR": str(DATA),
            "CRM_TUI_CONFIG_DIR": str(DATA / "config"), "TERM": "xterm-256color",
            # The demo keeps its signing passphrase in a keyring: never in yours.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def tmux(socket: str, *args: str, env: dict[str, str] | None = None) -> str:
    # No inherited output: a tmux server holding our stdout open would hang a pipe reader.
    # A server per run: one still shutting down must not receive the next run's session.
    return subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", *args],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
                          env=env).stdout


def _screen(socket: str, session: str) -> str:
    return tmux(socket, "capture-pane", "-t", session, "-p")


def _painted(screen: str) -> bool:
    # The status line appears with the first page; the tab counts come in the same message.
    return " shown" in screen and "sorted by" in screen


def _time_to(command: str, painted: Callable[[str], bool]) -> float:
    session = f"bench-{uuid.uuid4().hex[:8]}"
    socket = f"crm-tui-{session}"
    started = time.perf_counter()
    tmux(socket, "new-session", "-d", "-s", session, "-x", "120", "-y", "36", command,
         env=_env())
    tmux(socket, "resize-window", "-t", session, "-x", "120", "-y", "36")
    try:
        deadline = started + 30
        while time.perf_counter() < deadline:
            if painted(_screen(socket, session)):
                return time.perf_counter() - started
            time.sleep(0.005)
        raise RuntimeError("the screen never painted:\n" + _screen(socket, session))
    finally:
        tmux(socket, "kill-server")


def time_to_home(db: Path, login: str) -> float:
    return _time_to(f"{CRM_TUI} --db {db} --user {login}", _painted)


def time_bare() -> float:
    """The bare Textual app, started the same way, to its 60 rows painted."""
    return _time_to(f"{sys.executable} -m benchmarks.bare_app",
                    lambda screen: "REF-0030" in screen)


def _demo(path: Path) -> None:
    if not path.exists():
        subprocess.run([CRM_TUI, "demo", "--db", str(path), "--no-launch"], check=True,
                       env=_env())


def _big(path: Path) -> None:
    if path.exists():
        return
    _demo(path)
    subprocess.run([CRM_TUI, "seed", "--customers", "100000", "--contacts", "5000000",
                    "--db", str(path)], check=True, env=_env())


def measure(db: Path, label: str) -> bool:
    # Warm the file cache and the bytecode of both, then take turns, so that both see the
    # same machine (a shared one changes by the minute).
    time_to_home(db, "ceri.hughes")
    time_bare()
    ours, bare = [], []
    for _ in range(RUNS):
        ours.append(time_to_home(db, "ceri.hughes"))
        bare.append(time_bare())
    ours.sort()
    bare.sort()
    median, baseline = statistics.median(ours), statistics.median(bare)
    budget = max(BUDGET_SECONDS, BASELINE_TIMES * baseline)
    ok = median < budget
    print(f"bare Textual app (header, 60-row DataTable, footer), same way: median "
          f"{baseline * 1000:.0f} ms, best {bare[0] * 1000:.0f} ms, worst "
          f"{bare[-1] * 1000:.0f} ms over {RUNS} warm runs")
    print(f"start to painted inbox ({label}): median {median * 1000:.0f} ms, "
          f"best {ours[0] * 1000:.0f} ms, worst {ours[-1] * 1000:.0f} ms over {RUNS} "
          f"warm runs = {median / baseline:.2f}x the bare app; budget "
          f"{BASELINE_TIMES:g}x the bare app ({budget * 1000:.0f} ms): "
          f"{'OK' if ok else 'OVER'}")
    return ok


def run(*, big: bool) -> list[str]:
    if shutil.which("tmux") is None:
        print("tmux is not installed: cannot measure start-up in a terminal")
        return ["tmux missing"]
    DATA.mkdir(parents=True, exist_ok=True)
    failures = []
    demo = DATA / "demo.sqlite3"
    _demo(demo)
    if not measure(demo, "demo database"):
        failures.append("startup demo")
    if big:
        large = DATA / "big.sqlite3"
        _big(large)
        if not measure(large, "100k customers, 5M contacts"):
            failures.append("startup big")
    return failures
