"""A commit that lands while a screen reads itself again is always followed by another read,
and that later read is what the screen shows: the earlier one, overtaken, is dropped even
when it reaches the screen last (a loaded run once showed 88 of 91 contacts after six quick
commits). The interleaving is forced with events, not left to timing."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crm_tui.domain.contact import Channel, Direction
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.intake import case_file as case_file_service
from crm_tui.ui import delivery
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import settle
from tests.ui.test_truth_ui import NEW, elsewhere, opened, text_of

WAIT = 20.0  # seconds: only a broken interleaving waits this long


async def waited(event: threading.Event) -> None:
    assert await asyncio.to_thread(event.wait, WAIT), "the forced interleaving did not happen"


async def test_a_commit_during_a_reload_is_read_again_and_the_overtaken_read_is_dropped(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=(140, 40)) as pilot:
        case = await opened(pilot, app, CaseFileScreen(NEW))
        assert case.data is not None
        before = case.data.contacts_total

        real_read, real_deliver = case_file_service.case_file, delivery.Delivered.__init__
        first_read, committed = threading.Event(), threading.Event()
        second_delivered, first_delivered = threading.Event(), threading.Event()
        reads: list[int] = []

        def read(*args: Any, **kwargs: Any) -> Any:
            data = real_read(*args, **kwargs)
            reads.append(data.contacts_total)
            if len(reads) == 1:  # the first read has read; the commit lands now
                first_read.set()
                committed.wait(WAIT)
            return data

        def delivered(message: Any, callback: Any, args: tuple[Any, ...],
                      worker: Any = None) -> None:
            data = args[0] if args else None
            if getattr(data, "contacts_total", None) == before:  # the overtaken read
                second_delivered.wait(WAIT)  # reaches the screen after the newer one
                real_deliver(message, callback, args, worker)
                first_delivered.set()
                return
            real_deliver(message, callback, args, worker)
            if getattr(data, "contacts_total", None) == before + 1:
                second_delivered.set()

        monkeypatch.setattr(case_file_service, "case_file", read)
        monkeypatch.setattr(delivery.Delivered, "__init__", delivered)
        await pilot.press("f5")  # a read starts
        await waited(first_read)
        officer = resolve_actor("tomasz.nowak")
        await elsewhere(lambda: contacts.log_contact(officer, NEW, ContactInput(
            at=datetime(2026, 11, 27, 9, 0), channel=Channel.TELEPHONE,
            direction=Direction.INBOUND, service_area="Council Tax and Benefits",
            officer_name="Tomasz Nowak", summary="Asked again about the same bill",
            duration_minutes=10)))
        for _ in range(20):  # the change is told: a second read starts, the first waits
            await pilot.pause()
            if len(reads) > 1:
                break
        committed.set()
        await waited(second_delivered)
        await waited(first_delivered)
        await settle(pilot)
        await pilot.pause()
        assert reads == [before, before + 1]  # the commit was followed by another read
        assert case.data is not None and case.data.contacts_total == before + 1
        assert f"{before + 1} contacts logged" in text_of(app, "#case-status")
