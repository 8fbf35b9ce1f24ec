"""Break 16c finding 7a: the copies a destruction leaves to delete by hand were named only in
a toast (gone in seconds). Its audit entry keeps their paths, and the audit trail shows them
on that entry."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from crm_tui.db.connection import open_database
from crm_tui.services.core import audit, users
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.audit_trail import AuditTrailScreen


async def test_the_audit_trail_shows_what_a_destruction_left_to_delete_by_hand(
        db: Path) -> None:
    database = open_database(db)
    crm = users.resolve_actor("ceri.hughes")
    # A destruction's entry as archive.destroy writes it (its other details left out here).
    audit.record(crm, "destroy", "UPV-2019-0002", "Retention period ended",
                 payload={"left_by_hand": ["/mnt/sent/evidence-bundle-UPV-2019-0002.pdf"]})
    database.close()
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AuditTrailScreen)
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "Left to delete by hand (or confirm sent): /mnt/sent/evidence-bundle-" \
               "UPV-2019-0002.pdf" in detail, detail


async def test_the_line_under_the_table_shows_a_long_reason_to_its_end(db: Path) -> None:
    """b15e F8: the line under the table cut a review's reason after its first lines, with
    nothing to say the rest was missing."""
    from tests.ui.keys import settle

    database = open_database(db)
    crm = users.resolve_actor("ceri.hughes")
    reason = ("Contact has only just been restricted and no new contact has been logged; "
              "the customer cares for her elderly mother, so an earlier review lets us lift "
              "the restrictions sooner if contact settles, as the policy allows for personal "
              "circumstances.")
    audit.record(crm, "continue_unchanged", "UPV-2026-0002", reason)
    database.close()
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AuditTrailScreen)
        detail = app.screen.query_one("#detail", Static)
        shown = " ".join(strip.text for strip in detail.render_lines(
            detail.region.reset_offset))
        assert "as the policy allows for personal circumstances." in " ".join(shown.split())
