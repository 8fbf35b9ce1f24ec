"""A toast never covers what was just acted on (b15e F7): messages stand in a strip of their
own at the foot of the screen, and the screen is laid out above it. At 100x30 the inbox row
just moved to consideration, the builder's "Before a decision can be made", the document being
read, the case's timeline and the letter preview were under the toast."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, SelectionList
from textual.widgets._toast import Toast

from crm_tui.db.connection import open_database
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import decisions
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ticks import TickDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests import builders
from tests.ui.keys import on_top, settle

SIZES = ((100, 30), (80, 24))
NEW_REFERRAL = "UPV-2026-0009"
CONSIDERING = "UPV-2026-0005"  # under consideration: two drafts, not consulted


def the_toast(app: CrmApp) -> Region:
    [toast] = app.screen.query(Toast)
    return toast.region


def cursor_row(table: DataTable[object]) -> Region:
    """Where the row under the table's cursor is drawn; empty when it is out of sight."""
    inside = table.content_region
    y = inside.y + table.header_height + table.cursor_row - round(table.scroll_y)
    row = Region(inside.x, y, inside.width, 1)
    shown = inside.intersection(Region(inside.x, inside.y + table.header_height,
                                       inside.width, inside.height - table.header_height))
    return row if shown.contains_region(row) else Region()


async def test_moving_the_last_row_to_consideration_leaves_it_in_sight(db: Path) -> None:
    for size in SIZES:
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#cases", DataTable)
            table.focus()
            table.move_cursor(row=table.get_row_index(NEW_REFERRAL))
            await pilot.pause()
            # The referral on the list's last line in sight, as the new one was in b15e.
            table.scroll_to(y=table.cursor_row - (table.content_region.height
                                                  - table.header_height) + 1,
                            animate=False, immediate=True)
            await pilot.pause()
            assert cursor_row(table).height, size
            await pilot.press("c")
            await settle(pilot)
            await pilot.pause(0.2)
            assert str(table.get_row_at(table.cursor_row)[0]) == NEW_REFERRAL
            row = cursor_row(table)
            assert row.height, (size, "the row acted on is out of sight")
            assert not the_toast(app).overlaps(row), (size, the_toast(app), row)


async def test_linking_evidence_leaves_what_stands_in_the_way_in_sight(db: Path) -> None:
    open_database(db)
    bare = decisions.draft_restriction(resolve_actor("tomasz.nowak"), CONSIDERING,
                                       builders.SIGNIFICANT_ONLY)
    for size in SIZES:
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=size, notifications=True) as pilot:
            await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
            drafts = app.screen.query_one("#drafts", DataTable)
            drafts.move_cursor(row=drafts.get_row_index(str(bare)))
            await settle(pilot)
            await pilot.press("k")
            await settle(pilot)
            assert isinstance(app.screen, TickDialog)
            app.screen.query_one(SelectionList).focus()
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.pause(0.2)
            assert isinstance(app.screen, RestrictionBuilderScreen)
            panel = app.screen.query_one("#builder-right", Widget).region
            assert not the_toast(app).overlaps(panel), (size, the_toast(app), panel)


async def test_a_toast_leaves_the_document_the_timeline_and_the_letter_in_sight(
        db: Path) -> None:
    for size in SIZES:
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            for screen, read in ((EvidenceScreen("UPV-2025-0006"), "#reader"),
                                 (CaseFileScreen("UPV-2025-0006"), "#timeline"),
                                 (CaseLettersScreen("UPV-2025-0004"), "#letter-preview")):
                await on_top(pilot, screen)
                app.notify("Contact of 20 Oct 2026 10:00 recorded: it falls in the period "
                           "shown (monitoring period, 1 Sep 2026 to 1 Nov 2026), and the log "
                           "sheet lists it.", timeout=30)
                await settle(pilot)
                await pilot.pause(0.2)
                shown = app.screen.query_one(read, Widget).region
                # At 80 columns the letters show one panel: the preview waits for `v`.
                if size[0] >= 100 or read != "#letter-preview":
                    assert shown.height > 2, (size, read)
                assert not the_toast(app).overlaps(shown), (size, read, the_toast(app), shown)
                await pilot.press("escape")
                await settle(pilot)
