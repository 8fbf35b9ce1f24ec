"""The app notices when the person it acts as is deactivated from another terminal, says they
can no longer act and offers `u` (the demo) or quit (found when tried: it kept acting as them,
and logged a contact in their name)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.access_ended import AccessEndedDialog
from crm_tui.ui.dialogs.switch_user import SwitchUserDialog
from crm_tui.ui.screens.team import TeamScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.ui.keys import settle
from tests.unit.services.core.test_outside_changes import write_from_outside


async def test_a_person_deactivated_elsewhere_is_told_and_offered_u(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    app.OUTSIDE_CHANGES_EVERY = 0.05
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, AccessEndedDialog)
        write_from_outside(db, "", "deactivate_user", (
            "UPDATE user SET active = 0 WHERE login = ?", ("ceri.hughes",)))
        for _ in range(100):  # told within about one look (0.05 s here)
            await pilot.pause(0.05)
            if isinstance(app.screen, AccessEndedDialog):
                break
        dialog = app.screen
        assert isinstance(dialog, AccessEndedDialog)
        await settle(pilot)  # on top, and composed (a loaded machine: not yet, once)
        said = " ".join(str(dialog.query_one("#message").render()).split())
        assert said.startswith('Ceri Hughes ("ceri.hughes") was deactivated'), said
        assert "act as someone else (u) or quit (q)" in said
        await pilot.press("escape")  # nothing but u or q closes it
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, SwitchUserDialog)


async def test_a_person_deactivated_elsewhere_is_no_longer_offered_and_shown_as_left(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    app.OUTSIDE_CHANGES_EVERY = 0.05
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "tomasz.nowak" in [u.login for u in app.switchable_users()]
        write_from_outside(db, "", "deactivate_user", (
            "UPDATE user SET active = 0 WHERE login = ?", ("tomasz.nowak",)))
        for _ in range(100):
            await pilot.pause(0.05)
            if "tomasz.nowak" not in [u.login for u in app.switchable_users()]:
                break
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Switch user: Tomasz Nowak" not in titles
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        table = app.screen.query_one(DataTable)
        row = table.get_row_index("tomasz.nowak")
        # Deactivated by a bare update here, which ends no grant: left, with no day to give.
        assert str(app.screen.query_one(FittedTable).row_cells(row)[1]) == \
            "Tomasz Nowak (left)"
        table.move_cursor(row=row)
        await settle(pilot)
        said = " ".join(str(app.screen.query_one("#duties").render()).split())
        assert "no one can act as them" in said and "Enter: act as" not in said
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor.login == "ceri.hughes"


async def test_a_person_whose_own_record_was_edited_is_told_at_start_and_at_a_switch(
        db: Path) -> None:
    """v15c F0: Tomasz Nowak's role raised to the CRM's in the database, the app opened as
    "Tomasz Nowak · Complaints Resolution Manager" with no warning; only the first step was
    refused. Said at start, offering no key that records; said again on switching to him."""
    import contextlib
    import sqlite3

    from textual.command import CommandPalette

    from tests.ui.test_switch_user_ui import switch_to

    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("UPDATE user SET role = 'crm' WHERE login = 'tomasz.nowak'")
    app = create_app(str(db), "tomasz.nowak", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AccessEndedDialog)
        await pilot.pause()
        title = str(dialog.query_one("#title").render())
        said = " ".join(str(dialog.query_one("#message").render()).split())
        assert title == "Your user record was changed outside the app"
        assert said.startswith("Tomasz Nowak: their user record is not as entry"), said
        # What differs is named (v16g G3).
        assert "left it: its role was changed outside the app." in said, said
        assert "Nothing can be recorded in your name" in said
        assert "ask the user administrator" in said and "`crm-tui audit verify`" in said
        # Its keys are the only ones: no area, no step, no palette to reach them.
        offered = {b.binding.action for b in dialog.active_bindings.values()
                   if b.binding.show}
        assert offered <= {"switch", "quit_app", "app.help", "help"}, offered
        for key in ("n", "ctrl+p", "escape"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is dialog, key
            assert not isinstance(app.screen, CommandPalette)
        await switch_to(pilot, app, "priya.raman")
        assert app.actor.login == "priya.raman"
        assert not isinstance(app.screen, AccessEndedDialog)
        await switch_to(pilot, app, "tomasz.nowak")
        assert app.actor.login == "tomasz.nowak"
        assert isinstance(app.screen, AccessEndedDialog)
        assert app.screen.edited


async def test_a_person_whose_record_is_as_sealed_starts_unasked(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, AccessEndedDialog)


async def test_the_palette_never_offers_an_edited_record_in_its_edited_role(db: Path) -> None:
    """v15d N5: the picker (and the palette's Switch user: …) named Tomasz Nowak, his role
    raised in the database, "Complaints Resolution Manager"."""
    import contextlib
    import sqlite3

    from crm_tui.ui.commands import palette_commands

    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("UPDATE user SET role = 'crm' WHERE login = 'tomasz.nowak'")
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        offered = {c.title: c.help for c in palette_commands(app, app.screen)}
        said = offered["Switch user: Tomasz Nowak"]
        assert said == "Act as Tomasz Nowak, record changed outside the app", said
        assert offered["Switch user: Priya Raman"].startswith("Act as Priya Raman, Head of Service")


async def test_a_name_edited_in_the_database_is_never_said_as_the_persons(db: Path) -> None:
    """v16g G3: the refusals named the person by the edited name ("Ceri Hughes-Forged
    ("ceri.hughes") cannot act"). The dialog names them as the trail last recorded them,
    and what their record's name now reads."""
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("UPDATE user SET name = 'Tomasz Forged', title = 'Chief Executive' "
                    "WHERE login = 'tomasz.nowak'")
    app = create_app(str(db), "tomasz.nowak", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AccessEndedDialog)
        await pilot.pause()
        said = " ".join(str(dialog.query_one("#message").render()).split())
        assert said.startswith('Tomasz Nowak ("tomasz.nowak"; their record\'s name now reads '
                               '"Tomasz Forged"): their user record is not as entry'), said
        assert "left it: its name and its title were changed outside the app." in said, said
