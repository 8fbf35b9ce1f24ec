"""The palette finds every key of every screen, on that screen, by its name and by the first
word of its description, whether it works now or not (v20 AW1: "post" found no *Post today*
in the Letters area, nor from the inbox, though `?` listed it as not now); *Post today* is
found from every screen; and a fuzzy match comes after the actions whose description has the
word typed (AW2)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.app import SystemCommand
from textual.command import CommandPalette
from textual.fuzzy import Matcher
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable

from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.areas import AREAS
from crm_tui.ui.commands import ranked
from crm_tui.ui.keys_help import declared
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.ui.keys import settle

SIZE = (120, 36)
CONSIDERED = "UPV-2026-0005"  # under consideration, the Head of Service consulted


def _name(title: str) -> str:
    return re.sub(r"\s*\([^)]*\)$", "", title).strip()


def finds(commands: list[SystemCommand], query: str, name: str) -> bool:
    """Whether the palette, given `query`, lists a command called `name` (its key aside),
    by the same ranking its search uses."""
    matcher = Matcher(query)
    return any(_name(c.title) == name and ranked(query, matcher.match(c.title), c.title, c.help)
               for c in commands)


def missing(app: CrmApp, screen: Screen[Any]) -> list[str]:
    """Every key of `screen` and of the app with a name, that the palette there does not find
    by its name or by the first word of its description."""
    commands = list(app.get_system_commands(screen))
    lost = []
    for owner in (type(screen), type(app)):
        for binding, _keys in declared(owner):
            if not binding.description:
                continue  # the silent half of a key that says why
            if owner is type(app) and not app.check_action(binding.action.split("(")[0], ()):
                continue  # an app key that does not reach this screen (the area in hand)
            first = re.findall(r"\w+", binding.tooltip or binding.description)[0]
            for query in (binding.description, first):
                if not finds(commands, query, binding.description):
                    lost.append(f"{owner.__name__} {binding.id or binding.action} by {query!r}")
    if not finds(commands, "post", "Post today"):
        lost.append(f"Post today by 'post' on {type(screen).__name__}")
    return lost


async def test_every_key_of_every_screen_is_found_there(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    lost: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        async def visit(key: str) -> None:
            await pilot.press(key)
            await settle(pilot)
            lost.extend(missing(app, app.screen))

        for area in AREAS:
            await visit(area.key)
            assert app.current_mode == area.mode
        await visit("i")
        table = app.screen.query_one("#cases", DataTable)
        table.move_cursor(row=table.get_row_index(CONSIDERED))
        await settle(pilot)
        for key in ("enter", "W", "escape", "R", "escape", "v"):
            await visit(key)
    assert not lost, lost


async def typed(pilot: Pilot[Any], query: str) -> list[str]:
    """The titles the palette lists for `query` typed into it, in its order (left open)."""
    await pilot.press("ctrl+p", *query)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    titles: list[str] = []
    for _ in range(100):  # the search runs in a worker, after a short debounce
        await pilot.pause(0.03)
        options = palette.query_one("CommandList")._options  # type: ignore[attr-defined]
        now = [str(o.hit.text) for o in options if hasattr(o, "hit")]
        if now and now == titles and len(titles) > 0:
            break
        titles = now
    return titles


async def test_post_finds_post_today_from_the_inbox_and_in_the_letters_area(
        demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query in ("post", "posting", "post today", "print pack"):
            titles = await typed(pilot, query)
            assert "Post today" in titles, (query, titles)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen)
        titles = await typed(pilot, "post")
        assert "Post today (P)" in titles, titles
        # Chosen, it does what P does now: with nothing signed to post, says so.
        while app.screen.query_one("CommandList").highlighted is None or str(
                app.screen.query_one("CommandList").get_option_at_index(  # type: ignore[attr-defined]
                    app.screen.query_one("CommandList").highlighted).hit.text) != "Post today (P)":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen)
        assert any("waiting to be posted" in str(n.message) for n in app._notifications)


async def test_sign_lists_word_matches_before_fuzzy_ones(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = await typed(pilot, "sign")
        letters = titles.index("Go to Letters (l)")
        switch = next(i for i, t in enumerate(titles) if t.startswith("Switch user:"))
        assert letters < switch, titles
