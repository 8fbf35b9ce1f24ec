"""The decision form says every problem at once, each at its field, and each stays until its
own field is put right (b15a F9: the reasons' "Say why…" vanished when the dates were put
right, and the review's problem came and went from one save to the next)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.db.models import Case, Decision
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.demo_decided import CONSIDERING, ready_to_decide
from tests.ui.deciding import decision_opened
from tests.ui.keys import burst, settle, typed

SIZE = (100, 30)
REF = CONSIDERING  # under consideration: two drafts, one clashing


async def retype(pilot: Pilot[Any], text: str) -> None:
    """Replace what the field with the cursor holds, as a person does: Home, ctrl+k, type."""
    await burst(pilot, "home", "ctrl+k", *text)


def problems(dialog: DecisionDialog) -> dict[str, str]:
    """Each field marked as refused -> the words under it."""
    return {w.id: " ".join(str(dialog.query_one(f"#{w.id}-error").render()).split())
            for w in dialog.query(".-problem") if w.id}


async def test_each_problem_stays_until_its_own_field_is_put_right(db: Path) -> None:
    ready_to_decide(db)
    app: CrmApp = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await decision_opened(pilot, REF)
        assert app.focused is dialog.query_one("#starts_on")
        # b15a F9 step 1: three bad dates, then save.
        await retype(pilot, "31/02/2026")
        await pilot.press("tab")
        await retype(pilot, "\u0660\u0665/\u0661\u0662/\u0662\u0660\u0662\u0668")  # Arabic-Indic
        await pilot.press("tab")
        await retype(pilot, "2099-12-05")
        await pilot.press("tab")
        await typed(pilot)
        await pilot.press("ctrl+s")
        await typed(pilot)
        shown = problems(dialog)
        assert set(shown) == {"starts_on", "ends_on", "reason", "customer_reason"}, shown
        # Step 2: the start and the end put right; the review is now after the end.
        dialog.query_one("#starts_on").focus()
        await settle(pilot)
        await retype(pilot, "05/12/2026")
        await pilot.press("tab")
        await retype(pilot, "05/12/2028")
        await pilot.press("tab")
        await typed(pilot)
        shown = problems(dialog)
        # The reasons were never touched: their problems stay.
        assert set(shown) == {"review_due", "reason", "customer_reason"}, shown
        assert "cannot be after the restrictions end (05/12/2028)" in shown["review_due"]
        assert shown["reason"].startswith("Say why the decision was made")
        assert shown["customer_reason"].startswith("Say why, as the customer is told it")
        # Step 3: a save says them all again, the review's with the reasons'.
        await pilot.press("ctrl+s")
        await typed(pilot)
        assert set(problems(dialog)) == {"review_due", "reason", "customer_reason"}
        # Step 4: the reasons written: theirs go, the review's stays, and nothing is decided.
        dialog.query_one("#reason").focus()
        await burst(pilot, *"Calls to several officers a day about one repair")
        dialog.query_one("#customer_reason").focus()
        await burst(pilot, *"You rang several officers a day about one repair.")
        await typed(pilot)
        assert set(problems(dialog)) == {"review_due"}
        await pilot.press("ctrl+s")
        await typed(pilot)
        assert app.screen is dialog and set(problems(dialog)) == {"review_due"}
        assert Case.get(Case.reference == REF).state == "under_consideration"
        assert not Decision.select().join(Case).where(Case.reference == REF).exists()
        # The review put right (left to the yearly one): its problem goes as well.
        dialog.query_one("#review_due").focus()
        await retype(pilot, "")
        await typed(pilot)
        assert problems(dialog) == {}


async def test_the_letters_objection_to_what_the_customer_is_told_is_said_at_that_field(
        db: Path) -> None:
    """b15c F3: a placeholder and square brackets in "Why, as the customer is told it" were
    named in the side panel only, with nothing under the field."""
    ready_to_decide(db)
    app: CrmApp = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await decision_opened(pilot, REF)
        dialog.query_one("#reason").focus()
        await burst(pilot, *"Calls to several officers a day about one repair")
        dialog.query_one("#customer_reason").focus()
        await burst(pilot, *"You have sent the same complaint to many officers [$accent].")
        await pilot.press("ctrl+s")
        await typed(pilot)
        shown = problems(dialog)
        assert set(shown) == {"customer_reason"}, shown
        assert shown["customer_reason"].startswith(
            "This would not read as a letter to the customer: a placeholder never filled in "
            "(\u201c$accent\u201d)"), shown
        assert Case.get(Case.reference == REF).state == "under_consideration"
        assert not Decision.select().join(Case).where(Case.reference == REF).exists()
