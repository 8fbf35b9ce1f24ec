"""The case's Letters screen previews an issued letter from the register's stored text: an
edit of that text in the database is not shown as the letter issued (v16 N2)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.ui.keys import on_top, press_settled, settle
from tests.ui.test_letters_ui import ISSUED, SIZE
from tests.ui.test_letters_ui import empty_keyring as empty_keyring  # autouse: no keyring
from tests.unit.services.letters.test_letter_text_vouched import FORGED, forge


async def test_an_edited_text_is_not_previewed_as_issued(db: Path) -> None:
    with contextlib.closing(sqlite3.connect(db)) as con, con:
        letter, content = con.execute(
            "SELECT l.id, l.content FROM letter l JOIN \"case\" c ON c.id = l.case_id WHERE "
            "c.reference = ? AND l.status = 'issued' ORDER BY l.signed_at DESC, l.id DESC "
            "LIMIT 1", (ISSUED,)).fetchone()
        con.execute("UPDATE letter SET content = ? WHERE id = ?", (forge(content), letter))
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(ISSUED))
        await press_settled(pilot, "tab")  # to the register, its latest letter highlighted
        register = screen.query_one("#register", FittedTable)
        assert str(register.row_cells(0)[0]) == str(letter)
        shown = " ".join(str(screen.query_one("#letter-text").render()).split())
    assert FORGED not in shown
    assert f"the register's stored text of letter {letter} is not the text entry" in shown
