"""t16 F0: control characters in the database reached the terminal raw. A customer's name
holding `ESC[2J ESC[41m` (a hand edit) blanked the inbox's top seventeen lines; an audit
reason holding `ESC[2J ESC[31m … U+202E` blanked the audit screen and the case file's entry
view. Put into the database directly (the command line and the forms refuse them now), they
are shown written out, `\\x1b[2J`, as the command line writes them, on every screen that
shows them, and no painted line holds a control character."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, Case, Customer
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.retention.subject_access import export_subject_access
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.detail import DetailDialog
from crm_tui.ui.screens.audit_trail import AuditTrailScreen
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.inbox import InboxScreen
from tests import builders
from tests.ui.keys import inbox_on, press_settled, settle

REF = "UPV-2026-0010"
NAME = "Mrs Euphemia \x1b[2J\x1b[41mLorimer \u202eevil"
REASON = "SAR-77 \x1b[2J\x1b[31mRED \u202eevil"
# What a terminal obeys, or what reorders a line unseen: none may be painted.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _stored(db: Path, tmp_path: Path) -> int:
    """The name and a subject access request's reason written into the database as a hand
    edit would; the entry's number."""
    open_database(db)
    case = Case.get(Case.reference == REF)
    customer = Customer.get_by_id(case.customer_id)
    out = tmp_path / "sar"
    out.mkdir()
    export_subject_access(resolve_actor("ceri.hughes"), REF, "SAR-2026-077", out, "Council")
    with builders.as_the_app(REF):
        Customer.update(name=NAME).where(Customer.id == customer.id).execute()
    seq = AuditEntry.select().where(AuditEntry.case_reference == REF).order_by(
        AuditEntry.seq.desc()).get().seq
    AuditEntry.update(reason=REASON).where(AuditEntry.seq == seq).execute()
    return int(seq)


def painted(pilot: Pilot[Any]) -> list[str]:
    """The screen on top as it is sent to the terminal: every segment of every line, after
    every widget's line filters, each line joined. Fails on a control character in any."""
    lines = []
    for number, strip in enumerate(pilot.app.screen._compositor.render_strips()):
        for segment in strip:
            if segment.control is None:
                found = CONTROL.search(segment.text)
                assert found is None, (number, repr(segment.text))
        lines.append(strip.text)
    return lines


def _line(lines: list[str], holding: str) -> str:
    found = [line for line in lines if holding in line]
    assert found, "\n".join(lines)
    return found[0]


async def test_stored_control_characters_are_written_out_on_every_screen(
        db: Path, tmp_path: Path) -> None:
    seq = _stored(db, tmp_path)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        await inbox_on(pilot, REF)
        lines = painted(pilot)
        # The header and the tabs are still there: nothing was cleared.
        assert "Inbox" in "\n".join(lines[:6]), "\n".join(lines)
        row = _line(lines, REF)
        assert "Mrs Euphemia \\x1b[2" in row and "07 Jan 27" in row, row

        await press_settled(pilot, "enter")
        case_file = app.screen
        assert isinstance(case_file, CaseFileScreen), type(case_file).__name__
        lines = painted(pilot)
        assert _line(lines, REF)
        timeline = case_file.query_one("#timeline", DataTable)
        at = next(i for i, entry in enumerate(case_file.entries) if "SAR-77" in entry.detail
                  or "SAR-77" in entry.title)
        timeline.move_cursor(row=at)
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, DetailDialog), type(app.screen).__name__
        lines = painted(pilot)
        assert "SAR-77 \\x1b[2J\\x1b[31mRED \\u202eevil" in "\n".join(lines), "\n".join(lines)

        await press_settled(pilot, "escape", "escape")
        await press_settled(pilot, "a")
        audit_screen = app.screen
        assert isinstance(audit_screen, AuditTrailScreen), type(audit_screen).__name__
        lines = painted(pilot)
        row = _line(lines, f"{seq}  ")
        # (its reason column is past the right edge at 100 columns: told in full below)
        assert REF in row and "Subject access request" in row, row
        assert _line(lines, "When"), "the table's header is gone"
        table = audit_screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(seq)))
        await settle(pilot)
        assert "Why: SAR-77 \\x1b[2J\\x1b[31mRED \\u202eevil" in "\n".join(painted(pilot))


async def test_a_control_character_shown_any_other_way_is_written_out_at_the_last_step(
        db: Path) -> None:
    """The net under every widget: a toast given a raw string (not through `literal`)."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.notify("Sent to Mr \x1b[2J\x1b[31mRed", markup=False)
        await pilot.pause()
        await pilot.pause()
        assert "Sent to Mr \\x1b[2J\\x1b[31mRed" in "\n".join(painted(pilot))
