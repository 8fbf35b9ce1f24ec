"""A field's hint cut to its width says so with "…", at a word (b15e F8: the inbox's search
read "Search: customer," at 80x24, the evidence's find field "… (Enter searches; empty")."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.widgets.fitted_input import fitted_hint
from tests.ui.keys import settle


def test_a_hint_is_cut_at_a_word_with_an_ellipsis() -> None:
    hint = "Search: customer, reference, words in referrals and contacts"
    assert fitted_hint(hint, 80) == hint
    assert fitted_hint(hint, 30) == "Search: customer, reference…"
    assert fitted_hint(hint, 3) == "…"
    # The comma the cut drops is not counted: "reference…" fits in 29 (the field at 100x30
    # said only "Search: customer…", with room to spare).
    assert fitted_hint(hint, 29) == "Search: customer, reference…"


def shown_hint(field: Input) -> str:
    """The hint as the field draws it, on its one line."""
    return "".join(strip.text for strip in field.render_lines(field.region.reset_offset)
                   ).strip(" ▊▎▁▔")


async def test_the_search_hints_at_80x24_end_in_an_ellipsis_or_whole(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        search = app.screen.query_one("#search", Input)
        assert search.placeholder.endswith("…"), search.placeholder
        assert shown_hint(search) == search.placeholder
        app.push_screen(EvidenceScreen("UPV-2026-0005"))
        await settle(pilot)
        find = app.screen.query_one("#find", Input)
        assert find.placeholder.endswith("…") and find.placeholder in shown_hint(find)
