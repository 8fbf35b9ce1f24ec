"""The real program in a real terminal (tmux): the terminal the e2e tests type into and read
from, and how the program is started in it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import FROZEN_NOW

CURSOR = "\x1b[48;5;32m"
ESCAPES = re.compile(r"\x1b\[[0-9;]*m")
CRM_TUI = str(Path(sys.executable).with_name("crm-tui"))
# The demo is built before the app opens: on a loaded 2-core machine that takes a while.
DEMO_BUILD = 120.0
# After an Escape, before the next key (see Terminal.escape).
ESCAPE_GAP = 0.3
# A question takes no key in its first 0.4 s on screen, nor one typed on without a pause
# (crm_tui/ui/dialogs/question_keys.py, QUESTION_GRACE): its key is pressed once it has been
# read, as a person does.
READ_QUESTION = 0.5
# A tmux server of the tests' own, started with no inherited output: a server that held the
# test run's stdout open would keep anything reading that output (CI's log) waiting forever.
# A server per test, too: one still shutting down must not receive the next test's session.
def tmux(socket: str, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    done: subprocess.CompletedProcess[str] = subprocess.run(  # type: ignore[call-overload]
        ["tmux", "-L", socket, "-f", "/dev/null", *args], stdin=subprocess.DEVNULL,
        capture_output=True, text=True, check=False, **kwargs)
    return done


class Terminal:
    def __init__(self, socket: str, session: str) -> None:
        self.socket = socket
        self.session = session

    def screen(self) -> str:
        return str(tmux(self.socket, "capture-pane", "-t", self.session, "-p").stdout)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")

    def shows(self, text: str, within: float) -> bool:
        """Whether `text` is on the screen within `within` seconds (looked for meanwhile)."""
        deadline = time.monotonic() + within
        while True:
            if text in self.screen():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def press(self, *keys: str) -> None:
        tmux(self.socket, "send-keys", "-t", self.session, *keys)

    def answer(self, question: str, key: str) -> None:
        """Wait for the question (text it shows) to be on screen, read it, press `key`."""
        self.wait_for(question)
        time.sleep(READ_QUESTION)
        self.press(key)

    def escape(self, timeout: float = 20) -> str:
        """Escape, and the screen changed by it. The terminal reads a key sent within its
        escape delay after Escape (Textual's ESCDELAY, 0.1 s) as alt+key, so the next key
        waits ESCAPE_GAP whatever the screen shows (a screen still drawing changed before
        the Escape had acted, and an Escape and `q` were read as alt+q)."""
        before = self.screen()
        self.press("Escape")
        time.sleep(ESCAPE_GAP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if screen != before:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"Escape changed nothing; the screen shows:\n{before}")

    def search(self, reference: str) -> None:
        """From the inbox: find `reference` with the search box and go back to the list, the
        case's row under the cursor (Enter then opens it)."""
        self.press("/")
        self.press("-l", reference)
        self.wait_for("1 of 1 shown")
        self.press("Enter")  # from the search box back to the list

    def leave_case_and_quit(self) -> None:
        """From a screen of a case (its evidence, its builder) back past the case file to
        the inbox, each Escape once the last has acted, and quit."""
        self.escape()
        self.escape()
        self.press("q")
        self.wait_for("EXITED 0")

    def keys(self, *names: str, pace: float = 0.2) -> None:
        """Keys one at a time, at a person's pace: a menu opens, a worker answers, between one
        key and the next (two Escapes sent at once read as one alt+Escape)."""
        for name in names:
            self.press(name)
            time.sleep(pace)

    def type(self, text: str) -> None:
        self.press("-l", text)
        time.sleep(0.2)

    def line_with(self, text: str) -> str:
        """The first line of the screen holding `text` (a table's row, the footer)."""
        return next((line for line in self.screen().splitlines() if text in line), "")

    def cursor_row(self) -> str:
        """The text of the table row under the cursor: the one line drawn in the cursor's
        colours (Textual's default theme: bold on blue 32), read from the escape codes."""
        styled = str(tmux(self.socket, "capture-pane", "-t", self.session, "-p", "-e").stdout)
        for line in styled.splitlines():
            if CURSOR in line:
                return ESCAPES.sub("", line)
        return ""


def _env(folder: Path) -> dict[str, str]:
    # COLUMNS and LINES (set by some runners) would override the terminal's real size.
    inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**inherited, "CRM_TUI_NOW": FROZEN_NOW, "CRM_TUI_DATA_DIR": str(folder / "data"),
            "CRM_TUI_CONFIG_DIR": str(folder / "config"), "TERM": "xterm-256color",
            # The real program would keep the demo's passphrase in a keyring: never yours.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def _started(command: str, env: dict[str, str]) -> Iterator[Terminal]:
    session = f"crm-e2e-{uuid.uuid4().hex[:8]}"
    socket = f"crm-tui-{session}"
    started = tmux(socket, "new-session", "-d", "-s", session, "-x", "120", "-y", "36", command,
                   env=env)
    assert started.returncode == 0, started.stderr
    # A new server may size the window from its defaults; make it the size asked for.
    tmux(socket, "resize-window", "-t", session, "-x", "120", "-y", "36")
    yield Terminal(socket, session)
    tmux(socket, "kill-server")
