"""Issue 15 (fixBB BB5): the palette found a key that cannot work now as "Not now: it does not
work for what is highlighted, at this stage or for your role" where the screen knew why (its
key, pressed, said it: the review calendar's `s` for a case officer, say). Each such entry
gives the screen's own reason, in its key's words; the generic words only where the screen
has none."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from crm_tui.services.core.users import resolve_actor
from crm_tui.services.reviews import review_session
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.commands import NOT_NOW, _key_refusal, _works
from crm_tui.ui.keys_help import declared, keys_of
from crm_tui.ui.screens.calendar import CalendarScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from crm_tui.ui.screens.retention import RetentionScreen
from crm_tui.ui.screens.screening import ScreeningScreen
from tests.ui.keys import settle
from tests.ui.test_palette_finds_ui import SIZE, listed


def _refused_without_words(screen: Screen[object]) -> list[str]:
    """The screen's keys that cannot work now while a key of theirs answers with why (a
    silent binding of the same key that works: its refusal), whose palette entry has no
    words of the screen's for it."""
    missing = []
    for entry in keys_of(screen):
        if entry.works_now or entry.namespace is not screen:
            continue
        refuser = [b for b, keys in declared(type(screen))
                   if b.action != entry.action and set(keys) & set(entry.raw_keys)
                   and not b.show and _works(screen, b.action)]
        if refuser and not _key_refusal(screen, entry.action):
            missing.append(f"{entry.title} ({entry.key_text}) -> {refuser[0].action}")
    return missing


async def test_review_session_says_the_role_may_not_hold_one(demo_db: Path) -> None:
    app = create_app(str(demo_db), "tomasz.nowak", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        why = review_session.refused(resolve_actor("tomasz.nowak"))
        assert why  # the premise: a case officer holds no review sessions
        helps = dict(await listed(pilot, "session", "Review session (s)"))
        said = helps["Review session (s)"]
        assert said.endswith(f"Not now: {why}"), said
        assert NOT_NOW not in said


async def _each_screen(app: CrmApp, pilot: object) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for make in (CalendarScreen, RetentionScreen, LettersScreen, ScreeningScreen,
                 lambda: CaseLettersScreen("UPV-2026-0005"),
                 lambda: CaseLettersScreen("UPV-2025-0005")):
        screen = make()
        app.push_screen(screen)
        await settle(pilot)  # type: ignore[arg-type]
        found[type(screen).__name__ + getattr(screen, "reference", "")] = \
            _refused_without_words(screen)
        app.pop_screen()
        await settle(pilot)  # type: ignore[arg-type]
    return found


async def test_every_key_that_says_why_says_it_in_the_palette(demo_db: Path) -> None:
    for user in ("tomasz.nowak", "ceri.hughes"):
        app = create_app(str(demo_db), user, demo=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            found = await _each_screen(app, pilot)
            assert not any(found.values()), (user, found)

