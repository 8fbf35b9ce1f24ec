"""A review session's "change the review period" (r), by keys: the case file's timeline and the
audit trail then say what was decided (b15e F1: "Review: continued" with an ISO date, and the
audit trail's "Continue unchanged" with neither the policy's reason nor the note)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.screens.audit_trail import AuditTrailScreen
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import burst, on_top, press_settled, settle

NOTE = "She cares for her elderly mother; an earlier review lets us lift sooner."
OUTCOME = "Contact has only just been restricted; a six-month look is proportionate."


def _said(screen: object) -> str:
    return " ".join(" ".join(str(s.render()).split())
                    for s in screen.query(Static))  # type: ignore[attr-defined]


async def test_a_changed_review_period_reads_as_such_on_the_timeline_and_audit_trail(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "s", "ctrl+s")
        session = app.screen
        assert isinstance(session, ReviewSessionScreen)
        ref = session.info.current if session.info is not None else None
        assert ref is not None
        await press_settled(pilot, "r")
        assert isinstance(app.screen, ChooseDialog)
        await press_settled(pilot, "enter")  # the first: the customer's personal circumstances
        assert isinstance(app.screen, FieldsDialog)
        await burst(pilot, *"01/06/2027", "tab", *NOTE, "tab", *OUTCOME)
        await press_settled(pilot, "ctrl+s")
        assert app.screen is session, _said(app.screen)
        # The session moved on to the next case waiting for an outcome: the case file of the
        # one just reviewed, as its reference opens it.
        case = await on_top(pilot, CaseFileScreen(ref))
        titles = [e.title for e in case.entries]
        assert "Review period changed: next review 1 Jun 2027 (Ceri Hughes)" in titles, titles
        assert not [t for t in titles if t.startswith("Review: continued")]
        for _ in range(titles.index("Review period changed: next review 1 Jun 2027 "
                                    "(Ceri Hughes)")):
            await press_settled(pilot, "down")
        await press_settled(pilot, "enter")
        detail = _said(app.screen)
        for line in ("Next review: 1 Jun 2027",
                     "Policy reason: The personal circumstances of the customer",
                     f"Note: {NOTE}", f"Reason: {OUTCOME}", "Decided by: Ceri Hughes"):
            assert line in detail, detail
        await press_settled(pilot, "escape")

        trail = await on_top(pilot, AuditTrailScreen())
        table = trail.query_one(DataTable)
        assert str(table.get_row_at(0)[3]) == "Review period changed"
        assert str(table.get_row_at(0)[4]) == ref
        shown = " ".join(str(trail.query_one("#detail", Static).render()).split())
        assert "Next review: 1 Jun 2027" in shown, shown
        assert "Policy reason: The personal circumstances of the customer" in shown
        assert f"Note: {NOTE}" in shown
