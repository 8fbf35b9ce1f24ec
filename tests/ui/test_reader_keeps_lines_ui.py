"""While the toasts after logging a contact stand in their strip, the evidence's document reader
keeps lines of its own: the documents' table gives up its empty rows, then more, first (v15d N2:
at 80x24 the table kept nine lines, four empty, and the reader got none for ~10 s)."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.widgets import DataTable, Input
from textual.widgets._toast import Toast

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.log_contact import LogContactDialog
from crm_tui.ui.screens.evidence import EvidenceScreen
from tests.ui.keys import on_top, press_settled, settle, told
from tests.ui.test_toast_strip_ui import cursor_row

SIZES = ((80, 24), (100, 30))
CASE = "UPV-2026-0002"  # three documents, an email read first
READER_LINES = 3


async def test_logging_a_contact_leaves_the_reader_lines_of_its_own(db: Path) -> None:
    for size in SIZES:
        app = create_app(str(db), "tomasz.nowak")
        async with app.run_test(size=size, notifications=True) as pilot:
            screen = await on_top(pilot, EvidenceScreen(CASE))
            table = screen.query_one("#documents", DataTable)
            assert table.row_count == 3
            await press_settled(pilot, "l")
            dialog = app.screen
            assert isinstance(dialog, LogContactDialog)
            dialog.query_one("#officer", Input).value = "Tomasz Nowak"
            dialog.query_one("#minutes", Input).value = "5"
            dialog.query_one("#summary", Input).value = "Rang three times about the gutter"
            await press_settled(pilot, "ctrl+s")
            await pilot.pause(0.2)
            assert app.screen is screen
            assert any("recorded" in said for said in told(app)), told(app)
            toasts = [toast.region for toast in screen.query(Toast)]
            assert toasts, (size, "the toasts are gone before the look")
            tabs = screen.query_one("#evidence-tabs", Widget).region
            reader = screen.query_one("#reader", Widget)
            # Lines of its own, whole inside the tabs (not laid out past their foot), and no
            # toast over them.
            assert reader.content_region.height >= READER_LINES, (size, reader.region)
            assert tabs.contains_region(reader.region), (size, tabs, reader.region)
            assert not any(toast.overlaps(reader.region) for toast in toasts), size
            # The table keeps its header and the highlighted document in sight, and holds no
            # empty rows while the reader is short of lines.
            assert cursor_row(table).height, size
            assert table.region.height <= table.header_height + table.row_count, size
            if size == (100, 30):  # room for every row and the reader too
                assert table.region.height == table.header_height + table.row_count
            await settle(pilot)
