"""What the screens say after a step, in plain words (issue 15)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.evidence import EvidenceScreen
from tests.ui.keys import settle
from tests.ui.test_dialogs_ui import SIZE, open_log_contact


async def test_a_logged_contact_says_whether_it_falls_in_the_period_shown(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_log_contact(pilot, app)
        evidence = app.screen_stack[-2]
        assert isinstance(evidence, EvidenceScreen) and evidence.figures is not None
        period = evidence.figures.period
        assert period.end.isoformat() < "2026-11-28"  # a monitoring period long past
        span = f"{period.start.day} {period.start:%b %Y} to {period.end.day} {period.end:%b %Y}"

        async def log(when: str) -> str:
            app.screen.query_one("#when", Input).value = when
            app.screen.query_one("#officer", Input).focus()
            await pilot.press(*"Sam Patel", "enter", *"5", "enter", *"Rang the office")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, EvidenceScreen)
            return str(list(app._notifications)[-1].message)

        said = await log("28/11/2026 09:30")  # today: after the period shown
        assert said.startswith("Contact of 28 Nov 2026 09:30 recorded. It falls outside "
                               f"the period shown (monitoring period, {span})")
        assert "p chooses a period that includes it" in said
        assert "ends" not in said
        await pilot.press("l")
        await settle(pilot)
        inside = f"{period.start:%d/%m/%Y} 11:00"
        said = await log(inside)
        assert said == (f"Contact of {period.start.day} {period.start:%b %Y} 11:00 recorded: "
                        f"it falls in the period shown (monitoring period, {span}), and the "
                        "log sheet lists it.")
        assert "Recorded (" not in said
