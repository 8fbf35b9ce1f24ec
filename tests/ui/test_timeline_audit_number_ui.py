"""Found when tried: the case file's timeline gave no audit entry number for a recorded step,
where the audit trail's screen numbers its lines "#n": a reader could not go from one to the
other. The timeline's "#" column and each entry's detail (Enter) name it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from crm_tui.db.models import AuditEntry
from crm_tui.services.core.database import session
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.detail import DetailDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import press_settled, settle


async def test_the_timeline_names_each_steps_audit_entry(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen("UPV-2025-0002"))  # restricted: decided and consulted
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseFileScreen)
        table = screen.query_one("#timeline", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        decision = next(n for n, row in enumerate(rows) if row[1] == "decision")
        number = rows[decision][3]
        assert number.startswith("#"), rows[decision]
        with session():
            entry = AuditEntry.get(AuditEntry.seq == int(number[1:]))
        assert entry.case_reference == "UPV-2025-0002"
        assert entry.action == "impose_restrictions"
        table.move_cursor(row=decision)
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, DetailDialog)
        assert f"Audit entry: {number}" in app.screen._body, app.screen._body
