"""Switching user over and over (`u`, demo only) keeps nothing of the switches before: no
widget, watcher, listener or worker of a screen or dialog that has gone stays alive (t15 #1: the
app grew by several MB a switch, 120 MB to 265 MB over three series of fifteen rounds)."""

from __future__ import annotations

import gc
from collections import Counter
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget

from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.ui.keys import on_top, press_settled, settle, terminal_burst

# Switch to the next person, open the picker and cancel it, switch back (the tester's round).
ROUND = ("u", "down", "enter", "u", "escape", "u", "home", "enter")
RESTRICTED = "UPV-2025-0006"
TRANSIENT = {"Toast", "ToastHolder"}  # a decision letter issued: the case's letters show it


async def rounds(pilot: Pilot[Any], count: int) -> None:
    terminal_burst(pilot, *ROUND * count)
    for _ in range(4):
        await settle(pilot)


def alive(app: CrmApp) -> Counter[str]:
    """What a switch could leave behind, by kind: widgets (screens and dialogs among them),
    watchers of the app's reactives, listeners of its case changes, workers."""
    gc.collect()
    found = Counter(type(o).__name__ for o in gc.get_objects() if isinstance(o, Widget))
    for name, entries in getattr(app, "__watchers", {}).items():
        found[f"watching app.{name}"] = len(entries)
    found["listening for changes"] = sum(
        len(callbacks) for callbacks in app.case_changed._subscriptions.values())
    found["workers"] = len(app.workers)
    return found


async def test_switching_user_again_and_again_keeps_nothing_alive(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    # With its toasts ("Switched user" at every round), as the app runs in a terminal.
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await on_top(pilot, CaseFileScreen(RESTRICTED))
        await press_settled(pilot, "W")
        assert isinstance(app.screen, CaseLettersScreen)
        await rounds(pilot, 2)  # whatever is made once (the picker's first reading) is made
        before = alive(app)
        await rounds(pilot, 4)
        after = alive(app)
        assert app.actor.login == "ceri.hughes" and isinstance(app.screen, CaseLettersScreen)
        # The toasts on show at the moment counted differ by when their time ran out (one run
        # in two counted two more): transient by design, each gone within its time; what must
        # not grow is what a switch keeps for good.
        grown = {kind: after[kind] - before[kind] for kind in after
                 if after[kind] > before[kind] and kind not in TRANSIENT}
        assert not grown, f"alive after 4 more rounds of switching, not before: {grown}"
