"""The demo's `u` picker marks the people as their records stand when it opens: a record
edited in the database while the app runs is marked, and one put back is not (v16g G2: the
picker of a running app was as it was at start)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.switch_user import SwitchUserDialog
from tests.ui.keys import settle

EDITED = "record changed outside the app"


def _edit(db: Path, sql: str, *values: object) -> None:
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute(sql, values)


async def _listed(pilot: Pilot[Any], app: CrmApp, login: str) -> str:
    """How the picker, opened now, lists `login` (closed again)."""
    await pilot.press("u")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, SwitchUserDialog)
    said = str(dialog.query_one(OptionList).get_option(login).prompt)
    await pilot.press("escape")
    await settle(pilot)
    return said


async def test_the_picker_marks_a_record_edited_since_start_and_not_one_put_back(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert EDITED not in await _listed(pilot, app, "liam.doyle")
        _edit(db, "UPDATE user SET role = 'crm' WHERE login = 'liam.doyle'")
        said = await _listed(pilot, app, "liam.doyle")
        assert said == f"Liam Doyle (liam.doyle) — {EDITED}; the trail's role: " \
                       "Service area manager", said
        _edit(db, "UPDATE user SET role = 'service_area_manager' WHERE login = 'liam.doyle'")
        said = await _listed(pilot, app, "liam.doyle")
        assert said.startswith("Liam Doyle (liam.doyle) — Service area manager"), said


async def test_the_picker_marks_the_acting_persons_own_title_edited_and_put_back(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        title = sqlite3.connect(db).execute(
            "SELECT title FROM user WHERE login = 'ceri.hughes'").fetchone()[0]
        _edit(db, "UPDATE user SET title = 'Chief Executive' WHERE login = 'ceri.hughes'")
        assert EDITED in await _listed(pilot, app, "ceri.hughes")
        _edit(db, "UPDATE user SET title = ? WHERE login = 'ceri.hughes'", title)
        assert EDITED not in await _listed(pilot, app, "ceri.hughes")


async def test_the_picker_names_a_person_whose_name_was_edited_as_the_trail_does(
        db: Path) -> None:
    """v16h H4: the picker printed the edited name as the person's. It names them as the
    trail recorded them, with "their record's name now reads …" as the dialog says it."""
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        _edit(db, "UPDATE user SET name = 'Tomasz Nowak-Forged', role = 'crm' "
                  "WHERE login = 'tomasz.nowak'")
        said = await _listed(pilot, app, "tomasz.nowak")
        assert said == ('Tomasz Nowak (tomasz.nowak; their record\'s name now reads '
                        f'"Tomasz Nowak-Forged") — {EDITED}; the trail\'s role: '
                        "Complaints Resolution Team officer"), said
        from crm_tui.ui.commands import palette_commands

        offered = {c.title: c.help for c in palette_commands(app, app.screen)}
        named = 'Tomasz Nowak (tomasz.nowak; their record\'s name now reads "Tomasz Nowak-Forged")'
        assert offered[f"Switch user: {named}"] == f"Act as {named}, {EDITED}", offered
