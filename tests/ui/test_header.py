"""The header (issue 15): the council's name and the acting person whatever the width; the
role is shortened first."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.widgets.app_header import FittedTitle, fit_title
from tests.ui.keys import settle

TITLE = "Northmere City Council — DEMO DATA"
WHO = "Gareth Bell · Service Director, Legal & Business Operations (or nominated officer)"


def test_the_role_is_shortened_then_dropped_before_the_council_or_the_person() -> None:
    assert fit_title(TITLE, WHO, 200) == (TITLE, WHO)
    assert fit_title(TITLE, WHO, 70) == (TITLE, "Gareth Bell · Service Director")
    assert fit_title(TITLE, WHO, 62) == ("Northmere City Council — DEMO",
                                         "Gareth Bell · Service Director")
    assert fit_title(TITLE, WHO, 45) == ("Northmere City Council — DEMO", "Gareth Bell")
    head, person = fit_title(TITLE, WHO, 35)
    assert person == "Gareth Bell" and head.startswith("Northmere") and "…" in head
    assert len(head) + 3 + len(person) <= 35


async def test_the_header_keeps_the_council_and_the_person_at_80_columns(db: Path) -> None:
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = app.screen.query_one(FittedTitle)
        shown = str(title.render())
        assert "Northmere City Council" in shown and "Gareth Bell" in shown
        assert len(shown) <= title.content_region.width
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert "Legal & Business Operations" in str(title.render())
