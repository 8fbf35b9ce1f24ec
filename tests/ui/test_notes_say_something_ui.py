"""t15d F6: in the inbox, a request for information "tbc" and a further enquiry "n/a" were
recorded; in a review session, the customer's comments "-". Each is refused under its field
at the first ctrl+s, the form left open as typed, nothing recorded; the problem goes once
words that say something are typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from crm_tui.db.models import AuditEntry, Case, CaseNote
from crm_tui.services.core.database import session
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import inbox_on, press_settled, settle

NEW = "UPV-2026-0009"  # a new referral in the demo


def _error(app: Any) -> str:
    label = app.screen.query_one("#text-error")
    return " ".join(str(label.render()).split()) if label.display else ""


async def _refused(pilot: Pilot[Any], form: type, words: str) -> None:
    entries, notes = AuditEntry.select().count(), CaseNote.select().count()
    await press_settled(pilot, "ctrl+s")
    assert isinstance(pilot.app.screen, form), type(pilot.app.screen).__name__
    assert words in _error(pilot.app), _error(pilot.app)
    assert (AuditEntry.select().count(), CaseNote.select().count()) == (entries, notes)


async def test_a_request_or_an_enquiry_that_says_nothing_is_refused_at_its_field(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await inbox_on(pilot, NEW)
        await press_settled(pilot, "r")
        assert isinstance(app.screen, TextPromptDialog)
        app.screen.query_one("#text", TextArea).text = "tbc"
        await _refused(pilot, TextPromptDialog,
                       "This says nothing: say what the service area needs to send")
        # Put right, the problem goes as it is typed, and the request is recorded.
        app.screen.query_one("#text", TextArea).text = "The repair log for 2026"
        await settle(pilot)
        assert _error(app) == ""
        await press_settled(pilot, "ctrl+s")
        assert not isinstance(app.screen, TextPromptDialog)
        await press_settled(pilot, "e")
        assert isinstance(app.screen, TextPromptDialog)
        app.screen.query_one("#text", TextArea).text = "n/a"
        await _refused(pilot, TextPromptDialog, "This says nothing: say what enquiry was made")


async def test_comments_that_say_nothing_are_refused_at_their_field(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "s", "ctrl+s")
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        with session():
            waiting = next(r for r in screen.info.references if Case.get(
                Case.reference == r).reply_by is not None)
        for _ in range(screen.info.references.index(waiting)):
            await press_settled(pilot, "right")
        await press_settled(pilot, "m")
        assert isinstance(app.screen, FieldsDialog)
        app.screen.query_one("#text", Input).value = "-"
        await _refused(pilot, FieldsDialog, "This is not what the customer said")
