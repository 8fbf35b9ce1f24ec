"""fixAH AH2 (issue 15): the decision form's review field said "blank: counted from the start"
on a variation, where a blank review keeps the review date in force. The hint says what a
blank review does on the form it is on."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.widgets import Input

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, database_proxy
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from tests.demo_decided import CONSIDERING, ready_to_decide
from tests.ui.deciding import decision_opened
from tests.ui.keys import settle

SIZE = (140, 40)
RESTRICTED = "UPV-2025-0004"  # contact by letter and email, in force


async def test_a_variation_says_a_blank_review_keeps_the_review_in_force(db: Path) -> None:
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), RESTRICTED)
    case = Case.get(Case.reference == RESTRICTED)
    database_proxy.close()
    assert case.review_due is not None and case.review_due < case.restrictions_end
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await decision_opened(pilot, RESTRICTED)
        hint = dialog.query_one("#review_due", Input).placeholder
        assert hint == f"blank: keeps the review due {case.review_due:%d/%m/%Y}", hint
        assert "counted from the start" not in hint


async def test_a_first_decision_says_a_blank_review_is_counted_from_the_start(
        db: Path) -> None:
    ready_to_decide(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await decision_opened(pilot, CONSIDERING)
        assert dialog.query_one("#review_due", Input).placeholder == (
            "blank: counted from the start")


async def test_the_hint_follows_the_end_typed_before_the_review(db: Path) -> None:
    """Tester v15p AK3: with an end typed before the review in force, the hint still said
    "keeps the review due …": a blank review then moves to the end, and the hint says so."""
    from tests.ui.test_forms_ui import retype

    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), RESTRICTED)
    case = Case.get(Case.reference == RESTRICTED)
    database_proxy.close()
    assert case.review_due is not None
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await decision_opened(pilot, RESTRICTED)
        starts = datetime.strptime(dialog.query_one("#starts_on", Input).value,
                                   "%d/%m/%Y").date()
        assert (case.review_due - starts).days > 2, (starts, case.review_due)
        sooner = starts + (case.review_due - starts) // 2
        await retype(pilot, "ends_on", f"{sooner:%d/%m/%Y}")
        await settle(pilot)
        hint = dialog.query_one("#review_due", Input).placeholder
        assert hint == f"blank: the review moves to the end, {sooner:%d/%m/%Y}", hint
        await retype(pilot, "ends_on", f"{case.restrictions_end:%d/%m/%Y}")
        await settle(pilot)
        hint = dialog.query_one("#review_due", Input).placeholder
        assert hint == f"blank: keeps the review due {case.review_due:%d/%m/%Y}", hint
