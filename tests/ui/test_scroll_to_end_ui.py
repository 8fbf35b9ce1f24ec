"""Round 15 (issue 15, still open): at 100x30 and 80x24 the letter preview and the help
stopped lines short of their end — the scroll view ran past the bottom of its dialog's box, so
End reached a line the box had cut off. Checked here by what is drawn on the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.detail import DetailDialog
from crm_tui.ui.dialogs.help import HelpScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import on_top, press_settled, settle

SIZES = [(80, 24), (100, 30)]
REF = "UPV-2026-0005"  # under consideration: its preview letter runs to many wrapped lines


def drawn(app: App[None]) -> list[str]:
    """The lines the terminal shows, as drawn (what is cut off or scrolled away is not)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size", SIZES)
async def test_end_shows_the_letter_previews_signature(db: Path, size: tuple[int, int]) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await on_top(pilot, RestrictionBuilderScreen(REF))
        await press_settled(pilot, "p")
        assert isinstance(app.screen, DetailDialog)
        await press_settled(pilot, "end")
        lines = drawn(app)
        signed = [i for i, line in enumerate(lines) if "Complaints Resolution Manager" in line]
        assert signed, "\n".join(lines)
        assert any("Yours sincerely" in line for line in lines[:signed[0]])
        assert any("Northmere City Council" in line for line in lines[signed[0]:])
        assert any("esc Close" in line for line in lines)  # the dialog's keys still in sight


@pytest.mark.parametrize("size", SIZES)
async def test_end_shows_the_last_entry_of_help(db: Path, size: tuple[int, int]) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await on_top(pilot, RestrictionBuilderScreen(REF))
        await press_settled(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press_settled(pilot, "end")
        text = " ".join(" ".join(line.strip(" █▌▐▁▂▃▄▅▆▇") for line in drawn(app)).split())
        assert "^p The command palette: find any action by words in its name or" in text, text
        assert text.split("command palette:")[1].split("esc Close")[0].rstrip().endswith(
            "or description")


async def test_a_short_entry_keeps_a_box_as_tall_as_its_text(db: Path) -> None:
    """The box takes the whole height only when its text needs it."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(DetailDialog("An entry", "One short line."))
        await settle(pilot)
        assert app.screen.query_one("DetailDialog > Vertical").outer_size.height < 15


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_problem_scrolls_to_its_last_line_above_its_close_button(
        db: Path, size: tuple[int, int]) -> None:
    from crm_tui.ui.dialogs.error import ErrorDialog

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        reasons = "\n".join(f"Reason {n}: the letter cannot go to the customer yet."
                            for n in range(1, 41))
        app.push_screen(ErrorDialog("Cannot sign", reasons))
        await settle(pilot)
        await press_settled(pilot, "end")  # the message is in hand
        lines = drawn(app)
        assert any("Reason 40:" in line for line in lines), "\n".join(lines)
        assert any("Close" in line for line in lines)
