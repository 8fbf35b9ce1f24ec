"""Words a CRM tripped on in the b15e walk: "Review due, due 6 Jun 2027", "1 signed letters",
a "busiest" week among weeks of the same count, and the passphrase prompt's "the letter
beside the form" where no form is beside it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from peewee import SqliteDatabase

from crm_tui.domain.lifecycle import Action
from crm_tui.domain.states import CaseState
from crm_tui.services.intake.inbox import InboxRow
from crm_tui.services.restrictions.readiness import DecisionPreview
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from crm_tui.ui.screens.inbox import row_in_full
from crm_tui.ui.widgets.charts import busiest_words
from tests.demo_decided import ready_to_decide
from tests.demo_invitation_waiting import unposted
from tests.ui.deciding import decision_opened
from tests.ui.keys import settle

ROW = InboxRow(case_id=1, reference="UPV-2026-0011", customer_name="Mrs Gwendoline Fothergill",
               customer_reference="C-0011", service_area="Housing", received_on=None,
               days_waiting=None, state=CaseState.RESTRICTED, categories=(),
               contacts_30_days=0, next_action="Review due", next_action_due=date(2027, 6, 6),
               overdue=False, assigned_to="")


def test_the_line_under_the_inbox_says_due_once() -> None:
    assert str(row_in_full(ROW)).endswith("· Review due 6 Jun 2027")
    signing = replace(ROW, next_action="Sign the decision letter")
    assert str(row_in_full(signing)).endswith("· Sign the decision letter, due 6 Jun 2027")


def test_no_busiest_week_among_weeks_of_the_same_count() -> None:
    weeks = [(date(2026, 9, 28), 1), (date(2026, 10, 5), 0), (date(2026, 10, 12), 1)]
    assert busiest_words(weeks) == "1 contact in each"
    weeks.append((date(2026, 10, 19), 3))
    assert busiest_words(weeks) == "busiest: week of 19/10/2026 (3)"


async def test_post_today_counts_one_signed_letter(db: Path) -> None:
    raw = SqliteDatabase(str(db))
    # One signed letter left to post (the demo posts every letter it signs).
    unposted(raw, "id = (SELECT MAX(id) FROM letter WHERE kind != 'decision' "
                  "AND status = 'issued')")
    raw.close()
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, PostTodayDialog)
        title = str(app.screen.query_one(".title").render())
        # The count of letters, then whether it goes (fixAR AR2: the heading follows the ticks).
        assert title.startswith("Post today: 1 signed letter to post; "), title


async def test_the_question_before_deciding_names_the_letter_not_a_form(db: Path) -> None:
    ready_to_decide(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await decision_opened(pilot)
        confirm = dialog._confirm
        assert callable(confirm)  # put from the dates typed and the letter shown (t15c F8)
        asked = confirm(dialog._terms, DecisionPreview(Action.IMPOSE_RESTRICTIONS, "", [], {}))
        assert "beside the form" not in asked
        assert "The decision letter prepared from it is what" in asked
