""""Post today" in the Letters area: the letters waiting (one that cannot go, and why), with
recorded delivery chosen and a number per letter asked for; the dialog bounded by the screen
and sized to its list (fixAR AR1: at 100x30 it ran off the screen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peewee import SqliteDatabase
from textual.pilot import Pilot

from crm_tui.ui.app import create_app
from tests.demo_invitation_waiting import as_if_signed_today
from tests.snapshots.helpers import Size, _settle


def test_post_today(snap_compare: Any, size: Size, demo_db: Path) -> None:
    # Its letters waiting to be posted again, as in tests/ui/test_posting_ui.py (the demo
    # posts every letter it signs: the dialog was never pictured, only "nothing to post").
    raw = SqliteDatabase(str(demo_db))
    raw.execute_sql("UPDATE letter SET posted_on = NULL, posted_at = NULL, post_class = '', "
                    "tracking = '', posted_by_id = NULL, print_pack = '' "
                    "WHERE kind != 'decision' AND id NOT IN (SELECT id FROM letter "
                    "WHERE kind = 'invitation' ORDER BY id LIMIT 1)")
    as_if_signed_today(raw)  # issue 15 AO1: as signed today, the invitation can go
    raw.close()
    app = create_app(str(demo_db), "tomasz.nowak")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        # The cursor starts on the list: Tab to the post classes.
        for key in ("l", "P", "tab", "right", "right", "space"):
            await pilot.press(key)
            await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
