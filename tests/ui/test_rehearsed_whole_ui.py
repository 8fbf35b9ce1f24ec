"""t15d F3: a form that asks "…, as Ceri Hughes?" rehearses the whole step first. A review
session's "Continue unchanged" (and its extension) refused "n/a" only after the question was
answered: the step opened the case's review in a transaction of its own, and the rehearsal
stopped at its end, before the outcome's checks. Now the rehearsal holds the whole step in
one transaction, and the session's outcomes open the review in their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, Case
from crm_tui.domain.states import CaseState
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.services.reviews import review_steps
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.base import FormDialog
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.dialog_host import Host
from tests.ui.keys import press_settled, settle

SIZE = (100, 30)
NOT_A_REASON = "This is not a reason"
FIRST_DUE = "UPV-2025-0002"  # the demo's first review due, restricted


def _error(app: Any, field: str) -> str:
    label = app.screen.query_one(f"#{field}-error")
    return " ".join(str(label.render()).split()) if label.display else ""


def _state(reference: str) -> str:
    return str(Case.get(Case.reference == reference).state)


async def _refused_before_asking(pilot: Pilot[Any], field: str) -> None:
    entries = AuditEntry.select().count()
    await press_settled(pilot, "ctrl+s")
    app = pilot.app
    assert isinstance(app.screen, FormDialog), type(app.screen).__name__
    assert not any(isinstance(s, AskDialog) for s in app.screen_stack)
    assert NOT_A_REASON in _error(app, field), _error(app, field)
    assert AuditEntry.select().count() == entries


async def test_continue_unchanged_refuses_a_placeholder_before_asking(db: Path) -> None:
    open_database(db)
    # What an extension would propose, set out: the session's e opens its form on this case.
    builder.redraft_in_force(resolve_actor("ceri.hughes"), FIRST_DUE)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ReviewSessionScreen())
        await settle(pilot)
        await press_settled(pilot, "ctrl+s")  # the session, on the reviews due by its default
        session = app.screen
        assert isinstance(session, ReviewSessionScreen) and session.info is not None
        reference = str(session._ref())
        assert reference == FIRST_DUE
        assert _state(reference) == CaseState.RESTRICTED.value
        for placeholder in ("n/a", "TBC", "-"):
            await press_settled(pilot, "c")
            assert isinstance(app.screen, TextPromptDialog)
            app.screen.query_one("#text", TextArea).text = placeholder
            await _refused_before_asking(pilot, "text")
            await press_settled(pilot, "escape", "y")
            assert app.screen is session
        # Proposing an extension: its reasons "n/a" refused at the field, before asking
        await press_settled(pilot, "e")
        assert isinstance(app.screen, FieldsDialog), type(app.screen).__name__
        app.screen.query_one("#reason", Input).value = "n/a"
        app.screen.query_one("#customer_reason", Input).value = (
            "You have written to us every day about the same closed matter.")
        await _refused_before_asking(pilot, "reason")
        await press_settled(pilot, "escape", "y")
        # Nothing was opened by the refusals: the case is restricted, its review not begun
        assert _state(reference) == CaseState.RESTRICTED.value


async def test_a_step_of_two_transactions_is_rehearsed_to_its_end(db: Path) -> None:
    """The mechanism every confirming form shares: a step that writes in one transaction and
    checks in the next is refused before the question, not after its yes."""
    open_database(db)
    ceri = resolve_actor("ceri.hughes")
    reference = FIRST_DUE
    assert _state(reference) == CaseState.RESTRICTED.value

    def two_steps(text: str, _flag: bool) -> object:
        review_steps.start_review(ceri, reference)  # a transaction of its own
        return review_steps.continue_unchanged(ceri, reference, text)

    dialog = TextPromptDialog("Continue unchanged", "Why they are still needed:", two_steps,
                              confirm="Continue them unchanged",
                              question="Continue the restrictions unchanged, as Ceri Hughes?")
    async with Host(dialog).run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog.query_one("#text", TextArea).text = "n/a"
        await _refused_before_asking(pilot, "text")
    assert _state(reference) == CaseState.RESTRICTED.value
