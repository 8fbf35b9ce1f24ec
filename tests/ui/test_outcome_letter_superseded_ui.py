"""v15l W2: the demo's UPV-2025-0005, its appeal outcome letter (restrictions to "start on 1
February 2027") signed and not posted, then the restrictions lifted. The case's letters (W)
said "Sign the letter lifting the restrictions" yet offered "P Post today", and P offered
the outcome letter, no longer true. Now P is not offered, and says why at once: the letter
is superseded by the lift."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import decisions
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.builders import TOLD
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted
from tests.ui.keys import on_top, press_settled, settle
from tests.ui.outcome_letters import letters_from_the_case_file, p_refused

SIZE = (100, 30)


@pytest.fixture
def letter(db: Path, tmp_path: Path) -> int:
    """The outcome letter signed, then the restrictions lifted (outside the test's event
    loop: signing runs one of its own)."""
    signed = outcome_signed_not_posted(tmp_path / "out", db)
    decisions.lift_restrictions(resolve_actor("ceri.hughes"), APPEALED, TOLD,
                                customer_reason=TOLD)
    return signed


async def test_w_offers_no_post_for_an_outcome_letter_the_lift_superseded(
        db: Path, letter: int) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_from_the_case_file(
            app, pilot, "Sign the letter lifting the restrictions")
        assert LetterKind.LIFTED in screen.kinds
        assert LetterKind.APPEAL_OUTCOME not in screen.kinds
        await p_refused(app, pilot, screen, f"letter {letter} (appeal outcome) is superseded: "
                        "the restrictions were lifted on")


@pytest.fixture
def draft(db: Path, tmp_path: Path) -> int:
    """The outcome letter prepared, not signed, then the restrictions lifted."""
    prepared = outcome_signed_not_posted(tmp_path / "out", db, then="prepare")
    decisions.lift_restrictions(resolve_actor("ceri.hughes"), APPEALED, TOLD,
                                customer_reason=TOLD)
    return prepared


async def test_an_outcome_draft_the_lift_superseded_is_not_waiting_to_be_signed(
        db: Path, draft: int) -> None:
    """v15m minor: the draft stayed "waiting to be signed" after the lift, and `s` asked
    "Sign and issue …?" and the passphrase before refusing it; v15n AC3: it was still listed
    as waiting (s and A offered, refusing at once). Now it is in the register, superseded,
    saying why, and not among those waiting."""
    from textual.widgets import Static

    from crm_tui.ui.screens.letters_area import LettersScreen

    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, LettersScreen())
        assert draft not in {e.id for e in screen.waiting}
        row = next(i for i, e in enumerate(screen.issued) if e.id == draft)
        assert screen.issued[row].shown_status == "superseded"  # the lift's letter unsigned
        table = screen.query_one("#issued")
        table.focus()
        table.move_cursor(row=row)
        await settle(pilot)
        screen.detail()
        said = str(screen.query_one("#letters-detail", Static).render())
        assert "Superseded: the restrictions were lifted on" in said, said


@pytest.fixture
def passed(db: Path, tmp_path: Path) -> None:
    """The appeal decided, its outcome letter not prepared, the reasons typed for the
    customer naming a day that has passed by the day it is signed."""
    outcome_signed_not_posted(tmp_path / "out", db, then="nothing",
                              told="We will look at your contact again by 1 December 2026.")


async def test_s_on_a_letter_that_cannot_go_refuses_at_once(
        db: Path, passed: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """v15l W11 (v15m minor): `s` asked "Sign and issue …?" and the passphrase, and refused
    only then; and the way to change the words (p, then e) was not said."""
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-02T10:00:00")
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEALED))
        assert LetterKind.APPEAL_OUTCOME in screen.kinds
        row = screen.kinds.index(LetterKind.APPEAL_OUTCOME)
        screen.query_one("#kinds").move_cursor(row=row)
        await settle(pilot)
        await press_settled(pilot, "s")
        assert app.screen is screen  # no question, no passphrase
        said = [n.message for n in app._notifications]
        assert any("Not signed: the letter cannot be sent: a date already past, 1 December "
                   "2026" in m and m.endswith("press p to prepare it, then e.")
                   for m in said), said


@pytest.fixture
def lifted_and_posted(db: Path, tmp_path: Path) -> tuple[int, int]:
    """The outcome letter signed, then the restrictions lifted and the lifting letter signed
    and posted: (the outcome letter's number, the lifting letter's)."""
    from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
    from crm_tui.services.letters import issuing, posting
    from tests import builders

    signed = outcome_signed_not_posted(tmp_path / "out", db)
    crm = resolve_actor("ceri.hughes")
    decisions.lift_restrictions(crm, APPEALED, TOLD, customer_reason=TOLD)
    lifting = issuing.sign_and_export(crm, APPEALED, LetterKind.LIFTED, tmp_path / "lifted",
                                      DEMO_PASSPHRASE).letter_id
    posting.record_posting(crm, [lifting], builders.TODAY, "first")
    return signed, lifting


async def test_p_says_the_letter_posted_in_place_of_the_superseded(
        db: Path, lifted_and_posted: tuple[int, int]) -> None:
    """v16 finding 11: "Post today" not now listed every superseded letter, but not that the
    letter lifting the restrictions had been posted in their place."""
    letter, lifting = lifted_and_posted
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEALED))
        await settle(pilot)
        await p_refused(app, pilot, screen, f"letter {letter} (appeal outcome) is superseded")
        await p_refused(app, pilot, screen, f"The last letter posted, letter {lifting} "
                        "(restrictions lifted), went on 28 Nov 2026")
