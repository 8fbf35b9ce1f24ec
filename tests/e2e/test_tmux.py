"""The real program in a real terminal (tmux), as a user starts it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FROZEN_NOW

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
CRM_TUI = str(Path(sys.executable).with_name("crm-tui"))
# A tmux server of the tests' own, started with no inherited output: a server that held the
# test run's stdout open would keep anything reading that output (CI's log) waiting forever.
SOCKET = f"crm-tui-tests-{os.getpid()}"


def tmux(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload]
        ["tmux", "-L", SOCKET, "-f", "/dev/null", *args], stdin=subprocess.DEVNULL,
        capture_output=True, text=True, check=False, **kwargs)


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def screen(self) -> str:
        return str(tmux("capture-pane", "-t", self.session, "-p").stdout)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")

    def press(self, *keys: str) -> None:
        tmux("send-keys", "-t", self.session, *keys)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    session = f"crm-e2e-{uuid.uuid4().hex[:8]}"
    # COLUMNS and LINES (set by some runners) would override the terminal's real size.
    inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env = {**inherited, "CRM_TUI_NOW": FROZEN_NOW, "CRM_TUI_DATA_DIR": str(tmp_path / "data"),
           "CRM_TUI_CONFIG_DIR": str(tmp_path / "config"), "TERM": "xterm-256color"}
    db = tmp_path / "demo.sqlite3"
    command = f"{CRM_TUI} demo --db {db}; echo EXITED $?; sleep 30"
    started = tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", command,
                   env=env)
    assert started.returncode == 0, started.stderr
    # A new server may size the window from its defaults; make it the size asked for.
    tmux("resize-window", "-t", session, "-x", "120", "-y", "36")
    yield Terminal(session)
    tmux("kill-server")


def test_start_see_home_move_and_quit(terminal: Terminal) -> None:
    terminal.wait_for("Considering 1")
    terminal.press("h")
    terminal.wait_for("Referrals awaiting consideration")
    screen = terminal.wait_for("Saturday 28 November 2026")
    assert "Ceri Hughes" in screen
    terminal.press("a")
    screen = terminal.wait_for("Audit trail: every change")
    terminal.wait_for("import log sheets")
    terminal.press("v")
    terminal.wait_for("Intact:")
    terminal.press("q")
    terminal.wait_for("EXITED 0")
