"""fixAJ in the app: a demo case under review, its extension proposed and the invitation to
comment signed, not posted; then the customer's postal address changed. The case file's next
action asks for the invitation to be signed again (it said "Customer's comments due", counted
from the invitation that never went), and W offers it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import customer_details
from crm_tui.services.letters import issuing
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.ui.keys import on_top, press_settled, settle
from tests.ui.review_sessions import proposed_unsigned

SIZE = (100, 30)


@pytest.fixture
def moved(db: Path, tmp_path: Path) -> str:
    """The case: proposed, its invitation signed, then the customer moved (outside the test's
    event loop: signing runs one of its own)."""
    ref = proposed_unsigned(db, reply_by=date(2026, 12, 17))
    crm = resolve_actor("ceri.hughes")
    issuing.sign_and_export(crm, ref, LetterKind.INVITATION, tmp_path / "out", DEMO_PASSPHRASE)
    now = customer_details.contact(crm, ref)
    customer_details.set_contact(crm, ref, customer_details.ContactDetails(
        ("Flat 2, 9 Harbour Row", "Northmere"), "NM3 4QT", now.email, now.telephone))
    return ref


async def test_the_case_file_asks_for_the_invitation_again_and_w_offers_it(
        db: Path, moved: str) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        case_file = await on_top(pilot, CaseFileScreen(moved))
        assert case_file.data is not None
        assert case_file.data.summary.next_action == "Sign the invitation to comment"
        await press_settled(pilot, "W")
        screen = app.screen
        assert isinstance(screen, CaseLettersScreen)
        assert LetterKind.INVITATION in screen.kinds
