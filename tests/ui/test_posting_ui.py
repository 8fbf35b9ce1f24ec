""""Post today" by keys in the Letters area: the letters waiting, the class chosen, a
recorded-delivery number refused at its field, then the print pack made and the posting
recorded; and a service area manager is told they do not post."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Input, Label

from crm_tui.db.models import Letter
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.demo_invitation_waiting import letters_waiting
from tests.ui.keys import on_top, settle

SIZE = (140, 40)
NUMBERS = ("AB123456785GB", "EB000717595GB")


@pytest.fixture
def db(db: Path) -> Path:
    """The demo, its letters waiting to be posted again (the demo posted them when it signed
    them), but for the decision letters, whose appeal dates have passed: they cannot go out
    now; and but for the January invitation to comment of the extended story (signed since
    v15e F13: a proposal's invitation is signed before its comments are awaited)."""
    letters_waiting(db)  # issue 15 AO1: one waiting since 23 November cannot go
    return db


async def test_post_today_makes_the_pack_and_records_the_posting(db: Path,
                                                                 tmp_path: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen)
        assert app.screen.active_bindings["P"].binding.description == "Post today"
        await pilot.press("P")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        table = dialog.query_one("#post-letters", DataTable)
        assert table.row_count == 3
        # The demo's appeal outcome gives a review date already past: it starts left out, and
        # says why (found when tried: it was offered as ready to go).
        stale = next(u for u in dialog.going if u.cannot_go)
        assert dialog.left_out == {stale.id} and "18 November 2026" in stale.cannot_go
        assert table.get_cell(str(stale.id), "Goes") == "\u2014"
        assert "cannot go" in str(table.get_cell(str(stale.id), "Letter"))
        assert not dialog.query_one("#recorded").has_class("-shown")  # first class to begin
        await pilot.press("tab", "right", "right", "space")  # recorded delivery
        await settle(pilot)
        assert dialog.query_one("#recorded").has_class("-shown")
        ids = [u.id for u in dialog.going if u.id != stale.id]
        table.focus()
        await pilot.press("down", "down", "enter")  # the last letter does not go today
        await settle(pilot)
        assert dialog.left_out == {stale.id, ids[-1]}
        kept_back, ids = ids[-1], ids[:-1]
        [going] = ids
        dialog.query_one(f"#tracking_{going}", Input).value = "EB000717594GB"  # mistyped
        await pilot.press("ctrl+s")  # refused before "Record N letters … as Tomasz Nowak…?"
        await settle(pilot)
        assert app.screen is dialog
        error = dialog.query_one(f"#tracking_{going}-error", Label)
        assert error.display and "check digit" in str(error.render())
        assert app.focused is dialog.query_one(f"#tracking_{going}", Input)
        assert not (tmp_path / "data" / "print").exists()  # nothing made
        dialog.query_one(f"#tracking_{going}", Input).value = NUMBERS[1]
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen), dialog.query_one("#form-error").render()
        pack = tmp_path / "data" / "print" / "print-pack-2026-11-28-01.pdf"
        assert pack.is_file()
        rows = {r.id: r for r in Letter.select()}
        assert (rows[going].post_class, rows[going].tracking, rows[going].print_pack) == (
            "recorded", NUMBERS[1], pack.name)
        assert (rows[kept_back].posted_on, rows[kept_back].print_pack) == (None, "")
        assert rows[stale.id].posted_on is None
        # A long path is broken after "/" or "-" to fit the toast (ui/toasts): joined here.
        notices = [n.message.replace("/\n", "/").replace("-\n", "-")
                   for n in app._notifications]
        assert any(f"Print pack for the print room: {pack}" in m for m in notices), notices
        await pilot.press("P")  # the letter kept back is still waiting, and the stale one
        await settle(pilot)
        assert isinstance(app.screen, PostTodayDialog)
        assert [u.id for u in app.screen.going] == [stale.id, kept_back]
        await pilot.press("ctrl+s")  # first class: the kept-back letter only
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen)
        assert Letter.get_by_id(kept_back).post_class == "first"
        assert Letter.get_by_id(stale.id).posted_on is None
        assert (tmp_path / "data" / "print" / "print-pack-2026-11-28-02.pdf").is_file()


