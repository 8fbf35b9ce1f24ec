"""The audit trail read again from the top while a page was being read (a change told from
elsewhere, or F5): the older read's page, arriving after, is dropped; the list never holds an
entry twice. Found by a clean run: the app's check at start recorded an entry as the audit
trail opened, both reads' pages were added, DuplicateKey stopped the app."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.audit_trail import AuditTrailScreen
from tests.ui.keys import on_top, settle


async def test_a_page_read_before_the_list_was_read_again_is_dropped(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        trail = await on_top(pilot, AuditTrailScreen())
        assert isinstance(trail, AuditTrailScreen)
        table = trail.query_one(DataTable)
        first_page = [trail.records[str(key.value)] for key in list(table.rows)]
        assert first_page
        read_for = trail.generation
        trail.refresh_data()  # read again from the top, as a change told from elsewhere does
        await settle(pilot)
        shown = table.row_count
        trail.add_rows(first_page, read_for)  # the older read's page comes back late
        await settle(pilot)
        assert table.row_count == shown
        # And a page that comes twice for the same reading adds each entry once.
        trail.add_rows(first_page[:3], trail.generation)
        await settle(pilot)
        assert table.row_count == shown
        assert len({str(k.value) for k in table.rows}) == table.row_count
