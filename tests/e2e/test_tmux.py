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


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-t", self.session, "-p"],
                              capture_output=True, text=True, check=False).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")

    def press(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, *keys], check=True)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.session],
                              capture_output=True, check=False).returncode == 0


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    session = f"crm-e2e-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CRM_TUI_NOW": FROZEN_NOW, "CRM_TUI_DATA_DIR": str(tmp_path / "data"),
           "CRM_TUI_CONFIG_DIR": str(tmp_path / "config"), "TERM": "xterm-256color"}
    db = tmp_path / "demo.sqlite3"
    command = f"{CRM_TUI} demo --db {db}; echo EXITED $?; sleep 30"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36",
                    command], check=True, env=env)
    yield Terminal(session)
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


def test_start_see_home_move_and_quit(terminal: Terminal) -> None:
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
