"""The freeze found in issue 15: after switching user the picker stayed on screen for good,
ignoring Esc, with a toast's timer looping. A toast built for a notification that has just run
out is given a negative interval, which Textual's timer loops on without awaiting. The race
is made certain here: the toast is built after its notification has run out, over the picker."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from textual.timer import Timer

from crm_tui.ui.timer_guard import SHORTEST, install

# Run in a child process: if the guard failed, the event loop would spin for ever, and a hang
# in this process would stop the whole test run instead of failing this test.
SCRIPT = textwrap.dedent("""
    import asyncio, sys, time
    from textual.notifications import Notification
    from textual.widgets._toast import Toast
    from crm_tui.ui.app import create_app
    from crm_tui.ui.dialogs.switch_user import SwitchUserDialog

    async def main() -> None:
        app = create_app(sys.argv[1], "ceri.hughes", demo=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("u")
            # Bounded waits, not one pause: on a loaded machine (-n 4) a screen change took
            # more than one pause, and the test read the screen before it (failed once).
            for _ in range(100):
                if isinstance(app.screen, SwitchUserDialog):
                    break
                await pilot.pause(0.05)
            assert isinstance(app.screen, SwitchUserDialog), app.screen
            ran_out = Notification("Now acting as someone", timeout=0.001)
            time.sleep(0.01)  # its time runs out before its toast is built
            await app.screen.mount(Toast(ran_out))
            await pilot.pause(0.2)
            await pilot.press("escape")
            for _ in range(100):
                if not isinstance(app.screen, SwitchUserDialog):
                    break
                await pilot.pause(0.05)
            assert not isinstance(app.screen, SwitchUserDialog), "Esc was ignored"
        print("answered")

    asyncio.run(main())
""")


def test_a_toast_that_ran_out_does_not_freeze_the_user_picker(db: Path) -> None:
    try:
        done = subprocess.run([sys.executable, "-c", SCRIPT, str(db)], capture_output=True,
                              text=True, timeout=90)
    except subprocess.TimeoutExpired:
        raise AssertionError("the app froze: the toast's timer spun for ever") from None
    assert done.returncode == 0, done.stderr[-2000:]
    assert "answered" in done.stdout


class _Target:
    """Anything a timer can hold a weak reference to."""


def test_no_timer_is_shorter_than_a_millisecond() -> None:
    install()
    target = _Target()
    assert Timer(target, -5.0)._interval == SHORTEST  # type: ignore[arg-type]
    assert Timer(target, 0)._interval == SHORTEST  # type: ignore[arg-type]
    assert Timer(target, 0.5)._interval == 0.5  # type: ignore[arg-type]
