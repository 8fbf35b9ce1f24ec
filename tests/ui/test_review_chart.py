"""The review session's contacts-per-week chart: weeks without a contact once drew as solid
blocks; a quiet period now says so in words instead of drawing. With contacts it is drawn as
the evidence analysis's chart is (b15b 11: it was an unlabelled sparkline, no dates, no counts)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from crm_tui.services.core.database import session
from crm_tui.services.reviews import review_session
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from crm_tui.ui.widgets.charts import WeekChart
from tests.ui.keys import settle


async def test_a_review_without_contacts_says_so_instead_of_drawing(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ReviewSessionScreen())
        await settle(pilot)
        await pilot.press("ctrl+s")  # reviews due in the next 30 days
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        assert screen.info.current is not None
        with session():
            found = review_session.facts(app.actor, screen.info.current)
        quiet = replace(found, per_week=[(week, 0) for week, _ in found.per_week])
        screen.show_facts(quiet)
        await pilot.pause()
        assert not screen.query_one("#weeks", WeekChart).display
        assert screen.query_one("#weeks-none").display
        assert "No contacts were logged since the last decision" in str(
            screen.query_one("#weeks-none").render())
        busy = replace(found, per_week=[*quiet.per_week[:-1], (quiet.per_week[-1][0], 3)])
        screen.show_facts(busy)
        await pilot.pause()
        chart = screen.query_one("#weeks", WeekChart)
        assert chart.display
        assert not screen.query_one("#weeks-none").display
        # dated: the first bar's week labelled, and the busiest week's count on the axis and
        # written over its bar
        plain = chart.render().plain  # type: ignore[union-attr]
        assert chart.count_marks[-1] >= 3 and str(chart.count_marks[-1]) in plain
        assert any(line.strip("│ ").endswith("3") for line in plain.splitlines()[2:-3])
        first, last = quiet.per_week[0][0], quiet.per_week[-1][0]
        words = " ".join(str(screen.query_one("#weeks-line").render()).split())
        assert words == (f"Weeks of {first:%d/%m/%Y} to {last:%d/%m/%Y}: 3 contacts; "
                         f"busiest: week of {last:%d/%m/%Y} (3)")


@pytest.mark.parametrize("size", [(100, 30), (200, 50)])
async def test_each_bar_stands_apart_with_its_count_under_a_heading_naming_the_bin(
        db: Path, size: tuple[int, int]) -> None:
    """v15 N4: "Contacts per week since the last decision" headed a chart of 4-week bars that
    ran together, ten of fourteen without a count. Now grouped as the evidence analysis's
    chart is: a gap between bars, each bar's count over it, the bin named once."""
    import re

    # Each size on its own copy of the demo: a session begun is resumed, not chosen again.
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.push_screen(ReviewSessionScreen())
        await settle(pilot)
        await pilot.press("ctrl+s")  # reviews due in the next 30 days
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen), type(screen).__name__
        headings = " ".join(str(s.render()) for s in screen.query(".panel-title"))
        assert "per week" not in headings, headings
        chart = screen.query_one("#weeks", WeekChart)
        bars = chart.bars
        assert bars is not None and len(bars.counts) > 1
        lines = chart.render().plain.splitlines()  # type: ignore[union-attr]
        assert lines[0].strip() == bars.title, (size, lines[0])
        # The bottom row of bars: one block per bar with a contact, a gap between each.
        bottom = next(line for line in lines if line.lstrip().startswith("0┤"))
        blocks = re.findall(r"█+", bottom)
        assert len(blocks) == sum(1 for n in bars.counts if n), (size, bottom)
        # Every count written over its bar, left to right.
        written = [int(n) for line in lines[1:-3] for n in re.findall(r"\d+", line[3:])]
        assert sorted(written) == sorted(n for n in bars.counts if n), (size, lines)
