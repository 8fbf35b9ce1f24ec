"""Issue 15 (fixAU2) in the app: a decision letter (the demo's UPV-2025-0005 varied, its
letter signed and not posted) past its last day to appeal on 2 February 2027. W read "signed,
not posted" of it while its copy said it could no longer go and the post run refused it. Now,
with keys only: the case file asks for the decision letter to be signed again, W's register
says "can no longer go", and its preview says why and that it is signed again with a new last
day to appeal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.db.models import Letter
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.users import resolve_actor
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests import builders
from tests.demo_outcome_unposted import APPEALED, variation_unposted
from tests.ui.keys import on_top, press_settled, settle
from tests.ui.letters_register import down_the_register_to, register_detail
from tests.ui.outcome_letters import letters_from_the_case_file


@pytest.fixture
def varied(db: Path, tmp_path: Path) -> tuple[int, date]:
    """The variation's letter signed on 28 November 2026, not posted (outside the test's
    event loop: signing runs one of its own); its number and last day to appeal."""
    letter = variation_unposted(tmp_path / "varied", db)
    return letter, Letter.get_by_id(letter).appeal_by


@pytest.mark.parametrize("size", [(100, 30), (200, 50)], ids=["100x30", "200x50"])
async def test_w_says_the_decision_letter_can_no_longer_go(
        db: Path, varied: tuple[int, date], size: tuple[int, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    letter, appeal_by = varied
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-02T10:00:00")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        screen = await letters_from_the_case_file(app, pilot, "Sign the decision letter")
        register = await down_the_register_to(pilot, screen, letter)
        status = str(register.get_row(str(letter))[-1])
        # In full where the register is wide; as short as "not posted" where narrow, so
        # its "Appeal by" stays (the line under it and the preview say it in full).
        assert status == ("cannot go" if size[0] < 160 else "can no longer go"), status
        said = " ".join(str(screen.query_one("#letter-text", Static).render()).split())
        assert said.startswith(f"Can no longer go: it gives {in_prose(appeal_by)} as the last "
                               "day to appeal"), said
        assert ("The customer was never sent it, and it is signed again, with a new last day to "
                "appeal counted from the day it goes") in said, said


async def test_the_letters_area_says_the_same(
        db: Path, varied: tuple[int, date], monkeypatch: pytest.MonkeyPatch) -> None:
    letter, appeal_by = varied
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-02T10:00:00")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        area = await on_top(pilot, LettersScreen())
        said = " ".join((await register_detail(pilot, area, letter,
                                               "can no longer go")).split())
        assert (f"Can no longer go: it gives {in_prose(appeal_by)} as the last day to appeal"
                in said), said
        assert ("The customer was never sent it, and it is signed again, with a new last day to "
                "appeal counted from the day it goes.") in said, said


async def test_w_says_in_one_sentence_that_nothing_is_signed_in_its_place(
        db: Path, varied: tuple[int, date], monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15 BA3: the customer appealed against the variation before its letter went: W
    offers no new letter, and its preview read "The customer was never sent it: nothing is
    signed in its place: …". One plain sentence."""
    from crm_tui.services.reviews import appeals

    letter, _ = varied
    appeals.lodge_appeal(resolve_actor("tomasz.nowak"), APPEALED, builders.TODAY, "Unfair")
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-02T10:00:00")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await on_top(pilot, CaseFileScreen(APPEALED))
        await press_settled(pilot, "W")
        screen = app.screen
        assert isinstance(screen, CaseLettersScreen)
        await down_the_register_to(pilot, screen, letter)
        said = " ".join(str(screen.query_one("#letter-text", Static).render()).split())
        assert "The customer was never sent it, and nothing is signed in its place: the " \
               "customer has already appealed against this decision" in said, said
        assert "never sent it:" not in said and "its place: nothing" not in said, said
        # Nothing is signed in its place: no pointer to the letters the case calls for.
        assert "once it is decided. " in said and "calls for, above" not in said, said
