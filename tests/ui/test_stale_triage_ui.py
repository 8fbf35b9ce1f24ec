"""A triage form opened before someone else moved the case on (b16e F8): saving it is
refused in the form, saying who did what and when; the case keeps their step."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from crm_tui.db.models import AuditEntry, Case
from crm_tui.domain.states import CaseState
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import casework
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.conftest import Unheard
from tests.ui.keys import inbox_on, press_settled, settle, told

NEW = "UPV-2026-0009"  # a new referral in the demo


async def test_a_close_from_a_stale_form_is_refused_in_the_form(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(NEW))
        await settle(pilot)
        await press_settled(pilot, "x")
        assert isinstance(app.screen, TextPromptDialog)
        # Meanwhile, from her other workstation, the case is taken into consideration.
        casework.begin_consideration(resolve_actor("ceri.hughes"), NEW)
        app.screen.query_one("#text", TextArea).text = "The matters raised are resolved"
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, TextPromptDialog)  # still open, as typed
        said = " ".join(str(app.screen.query_one("#form-error").render()).split())
        assert "Ceri Hughes changed this case" in said and "moved to consideration" in said
        assert "since you opened it: moved to consideration. Nothing was saved" in said
        assert Case.get(Case.reference == NEW).state == CaseState.UNDER_CONSIDERATION.value


async def test_c_on_a_case_assigned_meanwhile_in_another_app_is_refused(
        db: Path, unheard: Unheard) -> None:
    """`c` has no form: it carries the version the inbox read the case at. Assigned in another
    app before this one heard of it, the move is refused, saying who and when, and the list
    is read again."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await inbox_on(pilot, NEW)
        with unheard():  # her other workstation: not yet told here
            casework.assign(resolve_actor("ceri.hughes"), NEW, "tomasz.nowak")
        entries = AuditEntry.select().count()
        await press_settled(pilot, "c")
        said = told(app)
        assert said and said[-1].startswith(
            "Ceri Hughes assigned this case to Tomasz Nowak"), said
        assert "since your screen showed it. Nothing was saved" in said[-1]
        assert AuditEntry.select().count() == entries
        assert Case.get(Case.reference == NEW).state == CaseState.NEW.value
        # Read again: the next `c` is taken on the case as it now stands.
        await press_settled(pilot, "c")
        assert Case.get(Case.reference == NEW).state == CaseState.UNDER_CONSIDERATION.value
