"""Toasts belong to the screen they were given on, a repeated one replaces the one on show,
and a message given while a dialog is open goes to a line inside the dialog."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets._toast import Toast

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.switch_user import SwitchUserDialog
from crm_tui.ui.screens.calendar import CalendarScreen
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.toasts import NOTICE_ID
from tests.ui.keys import settle

SIZE = (100, 30)


def toasts(app: App[object]) -> list[str]:
    return [str(t._notification.message) for t in app.screen.query(Toast)]


async def test_quick_switches_leave_one_toast_which_stays_on_its_screen(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        for login in ("tomasz.nowak", "ceri.hughes", "priya.raman", "ceri.hughes"):
            await pilot.press("u")
            dialog = app.screen
            assert isinstance(dialog, SwitchUserDialog)
            dialog.dismiss(login)
            await pilot.pause()
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        switched = [n for n in app._notifications if n.title == "Switched user"]
        assert len(switched) == 1 and "Ceri Hughes" in switched[0].message
        assert len([t for t in toasts(app) if "Now acting as" in t]) == 1
        await pilot.press("d")  # leaving the screen: its toast goes
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert toasts(app) == [] and not list(app._notifications)


async def test_a_message_during_a_dialog_goes_inside_it(db: Path) -> None:
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("s")  # refused for the Head of Service: a toast on the calendar
        await settle(pilot)
        assert any("review sessions" in t for t in toasts(app))
        await pilot.press("u")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SwitchUserDialog)
        assert toasts(app) == []  # the calendar's refusal does not follow onto the dialog
        app.notify("Something to say", title="Heads up")
        await pilot.pause()
        assert toasts(app) == []
        notice = dialog.query_one(f"#{NOTICE_ID}")
        assert "Heads up: Something to say" in str(notice.render())


async def test_a_toast_reaches_the_right_edge_leaving_no_stray_letter(db: Path) -> None:
    # The toast rack's hidden scroll bar left the last two columns see-through: the screen's
    # own text showed at a toast's edge ("...the restrictions g").
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.notify("Cannot decide yet: the letter cannot go: " + "word " * 60, timeout=30)
        await pilot.pause()
        await pilot.pause()
        [toast] = list(app.screen.query(Toast))
        assert toast.region.right == SIZE[0]
