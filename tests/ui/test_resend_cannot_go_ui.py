"""v15i J2: `r` on a lost letter whose last day to appeal has passed opened the form, asked
for the passphrase, then signed and registered a copy that every post run marks "Cannot go"
(a copy keeps the original's date and text). Now `r` says why at once: nothing is asked for,
nothing signed."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import Letter
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.ui.keys import on_top, settle
from tests.ui.letters_register import case_letter_chosen, r_refused

SIZE = (100, 30)
LOST = "UPV-2026-0002"  # its decision letter posted on 29 September 2026, appeal by 6 November


async def test_r_on_a_letter_whose_appeal_date_has_passed_says_why_at_once(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(LOST))
        [number] = [e.id for e in screen.entries if e.kind.value == "decision"]
        await case_letter_chosen(pilot, screen, number)
        assert screen.entry is not None and screen.entry.posted_on is not None
        letters = Letter.select().count()
        said = await r_refused(pilot, screen)
        assert said == (f"Letter {number} cannot be re-sent: it gives 6 Nov 2026 as the last "
                        "day to appeal, before 28 Nov 2026. A copy keeps its date and text, so "
                        "the post run could never send it. Nothing was signed; an exact copy "
                        "of the file can still be exported for the record."), said
        assert Letter.select().count() == letters  # nothing signed
