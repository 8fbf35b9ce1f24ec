"""Start to a painted inbox, warm, in a real terminal (tmux), taking turns with the bare
Textual app (benchmarks/bare_app.py) started the same way.

The clock runs from spawning `crm-tui` to the moment the screen shows the inbox's first page
and its tab counts, read from the database; the bare app's to its 60 rows painted. Budget:
1.5 times the bare app's median of the same run. The app's resident memory at that moment
(its peak so far, VmHWM) is read too."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from benchmarks.store import CRM_TUI, Store
from benchmarks.table import Figure, Table

BASELINE_TIMES = 1.5  # the budget: within 1.5x a bare Textual app started the same way


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


def _peak_mb(pid: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _time_to(store: Store, command: str, painted: Callable[[str], bool]) -> tuple[float, float]:
    """Seconds from spawning `command` to its painted screen, and its peak memory (MB)."""
    session = f"bench-{uuid.uuid4().hex[:8]}"
    socket = f"crm-tui-{session}"
    started = time.perf_counter()
    # `exec`: the pane's process is the program itself, whose memory is read.
    tmux(socket, "new-session", "-d", "-s", session, "-x", "120", "-y", "36",
         f"exec {command}", env=store.env())
    tmux(socket, "resize-window", "-t", session, "-x", "120", "-y", "36")
    try:
        deadline = started + 60
        while time.perf_counter() < deadline:
            if painted(_screen(socket, session)):
                took = time.perf_counter() - started
                pid = tmux(socket, "display-message", "-p", "-t", session,
                           "#{pane_pid}").strip()
                return took, _peak_mb(pid) if pid else 0.0
            time.sleep(0.005)
        raise RuntimeError("the screen never painted:\n" + _screen(socket, session))
    finally:
        tmux(socket, "kill-server")


def time_to_home(store: Store, db: str, login: str) -> tuple[float, float]:
    return _time_to(store, f"{CRM_TUI} --db {db} --user {login}", _painted)


def time_bare(store: Store) -> tuple[float, float]:
    """The bare Textual app, started the same way, to its 60 rows painted."""
    return _time_to(store, f"{sys.executable} -m benchmarks.bare_app",
                    lambda screen: "REF-0030" in screen)


def measure(store: Store, db: str, scale: str, label: str, runs: int, table: Table) -> None:
    # Warm the file cache and the bytecode of both, then take turns, so that both see the
    # same machine (a shared one changes by the minute).
    time_to_home(store, db, "ceri.hughes")
    time_bare(store)
    ours, bare, peaks = [], [], []
    for _ in range(runs):
        took, peak = time_to_home(store, db, "ceri.hughes")
        ours.append(took * 1000)
        peaks.append(peak)
        bare.append(time_bare(store)[0] * 1000)
    bare_key = f"bare.start.{scale}"
    table.add(Figure(bare_key, f"bare Textual app: start to 60 painted rows (beside {label})",
                     bare))
    table.add(Figure(f"start.{scale}", f"start to painted inbox, warm ({label})", ours,
                     bare=bare_key, times_bare=BASELINE_TIMES))
    table.add(Figure(f"memory.start.{scale}", f"peak memory at the painted inbox ({label})",
                     peaks, unit="MB", budget=300.0))


def tmux_missing() -> bool:
    if shutil.which("tmux") is None:
        print("tmux is not installed: cannot measure start-up in a terminal")
        return True
    return False
