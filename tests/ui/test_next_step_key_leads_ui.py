"""At 80x24 the footer gives room first to the key of the step the screen names as next
(v15e F8): the case file under "Sign the decision letter by …" showed `A Appeal` but not
`W Letters`; the builder, once the clash was justified with `j`, dropped `c Consultation`
while the panel named the consultation as next, and `j` said nothing."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.ui.keys import burst, on_top, press_settled, settle, shown_keys, told

SMALL = (80, 24)


async def test_case_file_offers_letters_when_a_letter_is_to_sign(db: Path) -> None:
    reference = decided_today(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_top(pilot, CaseFileScreen(reference))
        assert screen.data is not None
        assert screen.data.summary.next_action.startswith("Sign the decision letter")
        await settle(pilot)  # the footer fitted to the keys of the case as read
        assert "W" in shown_keys(app), shown_keys(app)


async def test_builder_offers_consultation_once_the_clash_is_justified(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        await press_settled(pilot, "down", "j")
        await burst(pilot, *"A weekly call from the named officer meets the need")
        await press_settled(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.view is not None
        assert screen.view.summary.next_action == "Consult Head of Service"
        assert any(n.startswith("Why the Contact") and n.endswith("stands is recorded")
                   for n in told(app)), told(app)
        assert "c" in shown_keys(app), shown_keys(app)
