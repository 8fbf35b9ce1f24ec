"""Issue 15 AG1 in the app: the demo's UPV-2025-0005, its appeal outcome letter signed and not
posted, then the customer's postal address changed (H on the case). P posted the letter, the
print pack carrying the old address. Now the case's next action is to sign the outcome letter
again, W offers it, P says why nothing can go, and the Letters area lists the first letter
superseded, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import customer_details
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted
from tests.ui.keys import on_top, settle
from tests.ui.outcome_letters import letters_from_the_case_file, p_refused

SIZE = (100, 30)
CHANGED = "the customer's address changed on"


@pytest.fixture
def letter(db: Path, tmp_path: Path) -> int:
    """The outcome letter signed, then the customer's address changed (outside the test's
    event loop: signing runs one of its own)."""
    signed = outcome_signed_not_posted(tmp_path / "out", db)
    crm = resolve_actor("ceri.hughes")
    now = customer_details.contact(crm, APPEALED)
    customer_details.set_contact(crm, APPEALED, customer_details.ContactDetails(
        ("Flat 2, 9 Harbour Row", "Northmere"), "NM3 4QT", now.email, now.telephone))
    return signed


async def test_the_letter_to_the_old_address_is_owed_again_and_p_says_why(
        db: Path, letter: int) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_from_the_case_file(app, pilot,
                                                  "Sign the appeal outcome letter")
        assert LetterKind.APPEAL_OUTCOME in screen.kinds
        await p_refused(app, pilot, screen,
                        f"letter {letter} (appeal outcome) cannot go: {CHANGED}")


async def test_the_letters_area_lists_it_superseded_saying_why(db: Path, letter: int) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, LettersScreen())
        row = next(i for i, e in enumerate(screen.issued) if e.id == letter)
        assert screen.issued[row].shown_status == "superseded"
        table = screen.query_one("#issued")
        table.focus()
        table.move_cursor(row=row)
        await settle(pilot)
        screen.detail()
        said = " ".join(str(screen.query_one("#letters-detail", Static).render()).split())
        assert f"Superseded: {CHANGED}" in said, said


async def test_s_and_r_on_it_in_the_register_never_offer_a_re_send(
        db: Path, letter: int) -> None:
    """v16 finding 7: `s` on the superseded letter in W's register said "r re-sends it as a
    duplicate, x exports a copy", and `r` "post it": neither can happen to a letter superseded
    (the CLI refuses the re-send, "It is not sent, and neither is a copy")."""
    from crm_tui.ui.screens.case_letters import CaseLettersScreen
    from crm_tui.ui.widgets.fitted_table import FittedTable
    from tests.ui.keys import press_settled

    app = create_app(str(db), "gareth.bell")  # who decided the appeal: r is his to press
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEALED))
        await press_settled(pilot, "tab")
        row = next(i for i, e in enumerate(screen.entries) if e.id == letter)
        screen.query_one("#register", FittedTable).move_cursor(row=row)
        await settle(pilot)
        assert screen.in_register and screen.entry is not None and screen.entry.id == letter
        for key in ("s", "r"):
            app._notifications.clear()
            await press_settled(pilot, key)
            told = " ".join(n.message for n in app._notifications)
            assert f"{CHANGED}" in told and "superseded" in told, (key, told)
            assert "It is not sent, and neither is a copy" in told, (key, told)
            assert "re-sends it" not in told and "post it" not in told, (key, told)
        assert app.screen is screen


@pytest.fixture
def signed(db: Path, tmp_path: Path) -> int:
    """The outcome letter signed, not posted, the address not changed (outside the test's
    event loop: signing runs one of its own)."""
    return outcome_signed_not_posted(tmp_path / "out", db)


async def test_h_names_the_letter_the_change_of_address_supersedes(
        db: Path, signed: int) -> None:
    """v16 finding 9: H saved a new address with "The customer's address and contact details
    recorded", saying nothing of the letter signed and not posted that could then no longer
    go (a variation or a lift names the letters it supersedes)."""
    from tests.ui.test_forms_ui import open_address_dialog, save_address

    letter = signed
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await open_address_dialog(pilot, APPEALED)
        await save_address(pilot, "Flat 2, 9 Harbour Row, Northmere", "NM3 4QT")
        told = " ".join(n.message for n in app._notifications)
        assert "The customer's address and contact details recorded" in told, told
        assert (f"The appeal outcome letter (letter {letter}), signed to the old address and "
                "not yet posted, can no longer go: it is superseded, not sent") in told, told