async def test_a_service_area_manager_does_not_post(db: Path, tmp_path: Path) -> None:
    app = create_app(str(db), "hannah.okafor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen)
        assert any("may not post letters" in n.message for n in app._notifications)
    # Only the demo's decision letters (and its January invitation) stay posted.
    assert Letter.select().where(Letter.posted_on.is_null(False)
                                 & (Letter.kind != "decision")).count() == 1


async def test_the_case_file_shows_the_posting_beside_the_appeal_deadline(db: Path) -> None:
    from datetime import date

    from textual.widgets import Static

    from crm_tui.ui.screens.case_file import CaseFileScreen

    # The decision letter as issued now, with the appeal deadline worked out at issue.
    raw = SqliteDatabase(str(db))
    # (Its kept text, which gives its dates of December 2025, is left out: only the appeal
    # date stands in the way of posting it now.)
    raw.execute_sql("UPDATE letter SET appeal_by = '2027-01-05', posted_on = NULL, "
                    "posted_at = NULL, post_class = '', posted_by_id = NULL, content = '' "
                    "WHERE kind = 'decision' AND case_id = "
                    "(SELECT id FROM \"case\" WHERE reference = 'UPV-2025-0004')")
    [(letter_id,)] = raw.execute_sql(
        "SELECT letter.id FROM letter JOIN \"case\" ON \"case\".id = letter.case_id "
        "WHERE kind = 'decision' AND reference = 'UPV-2025-0004'").fetchall()
    raw.close()
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen("UPV-2025-0004"))
        await settle(pilot)
        panel = app.screen.query_one("#in-force", Static)
        assert "Appeal by 5 Jan 2027 — letter not yet posted" in str(panel.render())
        await pilot.press("escape", "l")
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("ctrl+s")  # first class, today
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert Letter.get_by_id(letter_id).posted_on == date(2026, 11, 28)
        screen = await on_top(pilot, CaseFileScreen("UPV-2025-0004"))
        panel = screen.query_one("#in-force", Static)
        assert "Appeal by 5 Jan 2027 — letter posted 28 Nov 2026" in str(panel.render())
        assert "Letter posted on 28 Nov 2026 (first class)" in [e.title for e in screen.entries]


async def test_the_register_keeps_its_number_and_appeal_by_at_100x30(db: Path) -> None:
    # Round 10: with signed letters in it, the register dropped "No." and "Appeal by" at
    # 100x30; who prepared or signed a letter (said in the detail under it) goes first.
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LettersScreen)
        assert any(e.signed_at and e.appeal_by for e in screen.issued)
        table = screen.query_one("#issued", DataTable)
        shown = [c.label.plain for c in table.columns.values()]
        assert shown[:5] == ["No.", "Case", "Letter", "Dated", "Appeal by"], shown
        assert table.region.right <= 100


async def test_post_today_is_left_out_with_nothing_to_post_and_says_so_at_once(
        db: Path) -> None:
    """b15d m5: the footer offered `P Post today` when no signed letter waited to be posted."""
    from tests.ui.keys import shown_keys, told

    raw = SqliteDatabase(str(db))  # every letter posted, as in the demo as shipped
    raw.execute_sql("UPDATE letter SET posted_on = '2026-12-01' WHERE posted_on IS NULL")
    raw.close()
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LettersScreen)
        assert "P" not in shown_keys(app), shown_keys(app)
        await pilot.press("P")
        await settle(pilot)
        assert app.screen is screen
        assert told(app)[-1].startswith("No signed letters are waiting to be posted."), told(app)
