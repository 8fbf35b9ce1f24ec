"""The builder's `a` offers one restriction of each kind per set (v15e F2: two "Named officer
only" restrictions were accepted and their letter contradicted itself): a kind already set out
is marked in the list, and choosing it says why at once, before any form."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import on_top, press_settled, settle, told

SIZE = (140, 40)
REF = "UPV-2026-0005"  # under consideration: two drafts


async def test_a_marks_a_kind_already_set_out_and_choosing_it_says_why(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, RestrictionBuilderScreen(REF))
        assert screen.view is not None
        first = screen.view.drafts[0]
        taken = {d.kind for d in screen.view.drafts}
        await press_settled(pilot, "a")
        assert isinstance(app.screen, ChooseDialog)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt)
                  for i in range(options.option_count)]
        for place, kind in enumerate(RestrictionKind):
            marked = labels[place].endswith("(already set out: e changes it)")
            assert marked is (kind in taken), labels[place]
        place = list(RestrictionKind).index(first.kind)
        await press_settled(pilot, *(["down"] * place), "enter")
        # No form: the builder is back on top, saying why.
        assert app.screen is screen
        assert told(app)[-1] == (
            f"There is already a {first.kind.label} restriction on this case "
            f"(\u201c{first.description}\u201d): change it (e) rather than add another.")
        assert len(screen.view.drafts) == 2
