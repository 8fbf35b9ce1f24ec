"""A key that cannot work now is left out of the footer and, pressed, says why at once,
opening no form (b15b F7, b16a F4): Retention's A with nothing to archive, a case's v with no
letter in hand, and on an archived file every key that would change it."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import AuditEntry, Case, ContactLogEntry
from crm_tui.services.retention import schedule
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.escalations import EscalationsDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.screens.retention import RetentionScreen
from crm_tui.ui.toasts import NOTICE_ID
from tests.ui.keys import on_top, settle, shown_keys, told

SIZE = (120, 36)
READ_ONLY = "is archived: its file is read-only"
# The evidence screen's keys that change the file: log, correct, behaviour, link, matter, new,
# close and reopen a matter, attach, import.
WRITES = set("lebkmncodL")


async def test_retention_offers_no_archive_with_nothing_to_archive(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, RetentionScreen())
        assert "A" in shown_keys(app)  # the demo's files due for archive: offered
        schedule.archive_due(app.actor, job="the test's check at start")
        screen.refresh_data()
        await settle(pilot)
        assert "Due for archive: 0 files" in str(screen.query_one("#retention-title").render())
        assert "A" not in shown_keys(app)
        audited = AuditEntry.select().count()
        await pilot.press("A")
        await settle(pilot)
        assert "Nothing to archive: no file is due for archive." in told(app)
        assert AuditEntry.select().count() == audited


async def test_no_read_the_letter_without_a_letter(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen("UPV-2026-0005"))
        assert screen.kinds == [] and screen.entries == []  # nothing to write, none issued
        assert "v" not in shown_keys(app)
        await pilot.press("v")
        await settle(pilot)
        assert "No letter to read here: nothing new to write on this case now." in told(app)
        assert not screen.has_class("-reading")


async def test_an_archived_files_evidence_keys_say_why_at_once(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        archived = Case.get(Case.state == "archived").reference
        contacts, entries = ContactLogEntry.select().count(), AuditEntry.select().count()
        screen = await on_top(pilot, EvidenceScreen(archived))
        for tab in "1234":
            await pilot.press(tab)
            await settle(pilot)
            assert not shown_keys(app) & WRITES, (tab, shown_keys(app) & WRITES)
        tried = 0
        for tab, keys in (("1", "lbkdL"), ("2", "lebkmL"), ("4", "nco")):
            await pilot.press(tab)
            await settle(pilot)
            for key in keys:
                app._notifications.clear()
                await pilot.press(key)
                await settle(pilot)
                assert app.screen is screen, (tab, key, type(app.screen).__name__)
                assert f"{archived} {READ_ONLY}" in told(app), (tab, key, told(app))
                tried += 1
        assert tried == 14
        assert ContactLogEntry.select().count() == contacts
        assert AuditEntry.select().count() == entries


async def test_an_archived_file_records_no_escalation_and_says_why_at_once(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        archived = Case.get(Case.state == "archived").reference
        entries = AuditEntry.select().count()
        await on_top(pilot, CaseFileScreen(archived))
        await pilot.press("E")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EscalationsDialog)
        assert "n records one" not in str(dialog.query_one("#esc-help").render())
        assert not dialog.check_action("record", ())
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog  # no choice of kind, no form
        # Said on the dialog's own notice line (a toast would sit under it).
        notice = str(dialog.query_one(f"#{NOTICE_ID}").render())
        assert f"{archived} {READ_ONLY}" in notice, notice
        assert AuditEntry.select().count() == entries
