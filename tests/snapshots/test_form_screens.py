"""Snapshots of the forms that feed letters: how the customer is written to (refused at the
print size), lifting with the customer's words asked apart (refused at them), the team with
direct details, the customer's address from the case file (H), refused at a mistyped email,
and the signer's edit of a prepared letter with the checker beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.demo_copies import copy_demo
from tests.snapshots.helpers import Size, _pushed, _settle


def test_customer_details_refused_at_the_print_size(snap_compare: Any, size: Size,
                                                    demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _pushed(lambda: CaseFileScreen("UPV-2026-0001"), "D")(pilot)
        size = pilot.app.screen.query_one("#large_print_pt", Input)
        size.cursor_blink = False
        size.value = "40"
        await pilot.press("ctrl+s")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_the_customer_address_refused_at_a_mistyped_email(snap_compare: Any, size: Size,
                                                          demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _pushed(lambda: CaseFileScreen("UPV-2026-0005"), "H")(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        pilot.app.screen.query_one("#email", Input).value = "cornelius.example.org"
        await pilot.press("ctrl+s")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_lifting_asks_what_the_customer_is_told(snap_compare: Any, size: Size,
                                                demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _pushed(lambda: RestrictionBuilderScreen("UPV-2025-0004"), "L")(pilot)
        for area in pilot.app.screen.query(TextArea):
            area.cursor_blink = False
        pilot.app.screen.query_one("#reason", TextArea).text = "No contact of concern since May"
        pilot.app.screen.query_one("#customer_reason", TextArea).text = \
            "The customer has been reasonable"
        await pilot.press("ctrl+s")  # refused before "Lift … as Ceri Hughes…?" is asked
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_the_signer_edits_a_prepared_letter(snap_compare: Any, size: Size, demo_db: Path,
                                            tmp_path: Path) -> None:
    from crm_tui.db.connection import open_database
    from crm_tui.domain.letters import LetterKind
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.letters import issuing
    from crm_tui.ui.dialogs.letter_edit import LetterEditDialog

    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    open_database(path)
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), "UPV-2026-0010",
                                LetterKind.LOCAL_RESOLUTION)
    app = create_app(str(path), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _pushed(lambda: LetterEditDialog(resolve_actor("ceri.hughes"), letter_id))(pilot)
        text = pilot.app.screen.query_one("#edit-text", TextArea)
        text.cursor_blink = False
        text.text = "The customer calls too often"
        await pilot.press("ctrl+s")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
