"""Footers (issue 15): at 100x30 and at 80x24 every footer, the screens' and the dialogs',
shows each key whole or not at all — Enter's action first, `? Help` always at its right edge —
never a key cut in the middle ("…x No action b" in the inbox, "u Switch us…")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.keys import DialogKeys
from tests.ui.keys import settle, shown_keys

SIZES = ((100, 30), (80, 24))


def footer_problems(app: App[Any]) -> list[str]:
    """Every key of every footer on the screen on top that is cut, or hidden under the keys
    docked at the right; a screen footer without `? Help` or without Enter's key first; a
    dialog wider or taller than the terminal."""
    problems: list[str] = []
    screen = app.screen
    for box in screen.children:  # a dialog never runs off the terminal
        if box.display and not box.has_class("-textual-system") and \
                not screen.region.contains_region(box.region):
            problems.append(f"{type(screen).__name__} {app.size.width}: {box} off the screen")
    for footer in screen.query(Footer):
        if not footer.display:
            continue
        box = footer.region
        docked = [w.region for w in footer.query("#right-keys")]
        shown = [k for k in footer.query(FooterKey) if k.display and k.parent is not None
                 and k.parent.display]
        for key in shown:
            where = key.region
            label = f"{type(screen).__name__} {app.size.width}: {key.key_display} " \
                    f"{key.description!r}"
            if where.width < key.get_content_width(where.size, where.size) or \
                    not box.contains_region(where):
                problems.append(f"{label} cut at the footer's edge")
            elif any(where.overlaps(d) for d in docked) and \
                    not any(d.contains_region(where) for d in docked):
                problems.append(f"{label} under the keys docked right")
        if isinstance(footer, DialogKeys):
            # A dialog shows its save and cancel keys, whatever else is left off (v20 AW3:
            # the Post today dialog, narrow, left off "esc Cancel").
            for key in footer.query(FooterKey):
                if key.key in ("escape", "ctrl+s") and not key.display:
                    problems.append(f"{type(screen).__name__} {app.size.width}: "
                                    f"{key.key_display} {key.description!r} left off")
        if footer.query("#right-keys"):
            keys = [k.key for k in shown]
            if "question_mark" not in keys:
                problems.append(f"{type(screen).__name__}: no ? Help")
            enter = [k for k in footer.children if getattr(k, "key", "") == "enter"]
            if enter and footer.children[0] is not enter[0]:
                problems.append(f"{type(screen).__name__}: Enter's key not first")
    return problems


async def check(pilot: Pilot[Any], problems: list[str]) -> None:
    """Look at the screen on top at the size it has, then at the other size (which it keeps:
    one resize a screen)."""
    problems.extend(await laid_out(pilot))
    width, height = SIZES[1] if pilot.app.size.width == SIZES[0][0] else SIZES[0]
    await pilot.resize_terminal(width, height)
    await settle(pilot)
    problems.extend(await laid_out(pilot))


async def laid_out(pilot: Pilot[Any]) -> list[str]:
    """The footer's problems once it has fitted its keys to the width: it fits them after
    the layout of a resize or a new screen, a refresh or two later, and a loaded machine
    showed the keys of the old width at the new one ("HomeScreen 80: f5 'Refresh' cut",
    once in several runs). A problem that lasts two seconds is one a user sees."""
    found = footer_problems(pilot.app)
    for _ in range(40):
        if not found:
            return found
        await pilot.pause(0.05)
        found = footer_problems(pilot.app)
    return found


async def test_no_footer_key_is_cut_on_any_screen_or_dialog(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    problems: list[str] = []
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        await check(pilot, problems)  # the inbox
        for mode in ("home", "calendar", "register", "letters", "audit", "team"):
            app.open_area(mode)
            await settle(pilot)
            await check(pilot, problems)
        app.open_area("calendar")
        await settle(pilot)
        await pilot.press("s")  # a review session
        await settle(pilot)
        await check(pilot, problems)
        await pilot.press("escape")
        await settle(pilot)

        from crm_tui.ui.screens.case_file import CaseFileScreen
        app.open_area("inbox")
        await settle(pilot)
        await app.push_screen(CaseFileScreen("UPV-2025-0002"))  # restricted, under review
        await settle(pilot)
        await check(pilot, problems)
        for key in ("v", "R", "W"):  # the evidence, the builder, the case's letters
            await pilot.press(key)
            await settle(pilot)
            await check(pilot, problems)
            if key == "v":
                for tab in "234":
                    await pilot.press(tab)
                    await settle(pilot)
                    if tab == "3":  # the analysis: the period it covers, and the bundle
                        await pilot.resize_terminal(*SIZES[0])
                        await settle(pilot)
                        assert {"p", "E"} <= shown_keys(app), shown_keys(app)
                    await check(pilot, problems)
                await pilot.press("l")  # the log-contact dialog
                await settle(pilot)
                await check(pilot, problems)
                await pilot.press("escape")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("question_mark")  # help
        await settle(pilot)
        await check(pilot, problems)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # back to the inbox
        await settle(pilot)
        await pilot.press("n")  # the referral form
        await settle(pilot)
        await check(pilot, problems)
    assert problems == []


async def test_the_keys_shown_are_a_prefix_in_priority_order(db: Path) -> None:
    """At 80 columns the calendar showed `x Export .ics` but not `s Review session` before it:
    a short later key took the gap left by a longer one dropped. Keys drop from the end."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for mode in ("calendar", "inbox", "home", "register", "letters"):
            app.open_area(mode)
            await settle(pilot)
            footer = app.screen.query_one(Footer)
            keys = [k for k in footer.children if k.id != "right-keys"]
            shown = [k.display for k in keys]
            if mode == "calendar":
                assert False in shown, "every key fits at 80 columns: the test proves nothing"
                # the way forward (a review session) comes first, so it is kept
                assert any(getattr(k, "key", "") == "s" and k.display for k in keys), \
                    [(getattr(k, "key", k), k.display) for k in keys]
            assert shown == sorted(shown, reverse=True), \
                f"{mode}: {[(getattr(k, 'key', k), k.display) for k in keys]}"


