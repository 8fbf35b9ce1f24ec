"""The inbox at start is styled once and laid out with its first page (issue 17: start to a
painted inbox within 1.5 times a bare Textual app).

Before: every style sheet was parsed three times before the first paint (the inbox's own
stylesheet read as it was first shown, then again as Textual refreshes the CSS for the first
screen of a mode, then again as the inbox's widgets mounted, what was parsed forgotten); the
screen was styled again for the terminal's size after its first layout; and the first page,
read by a worker started once the screen had mounted, came after the first layout, which was
done again for it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import DataTable

from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.screens.inbox import FirstRead, InboxScreen

SIZE = (160, 50)


async def _painted(app: CrmApp) -> None:
    while not (isinstance(app.screen, InboxScreen)
               and app.screen.query_one("#cases", DataTable).row_count):
        await asyncio.sleep(0.005)
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()


async def test_the_inbox_is_styled_once_and_laid_out_with_its_first_page(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed_again: list[str] = []
    layouts: list[tuple[int, frozenset[str]]] = []
    reparse = Stylesheet.reparse
    refresh_layout = Screen._refresh_layout

    def counted_reparse(self: Stylesheet) -> None:
        parsed_again.append("reparse")
        reparse(self)

    def seen_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        if isinstance(self, InboxScreen):
            layouts.append((self.query_one("#cases", DataTable).row_count,
                            frozenset(self.classes)))
        refresh_layout(self, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "reparse", counted_reparse)
    monkeypatch.setattr(Screen, "_refresh_layout", seen_layout)
    # The first page is read on its own thread as the app starts; on a loaded machine (the
    # suite at -n 4) it was not in by the time the inbox mounted, which then waits for it in
    # its worker, as it should. What is tested is the read done by then: laid out once with
    # its rows, not laid out and then again for them.
    monkeypatch.setattr(FirstRead, "ready", FirstRead.wait)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE):
        await _painted(app)
        assert app.current_mode == "inbox"
        status = str(app.screen.query_one("#inbox-status").render())
        # Styled with the app's own colours, which Textual gives the app only after its first
        # screen is composed: "Assigned to me" was drawn in its background's colour.
        mine = app.screen.query_one("#mine").rich_style
        assert mine.color != mine.bgcolor, "a label drawn in its background's colour"
    # Not at all: the inbox's own stylesheet is read with the app's, and Textual's refresh of
    # the whole CSS for a mode's first screen is not needed at start (ui/app.py, first_inbox).
    assert parsed_again == [], "the style sheets were parsed again for the inbox"
    first_rows, first_classes = layouts[0]
    assert first_rows > 0, "the inbox was laid out before its first page was in"
    assert {"-wide", "-tall"} <= first_classes, "laid out before it had its size's classes"
    assert " shown" in status and "sorted by" in status



async def test_the_inbox_is_not_styled_again_whole_as_it_is_first_shown(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual styles every widget again as a screen is shown (ScreenResume), for what may
    have changed while it was away: at start the inbox had been styled as its widgets
    mounted, a moment before, and its 45 widgets were styled a second time for nothing
    (some 60 of the 190 style applications before the first paint). Once now, and drawn
    the same (tests/snapshots)."""
    whole: list[str] = []
    update_node_styles = DOMNode.update_node_styles

    def counted(self: DOMNode, animate: bool = True) -> None:
        if isinstance(self, InboxScreen):
            whole.append("restyled")
        update_node_styles(self, animate)

    shown: list[str] = []
    screen_resume = Screen._on_screen_resume

    def resumed(self: Screen[Any], event: Any) -> None:
        if isinstance(self, InboxScreen):
            shown.append("shown")
        screen_resume(self, event)

    monkeypatch.setattr(DOMNode, "update_node_styles", counted)
    monkeypatch.setattr(Screen, "_on_screen_resume", resumed)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await _painted(app)
        assert whole == [], "the inbox was styled again whole before its first paint"
        # Textual's own handler, once (Textual calls each class's handler in turn).
        assert shown == ["shown"], "Textual's handler of a screen shown ran twice"
        mine = app.screen.query_one("#mine").rich_style
        assert mine.color != mine.bgcolor, "a label drawn in its background's colour"
        # Shown again after another area: styled again as Textual does, for what changed.
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        assert whole, "the inbox was not styled again when shown again"
        assert shown == ["shown", "shown"]


