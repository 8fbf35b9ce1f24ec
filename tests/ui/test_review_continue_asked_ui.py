"""t15c F7: in a review session, `c` (continue the restrictions unchanged) was recorded at once,
while lifting asked first. It now asks, naming who decides, the customer and the case, that the
restrictions continue unchanged until their end, the next review date, and that no letter goes
out; `n` keeps everything as it was, `y` records it."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import AuditEntry, Case
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.reviews import review_steps
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import burst, press_settled

WHY = "Contact continues daily; the restriction is still needed."


def _continued(ref: str) -> int:
    return int(AuditEntry.select().where((AuditEntry.case_reference == ref)
                                         & (AuditEntry.action == "continue_unchanged")).count())


async def test_continuing_unchanged_asks_first_naming_who_what_and_until_when(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 36)) as pilot:
        await press_settled(pilot, "d", "s", "ctrl+s")
        session = app.screen
        assert isinstance(session, ReviewSessionScreen) and session.info is not None
        ref = session.info.current
        assert ref is not None and "continue" not in session.refused
        case = Case.get(Case.reference == ref)
        ends, review = case.restrictions_end, case.review_due
        name = case.customer.name
        next_review = review_steps.next_review_due(ends, None, None, "")
        await press_settled(pilot, "c")
        assert isinstance(app.screen, TextPromptDialog)
        await burst(pilot, *WHY)
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, AskDialog), app.screen
        asked = " ".join(str(app.screen.query_one("#ask-question").render()).split())
        assert asked == (
            f"Continue the restrictions on {name} ({ref}) unchanged, as Ceri Hughes, "
            f"Complaints Resolution Manager? They continue as they are until "
            f"{in_prose(ends, full_month=True)}, next reviewed by "
            f"{in_prose(next_review, full_month=True)}. No letter goes to the customer: what "
            "they must keep to does not change."), asked
        await press_settled(pilot, "n")  # not yet: the form again, nothing recorded
        assert isinstance(app.screen, TextPromptDialog)
        assert _continued(ref) == 0
        assert Case.get(Case.reference == ref).review_due == review
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, AskDialog)
        await press_settled(pilot, "y")
        assert app.screen is session
        assert _continued(ref) == 1
        assert Case.get(Case.reference == ref).review_due == next_review
