"""Every dialog behaves the same way (issue 15): its keys shown inside it, the cursor on its
first field, every problem at once at its field and gone when put right, Escape asking before
throwing away what was typed, and a step that acts in someone's name asking first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Label

from crm_tui.db.models import ContactLogEntry
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.dialogs.log_contact import LogContactDialog
from crm_tui.ui.screens.evidence import EvidenceScreen
from tests.ui.keys import settle

SIZE = (120, 40)
CASE = "UPV-2025-0004"


def error_at(app: CrmApp, field_id: str) -> str:
    label = app.screen.query_one(f"#{field_id}-error", Label)
    return str(label.render()) if label.display else ""


def keys_shown(app: CrmApp) -> str:
    """The text of the footer inside the dialog on top."""
    keys = app.screen.query_one(DialogKeys)
    return " ".join(str(c.render()) for c in keys.query("*"))


async def open_log_contact(pilot: Pilot[Any], app: CrmApp) -> None:
    await settle(pilot)
    app.push_screen(EvidenceScreen(CASE))
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(app.screen, LogContactDialog)


async def test_log_contact_typed_top_down(db: Path) -> None:
    """The cursor starts on When; typing down the form (Enter to the next field) fills each
    field in turn. Saved with nothing in officer and minutes, it is refused at both fields at
    once, and nothing is stored."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_log_contact(pilot, app)
        dialog = app.screen
        assert dialog.focused is dialog.query_one("#when", Input)
        keys = keys_shown(app)
        assert "ctrl+s" in keys and "Save contact" in keys and "esc" in keys
        assert "Next field" in keys
        before = ContactLogEntry.select().count()
        when = dialog.query_one("#when", Input)
        when.value = ""
        await pilot.press(*"27/11/2026 10:15")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # all the problems at once, each at its field; the cursor on the first
        assert "officer" in error_at(app, "officer").lower()
        assert "minutes" in error_at(app, "minutes").lower()
        assert "Say what the contact was about" in error_at(app, "summary")
        assert error_at(app, "when") == ""
        assert dialog.focused is dialog.query_one("#officer", Input)
        assert ContactLogEntry.select().count() == before
        # put right one by one: each problem goes as its field is fixed
        await pilot.press(*"Sam Patel")
        await pilot.pause()
        assert error_at(app, "officer") == ""
        assert error_at(app, "minutes") != ""
        await pilot.press("enter", *"12")
        assert error_at(app, "minutes") == ""
        await pilot.press("enter", *"Rang about the gutter")
        assert error_at(app, "summary") == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        saved = ContactLogEntry.select().order_by(ContactLogEntry.id.desc()).get()
        assert (saved.officer_name, saved.duration_minutes, saved.summary) == (
            "Sam Patel", 12, "Rang about the gutter")
        assert f"{saved.at:%d/%m/%Y %H:%M}" == "27/11/2026 10:15"


async def test_a_date_problem_reads_as_typed(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_log_contact(pilot, app)
        app.screen.query_one("#when", Input).value = "31/02/2026 10:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "31/02/2026 10:00" in error_at(app, "when")
        assert "2026-" not in error_at(app, "when")


async def test_escape_asks_before_throwing_away_a_typed_contact(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_log_contact(pilot, app)
        await pilot.press("escape")  # nothing typed: just closes
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        await pilot.press("l")
        await settle(pilot)
        app.screen.query_one("#summary", Input).focus()
        await pilot.press(*"Rang again")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        assert "Discard the contact you typed?" in str(
            app.screen.query_one("#ask-question").render())
        await pilot.press("n")  # keep editing: the text is still there
        await settle(pilot)
        assert isinstance(app.screen, LogContactDialog)
        assert app.screen.query_one("#summary", Input).value == "Rang again"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
