"""Snapshots of the restriction builder (empty; filled, with an equality clash; a restriction
form refused at its fields; the decision with its preview) and the staff register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import TextArea

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.demo_copies import copy_demo
from tests.snapshots.helpers import Size, _pushed, _settle


def _builder(snap_compare: Any, size: Size, demo_db: Path, reference: str, *keys: str) -> bool:
    app = create_app(str(demo_db), "ceri.hughes")
    return bool(snap_compare(app, terminal_size=size, run_before=_pushed(
        lambda: RestrictionBuilderScreen(reference), *keys)))


def test_builder_empty(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _builder(snap_compare, size, demo_db, "UPV-2026-0006")


def test_builder_with_an_equality_clash(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _builder(snap_compare, size, demo_db, "UPV-2026-0005", "down")


def test_builder_form_with_errors(snap_compare: Any, size: Size, demo_db: Path) -> None:
    # 3. telephone times, saved empty: every text the policy asks for refused at once
    assert _builder(snap_compare, size, demo_db, "UPV-2026-0005", "a", "down", "down", "enter",
                    "ctrl+s")


def test_builder_decision_with_preview(snap_compare: Any, size: Size, demo_db: Path,
                                       tmp_path: Path) -> None:
    """Ready for the decision (the clash justified, the Head of Service consulted on the drafts
    as they stand): the letter that will go beside the form, checked as the reasons are
    typed."""
    from datetime import date

    from crm_tui.db.connection import open_database
    from crm_tui.domain.outcomes import ConsultationView
    from crm_tui.services.core import confirmation
    from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.intake import casework
    from crm_tui.services.restrictions import builder

    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    open_database(path)
    crm = resolve_actor("ceri.hughes")
    clashing = builder.builder_view(crm, "UPV-2026-0005").drafts[1].id
    with confirmation.given(DEMO_PASSPHRASE):
        builder.justify(crm, "UPV-2026-0005", clashing, "A weekly call meets the need")
        casework.record_consultation(resolve_actor("priya.raman"), "UPV-2026-0005",
                                     view=ConsultationView.AGREES, view_text="Agree",
                                     proposed_end=date(2028, 11, 28))
    app = create_app(str(path), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _pushed(lambda: RestrictionBuilderScreen("UPV-2026-0005"), "D")(pilot)
        reason = pilot.app.screen.query_one("#reason", TextArea)
        reason.cursor_blink = False  # a blinking cursor would be caught at either phase
        reason.focus()  # the cursor starts on the first field, the start date
        await pilot.press(*"Calls to several officers a day")
        await pilot.pause(0.6)
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_staff_register(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("g")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
