"""fixAR AR3: in a case's letters (W), `r` on a letter the acting person may not re-send did
nothing and said nothing: the CRM on an appeal's outcome letter (signed only by whoever decided
the appeal), on one superseded, on a draft. Every key answers: `r` says why at once, and opens
nothing."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.connection import open_database
from crm_tui.db.models import Letter, database_proxy
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.ui.keys import on_top, settle
from tests.ui.letters_register import case_letter_chosen, r_refused

SIZE = (100, 30)


def _appeal_outcome(db: Path) -> tuple[str, int]:
    """The demo's appeal outcome letter, posted: its case and number."""
    open_database(db)
    letter = (Letter.select().where((Letter.kind == "appeal_outcome")
                                    & (Letter.status == "issued")
                                    & Letter.posted_on.is_null(False)).first())
    assert letter is not None, "the demo has an appeal outcome letter posted"
    found = str(letter.case.reference), int(letter.id)
    database_proxy.close()
    return found


async def test_r_on_a_letter_the_crm_may_not_resend_says_who_does(db: Path) -> None:
    ref, number = _appeal_outcome(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(ref))
        await case_letter_chosen(pilot, screen, number)
        assert screen.entry is not None and screen.entry.posted_on is not None
        shown = [b.binding.description for b in screen.active_bindings.values()
                 if b.enabled and b.binding.show]
        assert "Re-send as duplicate" not in shown and "Export a copy" in shown, shown
        said = await r_refused(pilot, screen)
        assert said.startswith(f"Letter {number} (Appeal outcome) is re-sent signed anew, and "
                               "only Gareth Bell, who decided the appeal, signs its outcome "
                               "letter: Ceri Hughes may not re-send it."), said
