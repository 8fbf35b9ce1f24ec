"""Round 9 of issue 15, item 1: a step of consequence shows every problem with what was typed
before the question naming who acts (the form rehearses the step: the service makes every
check it will make, and stops before confirming); and a refusal after that question, if one
can still come, leaves no keys flowing into the form unseen (a passphrase typed then goes
nowhere)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea

from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.escalations import EscalationKind
from crm_tui.services.core import rehearsal
from crm_tui.services.core.inputs import EscalationInput
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import escalations
from crm_tui.services.letters.signing_keys import DEMO_PASSPHRASE
from crm_tui.services.reviews import appeals
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.base import FormDialog
from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.dialogs.reasons import ReasonsDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import press_settled, settle

SIZE = (120, 40)
UNDER_APPEAL = "UPV-2026-0004"
CONSIDERED = "UPV-2026-0005"
AWAITING = "UPV-2026-0006"


def _error(app: CrmApp, field: str) -> str:
    label = app.screen.query_one(f"#{field}-error")
    return " ".join(str(label.render()).split()) if label.display else ""


def _fill(app: CrmApp, **texts: str) -> None:
    for widget_id, text in texts.items():
        app.screen.query_one(f"#{widget_id}", TextArea).text = text


async def _refused_before_asking(pilot: Pilot[Any], app: CrmApp,
                                 **expected: str) -> None:
    """ctrl+s: each problem at its field, the form still there, no question asked, nothing
    recorded."""
    entries = AuditEntry.select().count()
    await press_settled(pilot, "ctrl+s")
    assert isinstance(app.screen, FormDialog), type(app.screen).__name__
    assert not any(isinstance(s, AskDialog) for s in app.screen_stack)
    for field, words in expected.items():
        assert words in _error(app, field), (field, _error(app, field))
    assert AuditEntry.select().count() == entries


async def test_every_confirmed_form_refuses_n_a_before_asking(db: Path) -> None:
    open_database(db)
    escalations.record_escalation(resolve_actor("ceri.hughes"), AWAITING, EscalationInput(
        kind=EscalationKind.RISK_TO_STAFF, occurred_on=date(2026, 11, 26),
        note="Threats at reception"))
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        # The appeal decided (confirmed): both problems at once, before "… as Gareth Bell?"
        await settle(pilot)
        app.push_screen(CaseFileScreen(UNDER_APPEAL))
        await settle(pilot)
        await press_settled(pilot, "A", "enter")
        assert isinstance(app.screen, ReasonsDialog)
        _fill(app, reason="n/a")
        await _refused_before_asking(pilot, app, reason="This is not a reason",
                                     customer_reason="Say why, as the customer is told it")
        _fill(app, customer_reason="You have not shown that the decision was wrong.")
        await _refused_before_asking(pilot, app, reason="This is not a reason")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Lift, in a review session
        app.push_screen(ReviewSessionScreen())
        await settle(pilot)
        await press_settled(pilot, "ctrl+s", "l")
        _fill(app, reason="n/a", customer_reason="You have not contacted us for a year.")
        await _refused_before_asking(pilot, app, reason="This is not a reason")
        await press_settled(pilot, "escape", "y")
        app.pop_screen()
        # Restrict without prior warning: the service's own rule on its reasons, rehearsed
        app.push_screen(CaseFileScreen(AWAITING))
        await settle(pilot)
        await press_settled(pilot, "U", "enter")
        _fill(app, text="n/a")
        await _refused_before_asking(pilot, app, text="at least 8 words")
        await press_settled(pilot, "escape", "y")
        app.pop_screen()
        # Close with no action, from the inbox: the step's own check, rehearsed
        await settle(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        table = inbox.query_one("#cases", DataTable)
        table.move_cursor(row=table.get_row_index(CONSIDERED))
        await press_settled(pilot, "x")
        _fill(app, text="n/a")
        await _refused_before_asking(pilot, app, text="This is not a reason")


async def test_a_refusal_after_yes_takes_no_keys_into_the_form(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The case changed between the question and the step (here: a refusal the rehearsal did
    not meet): the refusal is a message to close, and a passphrase typed meanwhile goes
    nowhere, not into the reasons."""
    real = appeals.decide_appeal

    def changed_meanwhile(*args: Any, **kwargs: Any) -> Any:
        if not rehearsal.rehearsing():
            raise ValidationError("reason", "is not a reason: changed meanwhile")
        return real(*args, **kwargs)

    monkeypatch.setattr(appeals, "decide_appeal", changed_meanwhile)
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(UNDER_APPEAL))
        await settle(pilot)
        await press_settled(pilot, "A", "enter")
        reasons = "The decision rested on the log sheets, which the appeal does not dispute"
        _fill(app, reason=reasons, customer_reason="You have not shown the decision was wrong.")
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, AskDialog)
        await press_settled(pilot, "y")
        assert isinstance(app.screen, ErrorDialog)
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReasonsDialog)
        assert form.query_one("#reason", TextArea).text == reasons
        assert "changed meanwhile" in _error(app, "reason")
