"""Found when tried (v16h H1): the proposal form accepted "Comments by" two days off without a
word, and the signed letter told the customer that date. The form now says, under the field,
that the date is shorter than the reply-by period from today and which date the letter will
carry (the suite's today, Sat 28 Nov 2026: 14 working days on, 17 December 2026)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from crm_tui.db.connection import open_database
from crm_tui.db.models import database_proxy
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import press_settled, settle


async def test_a_short_date_for_comments_is_warned_of_with_the_date_the_letter_carries(
        db: Path) -> None:
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), "UPV-2025-0002")
    database_proxy.close()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "s", "ctrl+s")
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        assert screen.info.current == "UPV-2025-0002"
        await press_settled(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, FieldsDialog), dialog
        field = dialog.query_one("#reply_by", Input)
        note = dialog.query_one("#reply_by-note", Static)
        # The date offered is the whole period: nothing to say.
        assert field.value == "17/12/2026" and not note.display
        field.value = "30/11/2026"
        await settle(pilot)
        said = " ".join(str(note.render()).split())
        assert note.display and said.startswith(
            "Shorter than the reply-by period (14 working days from today): the invitation, "
            "signed today, gives the customer until 17 December 2026, and that is the date "
            "its letter carries"), said
        field.value = "18/12/2026"
        await settle(pilot)
        assert not note.display
