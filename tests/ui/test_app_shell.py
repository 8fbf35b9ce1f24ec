"""The app shell at the keyboard: areas, the acting user, the palette, the audit check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Tab

from crm_tui.domain.roles import Role
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.screens.audit_trail import AuditTrailScreen
from crm_tui.ui.screens.home import HomeScreen
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.team import TeamScreen
from crm_tui.ui.widgets.count_card import CountCard
from tests.ui.keys import settle

SIZE = (120, 36)


async def _settle(app: CrmApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_home_shows_live_counts(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        counts = {c.id: c.count for c in app.screen.query(CountCard)}
        # The inbox's New tab, as that tab counts it (v20 AW6: 3 counted the case under
        # consideration too, while the tab said "New 2").
        assert counts["card-awaiting_consideration"] == 2
        card = app.screen.query_one("#card-awaiting_consideration", CountCard)
        assert card.label == "New referrals awaiting consideration"
        await pilot.press("i")
        await _settle(app, pilot)
        tab = app.screen.query_one("#tab-new", Tab)
        assert str(tab.label).split() == ["New", "2"], tab.label
        await pilot.press("h")
        await _settle(app, pilot)
        assert counts["card-appeals_pending"] == 1
        assert app.screen.query_one("#card-reviews_overdue", CountCard).has_class("-alert")
        assert "Ceri Hughes" in app.sub_title


async def test_keys_move_between_areas(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await _settle(app, pilot)
        assert isinstance(app.screen, AuditTrailScreen)
        table = app.screen.query_one("DataTable")
        assert table.row_count > 100  # type: ignore[attr-defined]
        await pilot.press("t")
        await _settle(app, pilot)
        assert isinstance(app.screen, TeamScreen)
        await pilot.press("h")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("i")
        assert isinstance(app.screen, InboxScreen)


async def test_area_list_opens_an_area_with_enter(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#area-nav").focus()
        # inbox, home, calendar, staff register, letters, audit trail
        await pilot.press("down", "down", "down", "down", "down", "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, AuditTrailScreen)


async def test_verify_audit_trail_from_the_keyboard(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await _settle(app, pilot)
        await pilot.press("v")
        await _settle(app, pilot)
        result = app.screen.query_one("#verify-result")
        assert result.has_class("-intact")
        assert "entries checked" in str(result.render())
        # The entries in the user's words: dates as the screens show them, no codes.
        import re

        from textual.widgets import DataTable, Static

        table = app.screen.query_one(DataTable)
        when, action = (str(table.get_row_at(0)[i]) for i in (1, 3))
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}", when), when
        assert "_" not in action and action[:1].isupper(), action
        detail = str(app.screen.query_one("#detail", Static).render())
        assert not re.search(r"\d{4}-\d{2}-\d{2}|[a-z]_[a-z]", detail), detail


async def test_palette_lists_areas_and_actions(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Go to Home (h)", "Go to Audit trail (a)", "Go to Team and roles (t)",
                       "Verify chain", "Switch user: Liam Doyle"):
            assert wanted in titles
        # Textual's own commands in the user's words (round 8: "Save an SVG 'screenshot'").
        helps = [c.help for c in app.get_system_commands(app.screen)]
        assert "Picture of the screen" in titles and "Screenshot" not in titles
        assert not any("SVG" in h or "'screenshot'" in h for h in helps), helps
        await pilot.press("ctrl+p")
        await pilot.press(*"audit trail")
        await _settle(app, pilot)  # the palette's search, a worker
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, AuditTrailScreen)


async def test_switch_user_in_demo_rescopes_counts(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        # Choose Liam Doyle, the Council Tax and Benefits manager.
        options = app.screen.query_one("OptionList")
        index = [o.id for o in options._options].index("liam.doyle")  # type: ignore[attr-defined]
        options.highlighted = index  # type: ignore[attr-defined]
        await pilot.press("enter")
        await _settle(app, pilot)
        await pilot.press("h")
        await _settle(app, pilot)
        assert app.actor.login == "liam.doyle"
        assert app.actor.role is Role.SERVICE_AREA_MANAGER
        assert "Liam Doyle" in app.sub_title
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#card-appeals_pending", CountCard).count == 1
        assert home.query_one("#card-awaiting_consultation", CountCard).count == 1
        assert home.query_one("#card-restrictions_in_force", CountCard).count == 4


async def test_no_user_switching_outside_the_demo(demo_db: Path) -> None:
    app = create_app(str(demo_db), "tomasz.nowak", demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        assert not any(c.title.startswith("Switch user") for c in
                       app.get_system_commands(app.screen))
        await pilot.press("t")
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert app.actor.login == "tomasz.nowak"


async def test_quit_key(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_home_shows_a_new_holder_of_a_decision_role_to_the_others(db: Path) -> None:
    from crm_tui.db.connection import open_database
    from crm_tui.services.core import users

    open_database(db)
    users.add_user(users.resolve_actor("morgan.price"), "nia.evans", "Nia Evans",
                   Role.SERVICE_DIRECTOR, staff_id="NM2001", os_account="nia")
    app = create_app(str(db), "priya.raman", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await _settle(app, pilot)
        notices = app.screen.query_one("#notices")
        assert notices.has_class("shown")
        text = str(notices.render())
        assert "Nia Evans" in text and "Morgan Price" in text


async def test_switching_user_is_for_the_demo_only(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes", demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await _settle(app, pilot)
        assert app.actor.login == "ceri.hughes"
        assert not any(s.__class__.__name__ == "SwitchUserDialog" for s in app.screen_stack)
        said = [n.message for n in app._notifications]
        assert any("works only on a demo database" in m for m in said), said
        app.switch_user("gareth.bell")
        await _settle(app, pilot)
        assert app.actor.login == "ceri.hughes"


async def test_switches_typed_fast_each_count(db: Path, monkeypatch: Any) -> None:
    """Round 8: `u Down Enter` three times, quickly, from Ceri Hughes ended one person short:
    the next list opened before the switch had landed, counted from the person acting before
    it, and chose the same person again. Keys pressed while a switch lands wait for it."""
    import time

    from textual import events

    from crm_tui.services.core import users
    from crm_tui.ui.dialogs.switch_user import SwitchUserDialog

    resolve = users.resolve_actor

    def slow(login: str) -> Any:
        time.sleep(0.3)  # a loaded machine
        return resolve(login)

    monkeypatch.setattr(users, "resolve_actor", slow)

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        logins = [u.login for u in app.known_users]
        start = logins.index("ceri.hughes")
        for key in ("u", "down", "enter") * 3:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(5):
            await settle(pilot)
        assert not isinstance(app.screen, SwitchUserDialog)
        assert app.actor.login == logins[(start + 3) % len(logins)]
