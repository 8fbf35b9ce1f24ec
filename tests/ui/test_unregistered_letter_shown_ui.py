"""A signed letter an interrupted export left outside the register (`letters export` killed
between signing and registering) was named by `audit verify`, while the app's Letters area
(`l`) and its audit screen (`a`, `v`) said nothing of it. Both name it now: where it is, and
what to do."""

from __future__ import annotations

import hashlib
from pathlib import Path

from textual.widgets import Static

from crm_tui.private_files import write_new_private_bytes
from crm_tui.services.core import leftovers
from crm_tui.services.core.database import session
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.audit_trail import AuditTrailScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.ui.keys import press_settled, settle

SIZE = (120, 40)
SIGNED = b"%PDF-1.7 a decision letter to Mr Blythe-Amory, signed"


def _flat(widget: Static) -> str:
    return " ".join(str(widget.render()).split())


async def test_the_letters_area_and_the_audit_screen_name_a_letter_never_registered(
        db: Path, tmp_path: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # (the app's start cleans up what it finds: this comes after)
        await press_settled(pilot, "l")
        area = app.screen
        assert isinstance(area, LettersScreen)
        assert not area.query_one("#letters-leftover", Static).display
        out = tmp_path / "chosen-by-the-user"
        with session(), leftovers.running() as token:  # killed: its run is gone with it
            leftovers.pending_letter(out, "UPV-2026-0003-decision",
                                     hashlib.sha256(SIGNED).hexdigest(), token)
            left = write_new_private_bytes(out / "UPV-2026-0003-decision.pdf", SIGNED)
        area.refresh_data()
        await settle(pilot)
        line = area.query_one("#letters-leftover", Static)
        assert line.display
        assert _flat(line) == (
            f"A signed letter never registered was left at {left} by an interrupted export; "
            "it is not a letter of the register: delete it (the next start of the app, or the "
            "next command that writes, removes it).")
        await press_settled(pilot, "a")
        assert isinstance(app.screen, AuditTrailScreen)
        await press_settled(pilot, "v")
        said = _flat(app.screen.query_one("#verify-result", Static))
        assert said.startswith("Intact:")
        assert (f"Note: a signed letter never registered was left at {left} by an interrupted "
                "export") in said
        assert left.exists()  # shown, not removed: the user deletes it, or the next start
