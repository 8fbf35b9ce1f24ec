"""The app notices when the person it acts as is deactivated from another terminal, says they
can no longer act and offers `u` (the demo) or quit (found when tried: it kept acting as them,
and logged a contact in their name)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.access_ended import AccessEndedDialog
from crm_tui.ui.dialogs.switch_user import SwitchUserDialog
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
        said = " ".join(str(dialog.query_one("#message").render()).split())
        assert said.startswith('Ceri Hughes ("ceri.hughes") was deactivated'), said
        assert "act as someone else (u) or quit (q)" in said
        await pilot.press("escape")  # nothing but u or q closes it
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, SwitchUserDialog)
