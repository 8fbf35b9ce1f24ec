"""The case's letters show the letter last asked for: a read of the preview overtaken by a newer
one (a user switch, or the cursor moved, while it ran) is dropped when it ends, not shown over
the newer one (t15 #1: fast switching re-read the screen, and its preview, every round)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from crm_tui.services.letters import copies
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.ui.keys import WORKER_WAIT, on_top, settle

APPEAL_DECIDED = "UPV-2025-0002"  # its decision and appeal outcome letters issued


async def test_an_overtaken_read_of_the_preview_is_not_shown(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEAL_DECIDED))
        older, newer = (entry.id for entry in screen.entries[:2])
        released = threading.Event()
        ended = threading.Event()
        read = copies.issued_text

        def slow_for_older(actor: Any, letter_id: int) -> str:
            if letter_id != older:
                return read(actor, letter_id)
            released.wait(WORKER_WAIT)  # still reading when the newer read starts and ends
            try:
                return read(actor, letter_id)
            finally:
                ended.set()

        monkeypatch.setattr(copies, "issued_text", slow_for_older)
        screen.read_issued(older)
        await pilot.pause(0.1)
        screen.read_issued(newer)
        await settle(pilot)
        shown = screen._shown_body
        assert shown, "the newer letter is shown"
        released.set()
        assert ended.wait(WORKER_WAIT)
        await pilot.pause(0.2)
        await settle(pilot)
        assert screen._shown_body == shown, "the older read, ended last, replaced the letter"
