"""The screening queue turned from the post waiting to be read to the post screened while the
first list is still being read: the rows read for the list left behind are dropped, never shown
under the other list's columns."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from crm_tui.services.evidence import screening
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.screening import ScreeningScreen
from tests.ui.keys import settle, until


async def test_a_list_read_before_the_turn_to_the_other_list_is_dropped(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hold, reading, release = threading.Event(), threading.Event(), threading.Event()
    real_page = screening.page

    def held_page(actor: Any, **kw: Any) -> Any:
        got = real_page(actor, **kw)
        if hold.is_set() and not kw["screened"] and not reading.is_set():
            reading.set()  # the post waiting to be read, read once more: held back
            release.wait(10)
        return got

    monkeypatch.setattr(screening, "page", held_page)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScreeningScreen)
        unread = set(screen.rows)
        assert unread  # the demo has post waiting to be read
        hold.set()
        await pilot.press("f5")  # read the waiting post again (held back)
        await until(pilot, reading.is_set)
        await pilot.press("f")  # and turn to the post screened meanwhile
        await until(pilot, lambda: screen.screened and bool(screen.rows))
        screened = set(screen.rows)
        release.set()  # the waiting post's rows arrive now
        await settle(pilot)
        table = screen.query_one("#queue", DataTable)
        keys = {table.coordinate_to_cell_key((r, 0)).row_key.value
                for r in range(table.row_count)}
        assert keys == set(screen.rows) == screened
        assert not keys & unread
