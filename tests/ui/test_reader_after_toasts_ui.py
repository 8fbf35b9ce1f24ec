"""Once the toasts have gone, the evidence's document reader has its lines back (v16g G8: at
80x24, after three toasts in a row had come and gone, the reader stayed lines short with blank
rows under it: the strip the toasts stood in stayed shown, empty, when the last one ran out)."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._toast import Toast

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.screens.evidence import EvidenceScreen
from tests.ui.keys import on_top, press_settled, settle

CASE = "UPV-2025-0004"
READ = ".eml"  # an email read, as the report read one


async def test_the_reader_has_its_lines_back_once_the_toasts_have_gone(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await on_top(pilot, EvidenceScreen(CASE))
        table = screen.query_one("#documents", DataTable)
        reader = screen.query_one("#reader", Widget)
        while READ not in str(table.get_row_at(table.cursor_row)[0]):
            assert table.cursor_row < table.row_count - 1, f"{READ} is not listed"
            await press_settled(pilot, "down")
        before = reader.region
        footer_at = app.screen.size.height - 1
        assert before.bottom == footer_at, (before, "the reader reaches the keys at first")
        for _ in range(3):  # link the document, three times in a row: a toast each time
            await press_settled(pilot, "k")
            assert isinstance(app.screen, ChooseDialog)
            await press_settled(pilot, "enter")
        assert list(screen.query(Toast)), "no toast to see go"
        assert reader.region.height < before.height  # the toasts' strip took lines
        # Each runs out as its own timer has it do (Toast._expire, checked by
        # test_textual_private), at once rather than seconds on: the app's check for toasts
        # past their time (every second) would otherwise take some down its own way first.
        for toast in list(screen.query(Toast)):
            toast._expire()
        await settle(pilot)
        assert not screen.query(Toast)
        assert reader.region == before, (reader.region, before)
