"""`S` in the case file answers a subject access request: the reason asked for, the export
run in a worker, a toast naming the files; offered to the Complaints Resolution Team only."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from crm_tui.db.models import AuditEntry
from crm_tui.domain.errors import PermissionDenied
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.retention.subject_access import export_subject_access
from crm_tui.ui.app import create_app
from crm_tui.ui.commands import palette_commands
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.keys_help import keys_of
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import settle, shown_keys, told

SIZE = (100, 30)
RESTRICTED = "UPV-2025-0004"


async def test_s_exports_everything_held_and_names_the_files(db: Path, tmp_path: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(RESTRICTED))
        await settle(pilot)
        assert "Subject access" in [k.title for k in keys_of(app.screen)]  # in `?` help
        assert "Subject access (S)" in [c.title for c in palette_commands(app, app.screen)]
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await pilot.press("ctrl+s")  # no reason yet: said in the dialog, nothing written
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        assert not (tmp_path / "data" / "exports").exists()
        app.screen.query_one(TextArea).insert("SAR-2026-031, letter of 20 Nov 2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        [toast] = [n for n in app._notifications if n.title == "Subject access request"]
        [folder] = (tmp_path / "data" / "exports").iterdir()
        files = sorted(p.name for p in folder.iterdir() if p.is_file())
        assert len(files) == 3 and all(name in toast.message for name in files)
        assert any((folder / "documents").iterdir())  # the demo case's documents, copied
        assert "not for release" in toast.message and " in documents/" in toast.message
        assert AuditEntry.select().where(
            (AuditEntry.action == "subject_access_request")
            & (AuditEntry.reason == "SAR-2026-031, letter of 20 Nov 2026")).exists()


@pytest.mark.parametrize(("login", "role"), [
    ("priya.raman", "Head of Service"), ("hannah.okafor", "Service area manager")])
async def test_the_key_is_the_teams_only_and_says_so_at_once(
        db: Path, tmp_path: Path, login: str, role: str) -> None:
    """b16f F8: `S` as the Head of Service did nothing. It says who does it, in the words
    `crm-tui sar` refuses with, and stays out of the footer; nothing is written."""
    app = create_app(str(db), login)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        actor = resolve_actor(login)
        assert actor.role.label.startswith(role)
        said = (f"{actor.role.label} may not export a subject access request; only the "
                "Complaints Resolution Manager or Complaints Resolution Team officer may.")
        app.push_screen(CaseFileScreen(RESTRICTED))
        await settle(pilot)
        assert "S" not in shown_keys(app)
        entries = AuditEntry.select().count()
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        assert said in told(app), told(app)
        assert AuditEntry.select().count() == entries
        assert not (tmp_path / "data" / "exports").exists()
    # The command line says the same (its "Error: " before it).
    with pytest.raises(PermissionDenied) as refused:
        export_subject_access(actor, RESTRICTED, "SAR-2026-031", tmp_path / "out", "Council")
    assert str(refused.value) == said
