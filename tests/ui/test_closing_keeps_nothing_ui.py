"""A screen that shows cases, once closed, is freed: reading case files all morning (open,
look, Esc) does not grow the app (memBW: every case file, case's letters, evidence screen and
builder ever closed stayed alive with all its widgets, ~1.5-2 MB each, 82 MB to 293 MB over a
reading session). test_switching_keeps_nothing_ui.py cannot see this: switching user opens and
closes no such screen."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
from textual._context import visible_screen_stack
from textual.pilot import Pilot
from textual.screen import Screen

from crm_tui.ui import idle_collect
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.idle_collect import AFTER_SCREEN_CHANGE, QUIET
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.holders import why_kept
from tests.ui.keys import on_top, press_settled

RESTRICTED = "UPV-2025-0006"
# From the case file: its letters, its evidence, its restrictions (the builder), each closed.
OPENED_FROM_THE_CASE = (("W", CaseLettersScreen), ("v", EvidenceScreen),
                        ("R", RestrictionBuilderScreen))


def listening(app: CrmApp) -> int:
    """How many screens are told of each change to a case."""
    return len(app.case_changed._subscriptions)


async def read_the_case(pilot: Pilot[Any], drawn: list[weakref.ref[Any]] | None = None,
                        ) -> list[Screen[Any]]:
    """Open the case file, open and close each screen it leads to, close it; returns the
    screens opened, in order. `drawn`, if given, gets the styles cache of each of their
    widgets, taken just before the screen closes."""
    app = pilot.app

    async def close() -> None:
        if drawn is not None:
            drawn.extend(weakref.ref(widget._styles_cache)
                         for widget in (app.screen, *app.screen.walk_children()))
        await press_settled(pilot, "escape")

    opened: list[Screen[Any]] = [await on_top(pilot, CaseFileScreen(RESTRICTED))]
    for key, kind in OPENED_FROM_THE_CASE:
        await press_settled(pilot, key)
        assert isinstance(app.screen, kind), f"{key} opened {type(app.screen).__name__}"
        opened.append(app.screen)
        await close()
        assert app.screen is opened[0]
    await close()
    assert not isinstance(app.screen, CaseFileScreen)
    return opened


async def still_kept(pilot: Pilot[Any], refs: list[weakref.ref[Any]],
                     collect: Any = gc.collect) -> list[str]:
    """The type names of what `refs` still reach after a collection. On a loaded machine a
    closed screen's last read (a thread worker: the letters' preview is drawn in one) may
    still be running, and hold it, when the collection runs (CI, once: CaseLettersScreen;
    a helper, once: 28 of 148 styles caches); once it ends the next collection frees it.
    Waited for, bounded (10 s): what anything live keeps stays and fails.

    Pilot's pause paints the screen on top from the TEST's own task (Textual's
    `Pilot.pause` calls `screen._on_timer_update`), and Textual's compositor leaves the
    screens beneath the one painted in a context variable (`visible_screen_stack`) of the
    task that painted: the test's. A case file beneath the builder, painted over at a pause,
    stayed in the test's context until a later pause found something to paint (the failure
    one run in two: "CaseFileScreen held by: list <- Context <- Task (the running one)").
    The test's own holding is let go here; the app's tasks are left as they are."""
    visible_screen_stack.set([])
    kept: list[str] = []
    for _ in range(50):
        collect()
        kept = [type(ref()).__name__ for ref in refs if ref() is not None]
        if not kept:
            break
        await pilot.pause(0.2)
    return kept


def account(refs: list[weakref.ref[Any]]) -> str:
    """What holds the objects `refs` still reach (a failure message)."""
    alive = [ref() for ref in refs]
    return why_kept([obj for obj in alive if obj is not None], [refs, alive])


async def test_a_case_file_and_the_screens_it_opens_are_freed_once_closed(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await press_settled(pilot, "i")
        before = listening(app)
        closed = [weakref.ref(screen) for screen in await read_the_case(pilot)]
        # The latest screen closed can wait a moment for its finished worker to let it go:
        # the first round's screens are looked at after three more.
        for _ in range(3):
            await read_the_case(pilot)
        kept = await still_kept(pilot, closed)
        assert not kept, f"closed, still alive: {kept}\n{account(closed)}"
        assert listening(app) == before, "closed screens still told of each change"


async def test_textuals_styles_cache_lets_a_closed_screens_widgets_go(db: Path) -> None:
    """Textual's `StylesCache.get_inner_outer` keeps every widget's styles cache it drew with
    (textual#6665), and with it every line the widget rendered: 1024 gone widgets' worth."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await press_settled(pilot, "i")
        drawn: list[weakref.ref[Any]] = []
        await read_the_case(pilot, drawn)
        for _ in range(3):
            await read_the_case(pilot)
        kept = len(await still_kept(pilot, drawn))
        assert not kept, f"{kept} of {len(drawn)} closed widgets' styles caches still kept"


@pytest.mark.idle_collection
async def test_a_closed_screen_is_given_back_once_the_person_pauses(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app collects seldom (GC_THRESHOLDS): a closed screen, garbage in reference cycles,
    waited for a full collection while the heap grew. The app collects once the person pauses
    after a screen changed; Python's own collections are off here, so only that frees it."""
    collections: list[int] = []

    def collect(*args: Any) -> int:
        collections.append(1)
        return real_collect(*args)

    real_collect = gc.collect
    monkeypatch.setattr(idle_collect.gc, "collect", collect)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await press_settled(pilot, "i")
        gc.disable()
        try:
            closed = [weakref.ref(screen) for screen in await read_the_case(pilot)]
            await read_the_case(pilot)
            collections.clear()  # those the first round's screen changes asked for
            await pilot.pause(AFTER_SCREEN_CHANGE + QUIET + 1)
            assert collections, "no collection once the person paused"
            kept = [type(screen()).__name__ for screen in closed if screen() is not None]
            if kept:  # a closed screen's last worker still running: see still_kept
                kept = await still_kept(pilot, closed, real_collect)
        finally:
            gc.enable()
        assert not kept, f"closed, still alive after a pause: {kept}\n{account(closed)}"
