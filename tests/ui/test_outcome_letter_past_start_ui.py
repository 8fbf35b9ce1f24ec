"""An appeal outcome letter signed and never posted, which can no longer go.

v15k S: telling of restrictions that start on 1 February 2027. From that day it cannot go; the
case's letters (W) offered "P Post today", said "Nothing new to write now", and the customer
was never told. Now P is not offered and says why at once, and the outcome letter is there to
write again.

v15n AC2: telling of restrictions that start on 3 December 2026, reviewed by 5 December. On 6
December it cannot go and the review date has passed too: the case file said "Review due 5 Dec
2026" and Gareth's W said "Nothing new to write now". Now the case file asks for the outcome
letter, W offers it, and what it would say gives no review date already past."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.ui.app import create_app
from tests.demo_outcome_unposted import outcome_signed_not_posted
from tests.ui.outcome_letters import letters_from_the_case_file, p_refused

SIZE = (100, 30)
REVIEWED_BY_5_DECEMBER = DecisionTerms(
    starts_on=date(2026, 12, 3), ends_on=date(2027, 11, 1), review_due=date(2026, 12, 5),
    review_period_reason=ReviewPeriodReason.CIRCUMSTANCES_OF_BEHAVIOUR,
    review_period_note="To see how the restrictions work")


@asynccontextmanager
async def offered_again(db: Path, login: str) -> AsyncIterator[tuple[Any, Any, Any]]:
    """The case file asks for the outcome letter, and W offers it to write again."""
    app = create_app(str(db), login)
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_from_the_case_file(app, pilot, "Sign the appeal outcome letter")
        assert LetterKind.APPEAL_OUTCOME in screen.kinds  # to write again
        yield app, pilot, screen


@pytest.fixture
def letter(db: Path, tmp_path: Path, request: pytest.FixtureRequest) -> int:
    """The outcome letter signed on the frozen day (outside the test's event loop: signing
    runs one of its own), on the amendment's terms the test gives (else the builder's)."""
    return outcome_signed_not_posted(tmp_path / "out", db,
                                     terms=getattr(request, "param", None))


async def test_w_does_not_offer_to_post_a_letter_that_cannot_go_and_offers_it_again(
        db: Path, letter: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-02T10:00:00")
    async with offered_again(db, "ceri.hughes") as (app, pilot, screen):
        await p_refused(app, pilot, screen, f"letter {letter} (appeal outcome) cannot go: it "
                        "gives a date already past, 1 February 2027")


@pytest.mark.parametrize("letter", [REVIEWED_BY_5_DECEMBER], indirect=True)
async def test_w_offers_the_outcome_letter_again_after_the_review_date(
        db: Path, letter: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-06T10:00:00")
    async with offered_again(db, "gareth.bell"):
        assert letter
