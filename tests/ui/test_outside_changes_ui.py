"""A change another program commits to the same database (a log sheet imported from the
command line in another terminal) shows on the open case file without F5."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import settle
from tests.unit.services.core.test_outside_changes import write_from_outside

REF = "UPV-2026-0004"


async def test_the_open_case_file_shows_another_programs_change(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    app.OUTSIDE_CHANGES_EVERY = 0.05
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = CaseFileScreen(REF)
        app.push_screen(screen)
        await settle(pilot)

        def title() -> str:
            return " ".join(str(screen.query_one("#case-title").render()).split())

        assert "Mx Renamed Elsewhere" not in title()
        write_from_outside(db, REF, "set_customer_details", (
            "UPDATE customer SET name = 'Mx Renamed Elsewhere' WHERE id = "
            "(SELECT customer_id FROM \"case\" WHERE reference = ?)", (REF,)))
        for _ in range(100):  # told within about one look (0.05 s here)
            await pilot.pause(0.05)
            if "Mx Renamed Elsewhere" in title():
                break
        await settle(pilot)
        assert "Mx Renamed Elsewhere" in title()
        assert app.screen is screen
