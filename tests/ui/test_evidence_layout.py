"""The evidence analysis at 80x24 (issue 15): the charts under the figures, whole, scrolling
with them (side by side they ran off the terminal's edge, cut)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.widgets.analysis_panel import AnalysisPanel
from tests.ui.keys import settle


async def test_the_charts_go_under_the_figures_in_a_narrow_terminal(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(EvidenceScreen("UPV-2025-0003"))
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        panel = app.screen.query_one(AnalysisPanel)
        assert panel.has_class("-stacked")
        charts = panel.query_one("#chart-column")
        figures = panel.query_one("#figures-column")
        assert charts.region.right <= 80 and figures.region.right <= 80
        assert charts.virtual_region.y >= figures.virtual_region.bottom  # under, not beside
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert not panel.has_class("-stacked")
        assert charts.region.x >= figures.region.right  # beside again
