"""Issue 15: a person whose own user record is edited in the database while they act is told
at the first key that would open a form or record something, by the dialog shown at start,
not when the save is refused after the reasons are typed (nor at the next switch of user)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from crm_tui.db.models import AuditEntry
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.access_ended import AccessEndedDialog
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from crm_tui.ui.screens.retention import RetentionScreen
from tests.ui.keys import inbox_on, on_top, press_settled, settle, told

NEW = "UPV-2026-0009"  # a new referral in the demo
BUILDING = "UPV-2026-0005"  # under consideration, with drafts


def edit_own_record(db: Path, login: str) -> None:
    """sqlite3 on the database, as someone might: no audit entry, nothing the app is told."""
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("UPDATE user SET role = 'officer' WHERE login = ?", (login,))


def entries() -> int:
    return int(AuditEntry.select().count())


async def told_at_once(pilot: Pilot[Any], app: CrmApp, key: str, before: int) -> None:
    await press_settled(pilot, key)
    dialog = app.screen
    assert isinstance(dialog, AccessEndedDialog), type(dialog).__name__
    assert str(dialog.query_one("#title").render()) == \
        "Your user record was changed outside the app"
    said = " ".join(str(dialog.query_one("#message").render()).split())
    assert said.startswith("Ceri Hughes: their user record is not as entry"), said
    assert said.endswith("Act as someone else (u) or quit (q)."), said
    assert len(app.screen_stack) >= 2 and not isinstance(app.screen_stack[-2], AskDialog)
    assert entries() == before  # nothing recorded


async def test_r_on_the_inbox_shows_the_dialog_instead_of_the_request_form(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        inbox = await inbox_on(pilot, NEW)
        edit_own_record(db, "ceri.hughes")
        await told_at_once(pilot, app, "r", entries())
        assert app.screen_stack[-2] is inbox  # no form opened under it


async def test_d_in_the_builder_shows_the_dialog_instead_of_deciding(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        builder = await on_top(pilot, RestrictionBuilderScreen(BUILDING))
        edit_own_record(db, "ceri.hughes")
        await told_at_once(pilot, app, "D", entries())
        assert app.screen_stack[-2] is builder
        assert not told(app)  # no "Cannot decide yet" under it: the key did not act


async def test_r_on_home_shows_the_dialog_instead_of_the_retention_area(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 30)) as pilot:
        await press_settled(pilot, "h")
        edit_own_record(db, "ceri.hughes")
        await told_at_once(pilot, app, "r", entries())
        assert not any(isinstance(s, RetentionScreen) for s in app.screen_stack)


async def test_a_key_that_moves_about_asks_nothing(db: Path) -> None:
    """Only keys that would open a form or record something ask: the tab keys move on."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        edit_own_record(db, "ceri.hughes")
        await press_settled(pilot, "right_square_bracket")
        assert isinstance(app.screen, InboxScreen)


async def test_the_retention_area_refuses_up_front(db: Path) -> None:
    """Opened on a record already edited (by the palette, say): the reason is on the screen,
    D and A are not offered, and pressed they bring the dialog, not the passphrase."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        edit_own_record(db, "ceri.hughes")
        screen = await on_top(pilot, RetentionScreen())
        title = " ".join(str(screen.query_one("#retention-title", Static).render()).split())
        assert title.startswith('Ceri Hughes ("ceri.hughes") cannot act: their user record '
                                "is not as entry"), title
        assert "no file is archived or destroyed here in their name" in title
        shown = {b.binding.key for b in screen.active_bindings.values()
                 if b.enabled and b.binding.show}
        assert not {"D", "A"} & shown, shown
        before = entries()
        await press_settled(pilot, "D")
        assert isinstance(app.screen, AccessEndedDialog)
        assert app.screen_stack[-2] is screen
        assert entries() == before
