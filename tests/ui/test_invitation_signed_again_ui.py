"""Issue 15 AS1, AS2, AS3 in the app: the demo's UPV-2025-0003, its invitation to comment signed on
23 November 2026 and never posted, can no longer go on the suite's day; it is signed again.
The first is then superseded by the new one: the case's letters (W) read "superseded by N"
(it read "can no longer go", its preview "it is signed again" beside "Nothing new to write
now"), P in W posts the new one only, and the Letters area's Post today does not list the
first at all (it listed it, "Write to the customer again from W")."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from crm_tui import clock
from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.demo_invitation_waiting import CASE, invitation_unposted
from tests.ui.keys import on_top, press_settled, settle

SIZE = (100, 30)


@pytest.fixture
def again(db: Path, tmp_path: Path) -> tuple[int, int]:
    """The first invitation (unposted, can no longer go) and the one signed again in its
    place (outside the test's event loop: signing runs one of its own)."""
    invitation_unposted(db)
    open_database(db)
    [first] = Letter.select().where((Letter.kind == "invitation") & (
        Letter.case == Case.get(Case.reference == CASE).id))
    second = issuing.sign_and_export(resolve_actor("ceri.hughes"), CASE, LetterKind.INVITATION,
                                     tmp_path / "out", DEMO_PASSPHRASE).letter_id
    return int(first.id), second


def _preview(screen: CaseLettersScreen) -> str:
    return " ".join(str(screen.query_one("#letter-text", Static).render()).split())


async def test_w_reads_the_first_superseded_and_p_posts_the_new_one_only(
        db: Path, again: tuple[int, int]) -> None:
    first, second = again
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_top(pilot, CaseFileScreen(CASE))
        await press_settled(pilot, "W")
        screen = app.screen
        assert isinstance(screen, CaseLettersScreen)
        [old] = [e for e in screen.entries if e.id == first]
        assert (old.shown_status, old.gone) == (f"superseded by {second}", ""), old
        register = screen.query_one("#register", DataTable)
        register.focus()
        register.move_cursor(row=screen.entries.index(old))
        await settle(pilot)
        said = _preview(screen)
        assert said.startswith(f"Superseded: it could no longer go, and letter {second} was "
                               "signed again in its place."), said
        assert "Can no longer go" not in said and "it is signed again" not in said, said
        await press_settled(pilot, "P")
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        assert [u.id for u in dialog.going] == [second], dialog.going
        assert not dialog.left_out


async def test_post_today_does_not_list_the_first(db: Path, again: tuple[int, int]) -> None:
    first, second = again
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_top(pilot, LettersScreen())
        await press_settled(pilot, "P")
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        ids = [u.id for u in dialog.going]
        assert first not in ids and second in ids, dialog.going
        assert second not in dialog.left_out


async def test_signed_and_not_posted_the_case_file_asks_for_it_to_be_posted(
        db: Path) -> None:
    """AS3: on 23 November, the day it was signed, the demo's invitation (giving 11
    December) can still go that day only: the case file's next action is to post it, due
    that day (it said "Customer's comments due 11 Dec"), W leads with P, and P offers it."""
    invitation_unposted(db)
    with clock.travel_to(datetime(2026, 11, 23, 16, 0)):
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            case_file = await on_top(pilot, CaseFileScreen(CASE))
            assert case_file.data is not None
            summary = case_file.data.summary
            assert (summary.next_action, str(summary.next_action_due)) == (
                "Post the invitation to comment", "2026-11-23"), summary
            assert case_file.footer_leads() == ("W",)
            await press_settled(pilot, "W")
            screen = app.screen
            assert isinstance(screen, CaseLettersScreen)
            assert "P" in screen.footer_leads()
            await press_settled(pilot, "P")
            dialog = app.screen
            assert isinstance(dialog, PostTodayDialog)
            [waiting] = dialog.going
            assert waiting.kind is LetterKind.INVITATION and not dialog.left_out, dialog.going
