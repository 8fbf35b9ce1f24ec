"""The evidence screen's log sheet read again while its next page is being read: the page read
for the list as it was is dropped, never added to the new list (a row key held twice stops the
app with DuplicateKey, as the audit trail's paging once did)."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crm_tui.services.evidence import log_sheet
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.widgets.log_sheet_table import LogSheetTable
from tests.ui.keys import settle, until

REF = "UPV-2025-0004"
PAGE = 20


async def test_a_next_page_read_before_the_list_was_read_again_is_dropped(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reading, release = threading.Event(), threading.Event()
    real_page = log_sheet.page

    def slow_next_page(actor: Any, reference: str, f: Any,
                       after: tuple[datetime, int] | None = None, **kw: Any) -> Any:
        got = real_page(actor, reference, f, after, size=PAGE)  # pages the demo case fills
        if after is not None and not reading.is_set():
            reading.set()  # the first next page only: held until the list was read again
            release.wait(10)
        return got

    monkeypatch.setattr(log_sheet, "page", slow_next_page)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.push_screen(EvidenceScreen(REF))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        await pilot.press("2")  # the log sheet is built when first shown
        await settle(pilot)
        log = screen.query_one(LogSheetTable)
        first_rows = log.row_count
        assert first_rows == PAGE < log.total  # there is a next page to read
        shown: list[int] = []
        first_page = log.show_page

        def counted_show_page(*a: Any, **kw: Any) -> None:
            shown.append(1)
            first_page(*a, **kw)

        monkeypatch.setattr(log, "show_page", counted_show_page)
        log.focus()
        log.move_cursor(row=first_rows - 1)  # near the end: the next page is read (and held)
        # Not `settle`: it would wait for the held read.
        await until(pilot, reading.is_set)
        screen.show_again()  # a change told: the list starts again from the newest
        await until(pilot, lambda: bool(shown))
        # The new list, and its own next page read (the cursor kept near the end).
        await until(pilot, lambda: log.row_count == 2 * PAGE)
        release.set()  # the page read for the old list arrives now
        await settle(pilot)
        assert app.is_running and app.screen is screen
        keys = [log.coordinate_to_cell_key((r, 0)).row_key.value for r in range(log.row_count)]
        assert len(keys) == len(set(keys)) == 2 * PAGE

