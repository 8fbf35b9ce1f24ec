"""Switching user (`u`): a screen showing a case the new person may not see is blanked and
closed, in this area at once and in another on return; a second Enter in the picker is
harmless."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, ServiceArea
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.dialogs.switch_user import SwitchUserDialog
from crm_tui.ui.screens.calendar import CalendarScreen
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import settle

SIZE = (140, 40)


def another_area_case(db: Path) -> str:
    open_database(db)
    housing = ServiceArea.get(ServiceArea.name == "Housing Services")
    case = Case.select().where(Case.service_area != housing).order_by(Case.reference).first()
    assert case is not None
    return str(case.reference)


async def switch_to(pilot: Pilot[Any], app: CrmApp, login: str, enters: int = 1) -> None:
    await pilot.press("u")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, SwitchUserDialog)
    logins = [u.login for u in dialog.users]
    steps = logins.index(login) - logins.index(app.actor.login)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await pilot.press(*["enter"] * enters)
    await settle(pilot)


async def test_screens_of_a_case_the_new_person_may_not_see_close(db: Path) -> None:
    ref = another_area_case(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")  # in another area: the case's letters
        await settle(pilot)
        letters = CaseLettersScreen(ref)
        app.push_screen(letters)
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        stacked = [CaseFileScreen(ref), RestrictionBuilderScreen(ref), EvidenceScreen(ref)]
        for screen in stacked:
            app.push_screen(screen)
            await settle(pilot)
        await switch_to(pilot, app, "hannah.okafor")
        assert app.actor.login == "hannah.okafor"
        assert isinstance(app.screen, InboxScreen)  # all three closed, no error on top
        assert not any(isinstance(s, ErrorDialog) for s in app.screen_stack)
        assert all(not s.is_attached or s.has_class("-closed-for-actor") for s in stacked)
        # The letters screen in the calendar area is blanked, and closed on return there.
        assert letters.has_class("-closed-for-actor")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)


async def test_a_second_enter_in_the_picker_is_harmless(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SwitchUserDialog)
        await pilot.press("down")
        # Two Enters read from the terminal in one go, before the picker has gone: the
        # second once dismissed the screen beneath ("Can't pop screen").
        dialog.action_choose()
        dialog.action_choose()
        await settle(pilot)
        assert app.actor.login != "ceri.hughes"
        assert isinstance(app.screen, InboxScreen) and len(app.screen_stack) == 1
        await switch_to(pilot, app, "ceri.hughes", enters=2)
        assert app.actor.login == "ceri.hughes"


async def test_switches_in_a_burst_land_where_each_pointed(db: Path) -> None:
    """Round 11: five fast rounds of `u Down Enter u Up Enter` once left the user acting as
    the first person of the list: keys typed before the picker was ready went past it. They
    are held until it is."""
    from textual import events

    from tests.ui.keys import settle

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(5):
            for key in ("u", "down", "enter", "u", "up", "enter"):
                app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(6):
            await settle(pilot)
        assert app.actor.login == "ceri.hughes"


async def test_a_switch_lands_when_the_list_of_people_is_read_at_once(db: Path) -> None:
    """The list of people (read again by `u` or the Team area) and the switch ran in one
    exclusive group: a read started before the switch began cancelled it, and the app stayed
    with the person before (a burst of switches once left the user administrator acting)."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.switch_user("priya.raman")
        app.load_users()
        await settle(pilot)
        assert app.actor.login == "priya.raman"


async def test_a_deactivated_person_is_not_offered_and_is_said_to_be_deactivated(
        db: Path) -> None:
    """v15 N6: a person deactivated was still offered by `u` and the palette, and choosing
    them said they were "not a user of this database"."""
    from crm_tui.services.core import confirmation, users
    from crm_tui.services.letters import signing_keys

    open_database(db)
    admin = users.resolve_actor("morgan.price")
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        users.deactivate(admin, "tomasz.nowak", "Left the team")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Switch user: Tomasz Nowak" not in titles
        assert "Switch user: Hannah Okafor" in titles
        await pilot.press("u")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SwitchUserDialog)
        logins = [u.login for u in dialog.users]
        assert "tomasz.nowak" not in logins and "hannah.okafor" in logins
        # Deactivated by another process while the picker is open, then chosen.
        with confirmation.given(signing_keys.DEMO_PASSPHRASE):
            users.deactivate(admin, "hannah.okafor", "Moved to another council")
        steps = logins.index("hannah.okafor") - logins.index("ceri.hughes")
        await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
        await settle(pilot)
        assert app.actor.login == "ceri.hughes"
        error = app.screen
        assert isinstance(error, ErrorDialog)
        assert error._message.startswith(
            'Hannah Okafor ("hannah.okafor") was deactivated by Morgan Price on '), \
            error._message
        assert "no longer use the app" in error._message
        assert "not a user of this database" not in error._message


async def test_the_picker_reads_a_record_edited_while_the_app_runs(db: Path) -> None:
    """v15e F6: a role edited in the database while the app ran: `u` listed the person
    unmarked, under the edited role (only a restart marked them), and the list was ordered by
    the edited role. The people are read again as the picker opens, each placed by the role
    the trail gives them."""
    import sqlite3

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SwitchUserDialog)
        before = [u.login for u in dialog.users]
        await pilot.press("escape")
        await settle(pilot)
        with sqlite3.connect(db) as con:
            con.execute("UPDATE user SET role = 'crm' WHERE login = 'tomasz.nowak'")
        con.close()
        await pilot.press("u")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SwitchUserDialog)
        [tomasz] = [u for u in dialog.users if u.login == "tomasz.nowak"]
        assert tomasz.record_edited
        assert [u.login for u in dialog.users] == before


async def test_choosing_the_person_acting_says_nothing_changed_and_switches_nothing(
        db: Path, monkeypatch: Any) -> None:
    """v15h: the picker opens on the person acting; Enter there said "Switched user · Now
    acting as Priya Raman" though nothing changed. It says so, reads nobody again, and lets
    go of the keys typed after it."""
    from textual import events

    from crm_tui.services.core import users
    from tests.ui.keys import told

    resolved: list[str] = []
    resolve = users.resolve_actor

    def counted_resolve(login: str) -> Any:
        resolved.append(login)
        return resolve(login)

    monkeypatch.setattr(users, "resolve_actor", counted_resolve)
    app = create_app(str(db), "priya.raman", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        resolved.clear()  # at start
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, SwitchUserDialog)
        await pilot.press("enter")  # on the person acting, where the picker opens
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen) and len(app.screen_stack) == 1
        assert app.actor.login == "priya.raman"
        assert resolved == []  # nobody read again
        said = told(app)
        assert "Still acting as Priya Raman, Head of Service, Legal Services Partnership: " \
            "nothing changed" in said, said
        assert not any("Now acting as" in m for m in said), said
        assert not app._holds  # the keys held at Enter let go
        # In a burst, the `u` after the Enter opens the picker again at once.
        for key in ("u", "enter", "u"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(3):
            await settle(pilot)
        assert isinstance(app.screen, SwitchUserDialog) and len(app.screen_stack) == 2
        assert app.actor.login == "priya.raman" and resolved == []
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert not app._holds
