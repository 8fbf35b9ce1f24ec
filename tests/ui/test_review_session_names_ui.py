"""fixAH (issue 15) in a review session: a variation's letter named by what it is (AH1: it was
"extension decision"), and a new session's count, before anything is done in it (AH5: at a
clock frozen at one moment, an outcome recorded before it counted "1 case reviewed")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.reviews import review_session
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.demo_outcome_unposted import APPEALED, varied_after_outcome
from tests.ui.review_sessions import session_until, step_to

SIZE = (140, 40)
UNTIL = date(2028, 12, 31)  # every review of the demo's restricted cases falls by then


def _facts(screen: ReviewSessionScreen) -> str:
    return " ".join(str(screen.query_one("#facts").render()).split())


@pytest.fixture
def varied(db: Path, tmp_path: Path) -> Path:
    """The demo's appealed case varied, its letter signed (outside the test's event loop:
    signing runs one of its own)."""
    varied_after_outcome(tmp_path, db)
    return db


async def test_a_variations_letter_is_a_decision_to_change_the_restrictions(
        varied: Path) -> None:
    db = varied
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await session_until(pilot, UNTIL)
        await step_to(pilot, screen, APPEALED)
        facts = _facts(screen)
        assert "Letters signed: " in facts, facts
        assert "decision to change the restrictions (" in facts, facts
        assert "extension decision" not in facts, facts
        assert "appeal outcome letter (" in facts, facts


async def test_a_new_session_has_reviewed_nothing_before_anything_is_done(db: Path) -> None:
    open_database(db)
    crm = resolve_actor("ceri.hughes")
    first = review_session.start(crm, UNTIL)
    done = first.references[0]
    review_session.continue_unchanged(crm, done, "Still writing daily")
    review_session.move_to(crm, first.id, len(first.references))  # finished
    assert Case.get(Case.reference == done).review_due <= UNTIL  # in the next session too
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await session_until(pilot, UNTIL)
        assert screen.info is not None and done in screen.info.references
        title = str(screen.query_one("#session-title").render())
        assert " 0 cases reviewed, " in title, title
        assert "1 case reviewed" not in title, title
