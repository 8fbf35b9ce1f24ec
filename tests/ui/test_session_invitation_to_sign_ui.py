"""Found when tried: a review session counted a case whose proposed extension's invitation to
comment was not yet signed as "awaiting comments", though the customer had not been asked.
The session's title says "invitation to sign" for it, and "awaiting comments" once signed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Static

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case
from crm_tui.domain.states import CaseState
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.services.reviews import review_session
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.builders import TOLD
from tests.ui.keys import press_settled, settle


def _proposed_unsigned(path: Path) -> str:
    """A case due in the session, its extension proposed and the invitation left unsigned."""
    open_database(path)
    crm = resolve_actor("ceri.hughes")
    ref = next(r for r in review_session.due_for_review(crm, review_session.default_until())
               if Case.get(Case.reference == r).state == CaseState.RESTRICTED.value)
    review_session.open_for_view(crm, ref)
    builder.redraft_in_force(crm, ref)
    review_session.propose_extension(crm, ref, "Letters went on weekly", date(2026, 12, 14),
                                     date(2028, 11, 28), customer_reason=TOLD)
    return ref


async def test_the_tally_names_an_invitation_still_to_sign(db: Path) -> None:
    ref = _proposed_unsigned(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "s", "ctrl+s")
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        assert ref in screen.info.references
        title = str(screen.query_one("#session-title", Static).render())
        assert "1 invitation to sign" in title, title
        # The demo's own proposal, signed before the session, still awaits comments.
        assert "1 awaiting comments" in title, title