async def test_footers_offer_no_key_the_role_cannot_use(db: Path) -> None:
    """The Head of Service's Letters footer offered A Sign all and P Post today, which only
    refused; the Service Director's screening queue offered Enter for an Outcome. Those keys
    are not in the footer, and pressed anyway still say why."""
    from crm_tui.ui.screens.letters_area import LettersScreen
    from crm_tui.ui.screens.screening import ScreeningScreen

    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(LettersScreen())
        await settle(pilot)
        keys = shown_keys(app)
        assert "v" in keys and "A" not in keys and "P" not in keys
        await pilot.press("P")
        await settle(pilot)
        assert any("may not post letters" in str(n.message) for n in app._notifications)
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(ScreeningScreen())
        await settle(pilot)
        assert "enter" not in shown_keys(app) and "escape" in shown_keys(app)


async def test_rarer_keys_show_last_where_the_width_leaves_room(db: Path) -> None:
    """b15e: `L` (import a log sheet) was in the evidence footer at no width, `u` (switch user,
    demo) in no footer: both were guessed. Now last in the footer, where the width allows,
    after the way forward."""
    from crm_tui.ui.screens.evidence import EvidenceScreen

    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        assert "u" in shown_keys(app)  # the inbox, with room to spare
        app.push_screen(EvidenceScreen("UPV-2026-0005"))
        await settle(pilot)
        assert "L" not in shown_keys(app)  # the documents: not a log sheet step
        await pilot.press("2")  # the log sheet
        await settle(pilot)
        assert {"l", "L", "u"} <= shown_keys(app), shown_keys(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "l" in shown_keys(app) and "u" not in shown_keys(app)  # the way forward first


@pytest.fixture
def outcome_to_post(db: Path, tmp_path: Path) -> Path:
    """The demo with an appeal outcome letter signed, waiting to be posted (signed outside the
    test's event loop: signing runs one of its own)."""
    from tests.demo_outcome_unposted import outcome_signed_not_posted

    outcome_signed_not_posted(tmp_path / "out", db)
    return db


async def test_the_post_today_dialog_narrow_shows_save_and_cancel(outcome_to_post: Path) -> None:
    """v20 AW3: P in the case's letters with only an appeal outcome letter waiting (no "Appeal
    by" column: the dialog at its narrowest) showed "⏎ Leave out / put back ctrl+s Make the
    pack and record the posting", no "esc Cancel"."""
    from crm_tui.ui.dialogs.post_today import PostTodayDialog
    from crm_tui.ui.screens.case_letters import CaseLettersScreen
    from tests.demo_outcome_unposted import APPEALED
    from tests.ui.keys import on_top, press_settled

    app = create_app(str(outcome_to_post), "ceri.hughes")
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        await on_top(pilot, CaseLettersScreen(APPEALED))
        await press_settled(pilot, "P")
        assert isinstance(app.screen, PostTodayDialog)
        assert app.screen.query_one("#post-form").size.width < SIZES[0][0] - 4
        problems = await laid_out(pilot)
        assert problems == []
        assert {"escape", "ctrl+s", "enter"} <= shown_keys(app), shown_keys(app)
        await check(pilot, problems)  # and at 80x24
        assert problems == []
