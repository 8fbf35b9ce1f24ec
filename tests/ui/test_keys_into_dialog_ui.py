"""Keys typed straight after a key that opens a dialog or a screen go to what it opens, as
they would typed one by one (b15b F1: `r` then "could you send…" in one burst: the `c` went to
the inbox, whose `c` moved the referral to consideration unasked; an `l` switched area).

The reads before a dialog or a screen opens are slowed a little, as on a busy machine: the
keys arrive while they run, as a burst from tmux or a paste does."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crm_tui.db.models import AuditEntry, Case
from crm_tui.domain.errors import PermissionDenied
from crm_tui.services.intake import case_file
from crm_tui.services.restrictions import builder
from crm_tui.ui import triage
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.dialogs.log_contact import LogContactDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.keys_wait import IN_BACKGROUND
from crm_tui.ui.screens import evidence
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import WORKER_WAIT, settle, terminal_burst
from tests.ui.test_inbox import move_to

SIZE = (100, 30)


def slowed(read: Callable[..., Any]) -> Callable[..., Any]:
    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return read(*args, **kwargs)
    return slow


async def test_a_request_typed_straight_after_r_is_the_dialogs(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triage, "refusal", slowed(triage.refusal))
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0009")
        audited = AuditEntry.select().count()
        await pilot.press("r", *"could you send the log sheets")
        await settle(pilot)
        stack = [type(s).__name__ for s in app.screen_stack]
        assert stack == ["InboxScreen", "TextPromptDialog"], stack  # one dialog, over the inbox
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        assert dialog.query_one("#text").text == "could you send the log sheets"  # type: ignore[attr-defined]
        # Nothing acted on the inbox: no consideration begun, no area switched, nothing audited.
        assert Case.get(Case.reference == "UPV-2026-0009").state == "new"
        assert AuditEntry.select().count() == audited
        assert app.current_mode == "inbox"


async def test_keys_after_enter_reach_the_case_file_and_what_it_opens(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_file, "case_file", slowed(case_file.case_file))
    monkeypatch.setattr(evidence, "read_evidence", slowed(evidence.read_evidence))
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0004")
        # Enter opens the case file, `v` its evidence, `2` the log sheet's tab there.
        await pilot.press("enter", "v", "2")
        await settle(pilot)
        stack = [type(s) for s in app.screen_stack]
        assert stack == [InboxScreen, CaseFileScreen, EvidenceScreen], stack
        assert app.screen.query_one("#evidence-tabs").active == "log-tab"  # type: ignore[attr-defined]
        # `l` straight after `v`: the evidence's Log contact, not the case file's area key.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("v", "l")
        await settle(pilot)
        assert isinstance(app.screen, LogContactDialog), type(app.screen).__name__
        assert app.current_mode == "inbox"


async def test_keys_go_on_past_work_done_in_the_background(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A verification (as an export) is said by a toast when done: the keys after its key act
    at once, not once it has ended."""
    from crm_tui.services.core import audit

    real = audit.verify
    # The verification is held until the keys after its key have been seen to act (it slept
    # two seconds, which a loaded machine could pass before the keys were looked at): at
    # most WORKER_WAIT, never a hang.
    released = threading.Event()

    def slow_verify(*args: Any, **kwargs: Any) -> Any:
        released.wait(WORKER_WAIT)
        return real(*args, **kwargs)

    monkeypatch.setattr(audit, "verify", slow_verify)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert app.current_mode == "audit"
        try:
            await pilot.press("v", "i")
            assert app.current_mode == "inbox"  # while the chain is still being verified
            assert any(w.name == IN_BACKGROUND and not w.is_finished for w in app.workers)
        finally:
            released.set()
        await settle(pilot)


# A burst as a terminal delivers it (tmux's send-keys, b15 N2): every key in the app's queue
# before the first has acted. Enter on the inbox opens the case file only once the list's
# "row chosen" has reached the inbox; the keys after it were handed to the inbox before that.

async def test_enter_v_2_in_one_burst_opens_the_log_sheet(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0004")
        terminal_burst(pilot, "enter", "v", "2")
        await settle(pilot)
        stack = [type(s) for s in app.screen_stack]
        assert stack == [InboxScreen, CaseFileScreen, EvidenceScreen], stack
        assert app.screen.query_one("#evidence-tabs").active == "log-tab"  # type: ignore[attr-defined]


async def test_enter_r_a_in_one_burst_asks_which_restriction(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0005")
        terminal_burst(pilot, "enter", "R", "a")
        await settle(pilot)
        stack = [type(s) for s in app.screen_stack]
        assert stack == [InboxScreen, CaseFileScreen, RestrictionBuilderScreen,
                         ChooseDialog], stack
        assert app.current_mode == "inbox"  # `a` did not switch to the audit trail


async def test_a_request_typed_in_one_burst_after_r_is_the_dialogs(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0009")
        audited = AuditEntry.select().count()
        terminal_burst(pilot, "r", *"could you send the log sheets")
        await settle(pilot)
        stack = [type(s).__name__ for s in app.screen_stack]
        assert stack == ["InboxScreen", "TextPromptDialog"], stack
        assert app.screen.query_one("#text").text == "could you send the log sheets"  # type: ignore[attr-defined]
        assert Case.get(Case.reference == "UPV-2026-0009").state == "new"
        assert AuditEntry.select().count() == audited
        assert app.current_mode == "inbox"


async def test_keys_after_a_refused_opening_are_dropped_with_the_refusal_shown(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PermissionDenied("Only the Complaints Resolution Manager may build restrictions")

    monkeypatch.setattr(builder, "builder_view", refused)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0005")
        # The second Enter was meant for the builder: it must not close the refusal unread.
        terminal_burst(pilot, "enter", "R", "enter", "a")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog), type(app.screen).__name__
        assert app.current_mode == "inbox"
