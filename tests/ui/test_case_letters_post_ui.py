"""t15c #3: a case whose next action is "Post the … letter" gave no way to its key from the
case: `P` in the case's letters did nothing, silently, and the palette found "Post today" by
"post" only in the Letters area. Now `P` there posts this case's signed letter waiting to go
(the Letters area's dialog and service), is in the footer when there is one, and says why at
once when there is none; the palette finds it from the case file and the case's letters."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from crm_tui.db.models import Letter
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_invitation_waiting import as_if_signed_today, unposted
from tests.ui.keys import on_top, press_settled, settle, shown_keys
from tests.ui.test_palette_finds_ui import listed

SIZE = (100, 30)
TO_POST = "UPV-2025-0003"  # its invitation to comment (letter 16), signed, not yet posted
INVITATION = 16
OTHER_CASE_LETTER = 7  # UPV-2025-0002's appeal outcome, also waiting: not this case's
NOTHING_ISSUED = "UPV-2026-0005"  # under consideration: no letter signed on it yet


@pytest.fixture
def db(db: Path) -> Path:
    """The demo with two signed letters of two cases waiting to be posted (the demo posted
    them when it signed them)."""
    raw = SqliteDatabase(str(db))
    unposted(raw, "id IN (?, ?)", (INVITATION, OTHER_CASE_LETTER))
    as_if_signed_today(raw)  # issue 15 AO1: one waiting since 23 November cannot go
    raw.close()
    return db


def _said(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


async def test_p_in_the_case_letters_posts_this_cases_letter(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(TO_POST))
        assert "P" in shown_keys(app)
        assert screen.active_bindings["P"].binding.description == "Post today"
        await press_settled(pilot, "P")
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        assert [u.id for u in dialog.going] == [INVITATION]  # this case's only
        await press_settled(pilot, "ctrl+s")
        await press_settled(pilot, "y")
        assert app.screen is screen
        assert Letter.get_by_id(INVITATION).post_class == "first"
        assert Letter.get_by_id(OTHER_CASE_LETTER).posted_on is None
        # Posted: P leaves the footer, and says at once why there is nothing to post.
        assert "P" not in shown_keys(app)
        before = len(_said(app))
        await press_settled(pilot, "P")
        assert app.screen is screen
        assert any(f"every letter issued on it has been posted (the last, letter {INVITATION}"
                   in m for m in _said(app)[before:]), _said(app)


@pytest.mark.parametrize(("login", "why"), [
    ("ceri.hughes", f"Nothing of {NOTHING_ISSUED} is waiting to be posted: no letter has been "
                    "signed and issued on it yet."),
    ("hannah.okafor", "may not post letters"),
])
async def test_p_with_nothing_to_post_says_why_at_once(db: Path, login: str, why: str) -> None:
    app = create_app(str(db), login)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(NOTHING_ISSUED if login == "ceri.hughes"
                                                       else TO_POST))
        assert "P" not in shown_keys(app)
        await press_settled(pilot, "P")
        assert app.screen is screen
        assert any(why in m for m in _said(app)), _said(app)


async def test_the_palette_finds_post_today_from_the_case_file_and_its_letters(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_top(pilot, CaseFileScreen(TO_POST))
        helps = dict(await listed(pilot, "post", "Post today"))
        assert "Press P in the case's letters (W here opens it)." in helps["Post today"]
        assert "Not now" not in helps["Post today"]
        await press_settled(pilot, "escape")
        await press_settled(pilot, "W")
        assert isinstance(app.screen, CaseLettersScreen)
        await listed(pilot, "post", "Post today (P)")
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, PostTodayDialog)
        await press_settled(pilot, "escape")
        await press_settled(pilot, "escape")
        await press_settled(pilot, "escape")  # back to the inbox
        await on_top(pilot, CaseFileScreen(NOTHING_ISSUED))
        helps = dict(await listed(pilot, "post", "Post today"))
        assert helps["Post today"].endswith(
            f"Not now: Nothing of {NOTHING_ISSUED} is waiting to be posted: no letter has "
            "been signed and issued on it yet."), helps
