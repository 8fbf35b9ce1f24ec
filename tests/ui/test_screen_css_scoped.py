"""Each screen's stylesheet is scoped to its screen. Textual adds a screen's CSS_PATH to the
app's one stylesheet the first time the screen opens, so an unscoped rule then applied to every
screen: after a visit to the builder, its `#in-force { max-height: 5 }` cut the case file's
restrictions panel ("• Telephone calls only on Mon, Wed," and then the border)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Static

import crm_tui.ui.screens as screens
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import settle

CASE = "UPV-2026-0004"  # under appeal: its restriction wraps to three lines at 100x30


def test_every_rule_of_a_screens_stylesheet_names_its_screen() -> None:
    unscoped = []
    for sheet in sorted(Path(screens.__file__).parent.glob("*.tcss")):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)
        for selectors in re.findall(r"([^{}]+)\{", text):
            for selector in selectors.split(","):
                if not re.match(r"[A-Z]\w*Screen\b", selector.strip()):
                    unscoped.append(f"{sheet.name}: {selector.strip()}")
    assert unscoped == []


async def test_the_restrictions_panel_stays_whole_after_a_visit_to_the_builder(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(CASE))
        await settle(pilot)
        panel = app.screen.query_one("#in-force", Static)
        before = panel.size.height
        assert before > 5
        app.push_screen(RestrictionBuilderScreen(CASE))
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        assert app.screen.query_one("#in-force", Static).size.height == before
