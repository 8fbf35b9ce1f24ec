"""v15b S7: after the customer's comments were recorded in a review session, Home still said
"Invited to comment: reply awaited" and the inbox "Customer's comments due". Both follow the
comments now."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from crm_tui.db.models import Case
from crm_tui.domain.next_action import COMMENTS_DUE, COMMENTS_RECEIVED
from crm_tui.services.core.database import session
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.screens.home import HomeScreen
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from crm_tui.ui.widgets.count_card import CountCard
from tests.ui.keys import press_settled, settle
from tests.ui.test_inbox import inbox_of, move_to


async def test_recorded_comments_are_no_longer_awaited_on_home_or_in_the_inbox(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "h")
        assert isinstance(app.screen, HomeScreen)
        awaited = app.screen.query_one("#card-replies_due", CountCard).count
        assert awaited
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
        app.screen.query_one("#text", Input).value = "They say the restrictions are unfair"
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, ReviewSessionScreen)
        await press_settled(pilot, "escape", "h")
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#card-replies_due", CountCard).count == awaited - 1
        await press_settled(pilot, "i")
        inbox = inbox_of(app)
        await move_to(pilot, waiting)
        row = inbox.rows[waiting]
        assert row.next_action == COMMENTS_RECEIVED != COMMENTS_DUE
        assert COMMENTS_DUE not in str(inbox.query_one("#inbox-row").render())
