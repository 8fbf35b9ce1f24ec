"""fixAP (issue 15) in the app, on the demo's UPV-2025-0005: what W's register says a letter
was superseded by, and the appeal outcome letter owed.

AP2: the variation's letter signed, not posted, then the appeal against it upheld in part
(the restrictions amended from today) and its outcome letter signed, not posted: the case
file said "Review due" and W's register said the variation's letter was "signed, not posted"
(the post run said SUPERSEDED). Now the case file says to post the outcome letter, W lists
the variation's letter superseded by it, and P ticks the outcome letter alone.
AP1: a letter replaced by one posted keeps that one, whatever is decided after."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import posting
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.builders import TODAY
from tests.demo_outcome_unposted import outcome_signed_not_posted, varied_and_signed
from tests.ui.keys import press_settled
from tests.ui.outcome_letters import letters_from_the_case_file

SIZE = (160, 40)  # the register's whole status ("superseded by N", not "not posted")


@pytest.fixture
def appealed(db: Path, tmp_path: Path) -> tuple[int, int]:
    """The variation's letter signed, then the appeal decided and its outcome letter signed
    (outside the test's event loop: signing runs one of its own): the two numbers."""
    varied = varied_and_signed(tmp_path / "out", db=db)
    outcome = outcome_signed_not_posted(
        tmp_path / "outcome", terms=DecisionTerms(starts_on=TODAY, ends_on=date(2027, 10, 15)))
    return varied, outcome


def _status(table: FittedTable, letter: int) -> str:
    return str(table.get_row(str(letter))[-1])


async def test_w_leads_to_post_the_outcome_letter_the_decision_letter_superseded(
        db: Path, appealed: tuple[int, int]) -> None:
    varied, outcome = appealed
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_from_the_case_file(app, pilot, "Post the appeal outcome letter")
        await press_settled(pilot, "tab")
        register = screen.query_one("#register", FittedTable)
        assert _status(register, varied) == f"superseded by {outcome}"
        assert _status(register, outcome) == "signed, not posted"
        await press_settled(pilot, "P")
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        # The superseded letter listed left out (unless put back), saying so; the outcome
        # letter ticked to go.
        assert dialog.left_out == {varied}
        assert [u.id for u in dialog.going if u.id not in dialog.left_out] == [outcome]


@pytest.fixture
def varied_four_times(db: Path, tmp_path: Path) -> tuple[int, int, int]:
    """Four variations' letters signed, the second posted: the first, second and last."""
    first = varied_and_signed(tmp_path / "out", 0, db=db)
    second = varied_and_signed(tmp_path / "out", 1)
    posting.record_posting(resolve_actor("ceri.hughes"), [second], TODAY, "first")
    varied_and_signed(tmp_path / "out", 2)
    return first, second, varied_and_signed(tmp_path / "out", 3)


async def test_w_keeps_the_posted_letter_as_what_superseded_the_first(
        db: Path, varied_four_times: tuple[int, int, int]) -> None:
    first, second, last = varied_four_times
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_from_the_case_file(app, pilot, "Post the decision letter")
        await press_settled(pilot, "tab")
        register = screen.query_one("#register", FittedTable)
        assert _status(register, first) == f"superseded by {second}"
        assert _status(register, second).startswith("posted")
        assert _status(register, last) == "signed, not posted"