async def test_the_footers_keys_are_styled_once_as_they_mount(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each key of Textual's footer gives itself its compact class as it mounts, and was
    styled again for it, one key at a time, before the inbox's first paint. Given it as
    the footer is composed, the keys are styled once, and look as before (compact)."""
    from textual.widgets._footer import FooterKey

    again: list[str] = []
    update_node_styles = DOMNode.update_node_styles

    def counted(self: DOMNode, animate: bool = True) -> None:
        if isinstance(self, FooterKey):
            again.append(self.key)
        update_node_styles(self, animate)

    monkeypatch.setattr(DOMNode, "update_node_styles", counted)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE):
        await _painted(app)
        keys = list(app.screen.query(FooterKey))
        assert keys and all(key.has_class("-compact") for key in keys)
        assert again == [], "the footer's keys were styled again one by one"


async def test_the_footer_is_composed_once_before_the_inbox_is_painted_and_follows_the_keys(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The inbox's keys change four times as it is first shown (focus given to the list, its
    rows read, the screen shown on top, its keys looked at again once idle), each time to the
    same keys: the footer was composed again three times for them. Once now; a real change
    (the search focused: Enter no longer opens a case) still shows."""
    from crm_tui.ui.widgets.keys_footer import FitsKeys
    from tests.ui.keys import shown_keys

    composed: list[str] = []
    recompose = FitsKeys.recompose

    async def counted(self: FitsKeys) -> None:
        composed.append(type(self.screen).__name__)
        await recompose(self)

    monkeypatch.setattr(FitsKeys, "recompose", counted)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await _painted(app)
        assert composed == ["InboxScreen"], "the footer was composed again for the same keys"
        before = shown_keys(app)
        assert "enter" in before
        await pilot.press("slash")
        await pilot.pause()
        await pilot.pause()
        after = shown_keys(app)
        assert "enter" not in after, "the footer kept the list's keys with the search focused"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert shown_keys(app) == before


async def test_the_terminals_size_told_twice_lays_the_inbox_out_once_for_it(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal's size reaches the app twice at start (as the app starts, and from the
    terminal): Textual kept the second, unchanged, and sent it to the screen once idle, and
    the inbox was laid out again for it before its first paint (three screen resizes where
    two do). A size that changes still lays the inbox out for it, narrow classes and all."""
    resized: list[tuple[int, int]] = []
    on_resize = Screen._on_resize

    async def counted(self: Screen[Any], event: Any) -> None:
        if isinstance(self, InboxScreen):
            resized.append(tuple(event.size))
        await on_resize(self, event)

    monkeypatch.setattr(Screen, "_on_resize", counted)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await _painted(app)
        # Once from the app's start, once as the screen is first laid out (Textual's own).
        assert resized == [SIZE, SIZE], "the inbox was resized again to the same size"
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.pause()
        assert resized[-1] == (100, 30)
        assert {"-narrow", "-short"} <= set(app.screen.classes)
        assert app.screen.query_one("#cases", DataTable).size.width < 100


async def test_the_inbox_is_drawn_once_to_its_first_paint_with_its_keys_and_tabs_fitted(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The inbox was drawn at its first layout, before its tab strip and footer had fitted
    their tabs and keys to the widths that layout gave them: drawn again then, most of the
    screen over, and the footer's keys at the right edge a third time (issue 17: two full
    renders and some 45 ms of the CPU). Drawn once now, settled: every key shown and the tabs
    fitted in that one drawing."""
    from textual._compositor import Compositor
    from textual.widgets import Tab
    from textual.widgets._footer import FooterKey

    drawings: list[tuple[set[str], set[str]]] = []
    render_update = Compositor.render_update

    def drawn(self: Compositor, *args: Any, **kwargs: Any) -> Any:
        if isinstance(self.root, InboxScreen):
            shown = self.visible_widgets
            drawings.append(({key.key for key in shown if isinstance(key, FooterKey)},
                             {tab.id or "" for tab in shown if isinstance(tab, Tab)}))
        return render_update(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", drawn)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await _painted(app)
        first = list(drawings)
        keys = {key.key for key in app.screen.query(FooterKey) if key.display}
        tabs = {tab.id or "" for tab in app.screen.query(Tab) if tab.display}
        assert {"enter", "question_mark"} <= keys
        # Drawn as before after that: a key pressed is shown.
        await pilot.press("down")
        await pilot.pause()
        assert len(drawings) > len(first)
    assert len(first) == 1, f"the inbox was drawn {len(first)} times to its first paint"
    assert first[0] == (keys, tabs), "the first drawing was not the settled inbox"
