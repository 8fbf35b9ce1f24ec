"""Issue 15 BA4: at 100x30, Gareth Bell's `s` in the case's letters (`W`) signed the appeal
outcome letter and the register then dropped its "No." column: the new row's status, "not
posted", was four characters wider than "posted" and the four columns no longer fitted. A
letter signed and not posted yet is "signed" where the register is narrow, as short as
"posted": the columns shown before the signing stay after it, each whole."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from crm_tui.db.connection import open_database
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.services.core import confirmation, users
from crm_tui.services.letters import signing_keys
from crm_tui.services.reviews import appeals
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.insecure_keyring import PlainFileKeyring, keyring_in_use
from tests.ui.keys import asked, on_top, press_settled, settle

UNDER_APPEAL = "UPV-2026-0004"


async def test_the_register_keeps_its_number_column_after_signing(db: Path,
                                                                  tmp_path: Path) -> None:
    open_database(db)
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        appeals.decide_appeal(users.resolve_actor("gareth.bell"), UNDER_APPEAL,
                              AppealOutcome.CONFIRMED, "The restrictions stand",
                              customer_reason="We looked again. The restrictions stay.")
    app = create_app(str(db), "gareth.bell")
    with keyring_in_use(PlainFileKeyring(tmp_path / "keyring.txt")):
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            screen = await on_top(pilot, CaseLettersScreen(UNDER_APPEAL))
            assert screen.highlighted is LetterKind.APPEAL_OUTCOME
            register = screen.query_one("#register", FittedTable)
            before = register.shown_columns
            assert "id" in before, before
            await press_settled(pilot, "s")
            assert isinstance(app.screen, AskDialog), type(app.screen).__name__
            await pilot.press("y")
            (await asked(pilot)).query_one(Input).value = signing_keys.DEMO_PASSPHRASE
            await press_settled(pilot, "enter")
            await settle(pilot)
            assert app.screen is screen, type(app.screen).__name__
            assert screen.entries[0].kind is LetterKind.APPEAL_OUTCOME
            assert register.shown_columns == before, (before, register.shown_columns)
            assert not register.cuts(*before), register._layout
            # Signed, not posted yet: as short as "posted" ("not posted" took the room).
            assert str(register.row_cells(0)[4]) == "signed", register.row_cells(0)
