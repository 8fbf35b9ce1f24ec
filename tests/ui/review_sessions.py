"""A review session started from the inbox, and a case in it reached, as a user does."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case
from crm_tui.domain.states import CaseState
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.services.reviews import review_session
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.builders import TOLD
from tests.ui.keys import press_settled, settle


def proposed_unsigned(path: Path, reply_by: date = date(2026, 12, 14)) -> str:
    """A restricted demo case due for review (in the session), its extension proposed (the
    customer's comments by `reply_by`) and the invitation to comment left unsigned: its
    reference."""
    open_database(path)
    crm = resolve_actor("ceri.hughes")
    ref = next(r for r in review_session.due_for_review(crm, review_session.default_until())
               if Case.get(Case.reference == r).state == CaseState.RESTRICTED.value)
    review_session.open_for_view(crm, ref)
    builder.redraft_in_force(crm, ref)
    review_session.propose_extension(crm, ref, "Letters went on weekly", reply_by,
                                     date(2028, 11, 28), customer_reason=TOLD)
    return ref


async def session_until(pilot: Pilot[Any], until: date) -> ReviewSessionScreen:
    """From the inbox: `d`, `s`, the reviews due by `until` typed, and the session started."""
    await settle(pilot)
    await press_settled(pilot, "d", "s")
    dialog = pilot.app.screen
    assert isinstance(dialog, FieldsDialog), dialog
    dialog.query_one("#until", Input).value = ""
    await press_settled(pilot, *f"{until:%d/%m/%Y}", "ctrl+s")
    screen = pilot.app.screen
    assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
    return screen


async def step_to(pilot: Pilot[Any], screen: ReviewSessionScreen, reference: str) -> None:
    """→ until the session shows `reference`, which must be in it."""
    assert screen.info is not None and reference in screen.info.references
    for _ in screen.info.references:
        if screen.info.current == reference:
            break
        await press_settled(pilot, "right")
    assert screen.info.current == reference
