"""v16g G9: with `CRM_TUI_NOW` a day ahead of the computer's clock the app opened with no word
of it, and a step was refused only at its end (after the assign pick, after the signing
passphrase was typed); the Retention area listed files "due" by the false date with "D
destroys it". Now the start says so at once, naming both clocks; a key that would record
opens nothing and says why; the Retention area says its dates are the app's."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui import clock
from crm_tui.db.models import AuditEntry, Case
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.retention import RetentionScreen
from tests.ui.keys import inbox_on, press_settled, settle, shown_keys, told

SIZE = (120, 40)
CLOCKS = ("The app's clock says 28 Nov 2026 but the computer's clock says 27 Nov 2026: "
          "CRM_TUI_NOW is set")
NEW_CASE = "UPV-2026-0009"  # the demo's, new: `o` assigns it, `c` begins its consideration


def _rendered(widget: Static) -> str:
    return " ".join(str(widget.render()).split())


@pytest.fixture
def computer_a_day_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "computer_now", lambda: datetime(2026, 11, 27, 16, 0))


@pytest.mark.usefixtures("computer_a_day_behind")
async def test_said_at_start_and_keys_that_record_open_nothing(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert _rendered(dialog.query_one("#title", Static)) == \
            "The app's clock is ahead of the computer's"
        said = _rendered(dialog.query_one("#message", Static))
        assert said.startswith(f"{CLOCKS}. Nothing can be recorded while it is"), said
        await press_settled(pilot, "escape")
        assert isinstance(app.screen, InboxScreen)
        before = AuditEntry.select().count()
        state = Case.get(Case.reference == NEW_CASE).state
        await inbox_on(pilot, NEW_CASE)
        for key in ("o", "c", "n"):  # the assign picker, a step, the referral form
            await press_settled(pilot, key)
            assert isinstance(app.screen, InboxScreen), (key, type(app.screen).__name__)
            assert told(app)[-1] == (
                f"{CLOCKS}, and nothing can be recorded while it is; nothing was opened."), key
        assert AuditEntry.select().count() == before
        assert Case.get(Case.reference == NEW_CASE).state == state


@pytest.mark.usefixtures("computer_a_day_behind")
async def test_the_retention_area_says_its_dates_are_the_apps(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "escape", "h", "r")  # a view to read: it opens
        screen = app.screen
        assert isinstance(screen, RetentionScreen)
        title = _rendered(screen.query_one("#retention-title", Static))
        assert title.startswith(
            f"{CLOCKS}: what is due below is counted from the app's date (28 Nov 2026), not "
            "from the computer's, and nothing is archived or destroyed while it is ahead."), \
            title
        assert screen.rows  # the demo's files due for archive
        detail = _rendered(screen.query_one("#retention-detail", Static))
        assert "Not archived or destroyed while the app's clock is ahead" in detail
        assert "D destroys it" not in detail and "A archives it" not in detail
        # Nor in the footer (v16h: "D Destroy file A Archive due files" stayed offered).
        assert not {"D", "A"} & shown_keys(app), shown_keys(app)
