"""Round 9: Home counted "1 Review overdue" for a case whose review waits for the customer's
comments on a proposed extension, while the inbox (Next action "Customer's comments due", not
past) flagged nothing. One rule (domain.next_action.review_overdue): Home, the inbox (its Next
action a step of the review, flagged overdue), the calendar and `crm-tui cases
--reviews-overdue` agree on the demo."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.db.models import Case
from crm_tui.domain.next_action import REVIEW_STEPS, review_overdue
from crm_tui.domain.states import CaseState
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import inbox, queries
from crm_tui.services.reviews import calendar
from crm_tui.services.reviews.calendar import Obligation
from tests.demo_copies import copy_demo


def test_home_the_inbox_the_calendar_and_the_command_line_agree(demo_db: Path,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    open_database(path)
    crm, today = resolve_actor("ceri.hughes"), clock.today()
    waiting = Case.get(Case.reply_by >= today)  # invited to comment; its review date passed
    assert waiting.review_due < today

    by_rule = {c.reference for c in Case.select()
               if review_overdue(CaseState(c.state), c.review_due, c.reply_by, today)}
    rows = inbox.page(crm, inbox.InboxFilter(), size=1000).rows
    in_inbox = {r.reference for r in rows if r.overdue and r.next_action in REVIEW_STEPS}
    _, late = calendar.overdue(crm, today, 100)
    in_calendar = {i.reference for i in late
                   if i.kind in (Obligation.REVIEW, Obligation.REPLY_BY)}
    result = CliRunner().invoke(main, ["cases", "--reviews-overdue", "--json", "--db",
                                       str(path), "--user", "ceri.hughes"])
    assert result.exit_code == 0, result.output
    in_cli = {r["reference"] for r in json.loads(result.output)}

    assert by_rule and waiting.reference not in by_rule
    assert in_inbox == by_rule == in_calendar == in_cli
    assert queries.dashboard(crm).reviews_overdue == len(in_inbox)
