"""fixAR AR4: a case's letters (W) say what is true of each letter and of the list. The
register said "not posted" of an invitation to comment that can no longer go (never posted by
the day for comments it gives: comments_in.gone); it says it can no longer go, and its preview
says why and that it is owed again. The preview was blank beside "Nothing new to write now":
it says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Static

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_invitation_waiting import unposted
from tests.ui.keys import on_top, settle

REF = "UPV-2025-0003"  # the demo's case whose customer is invited to comment


def _preview(screen: CaseLettersScreen) -> str:
    return " ".join(str(screen.query_one("#letter-text", Static).render()).split())


@pytest.mark.parametrize("size", [(100, 30), (200, 50)], ids=["100x30", "200x50"])
async def test_an_invitation_that_can_no_longer_go_says_so_and_why(
        db: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    raw = SqliteDatabase(str(db))
    unposted(raw, "id = (SELECT MAX(letter.id) FROM letter JOIN \"case\" ON \"case\".id = "
                  "letter.case_id WHERE letter.kind = 'invitation' AND \"case\".reference = ?)",
             (REF,))
    raw.close()
    # The day for comments it gives (11 December 2026) has passed, and it was never posted.
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-14T10:00:00")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(REF))
        invitation = max((e for e in screen.entries if e.kind.value == "invitation"),
                         key=lambda e: e.id)
        assert invitation.posted_on is None and invitation.gone, invitation
        register = screen.query_one("#register", DataTable)
        register.focus()
        register.move_cursor(row=screen.entries.index(invitation))
        await settle(pilot)
        status = str(register.get_row(str(invitation.id))[-1])
        # In full where the register is wide; as short as "not posted" where narrow, so
        # its "Appeal by" stays (the line under it and the preview say it in full).
        assert status == ("cannot go" if size[0] < 160 else "can no longer go"), status
        said = _preview(screen)
        assert said.startswith("Can no longer go: it gives"), said
        assert "The customer was never sent it, and it is signed again, with a new day for " \
               "comments" in said, said


async def test_the_preview_says_when_there_is_nothing_new_to_write(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen("UPV-2026-0004"))
        assert not screen.kinds and screen.entries
        await pilot.press("shift+tab")  # from the register (where it opens) to the list above
        await settle(pilot)
        assert screen.focused is screen.query_one("#kinds", DataTable)
        said = _preview(screen)
        assert said == ("Nothing new to write now: this case calls for no letter at the "
                        "moment. Its letters are in the register (Tab)."), said
