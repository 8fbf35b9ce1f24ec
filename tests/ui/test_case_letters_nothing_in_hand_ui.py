"""t15c #5: in a case's letters with no letter in hand (nothing new to write, none issued),
`s`, `p`, `e`, `r`, `x` and `c` did nothing and said nothing, though `?` lists them; only `v`
said why. Each now says why at once, in `v`'s words fitted to the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.ui.keys import on_top, press_settled, settle

NOTHING_TO_WRITE = "UPV-2026-0005"  # under consideration: no letter called for, none issued


@pytest.mark.parametrize(("key", "doing"), [("s", "sign"), ("p", "prepare"), ("e", "edit"),
                                            ("r", "re-send"), ("x", "export"), ("c", "copy")])
async def test_each_letter_key_says_why_with_no_letter_in_hand(demo_db: Path, key: str,
                                                              doing: str) -> None:
    app = create_app(str(demo_db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(NOTHING_TO_WRITE))
        await press_settled(pilot, key)
        assert app.screen is screen
        said = [n.message for n in app._notifications]
        assert said == [f"No letter to {doing} here: nothing new to write on this case now."]
        await press_settled(pilot, "tab", key)  # the register, empty
        said = [n.message for n in app._notifications]
        assert said[-1] == f"No letter to {doing} here: none has been issued on this case."


ISSUED = "UPV-2026-0004"  # restricted: its decision letter issued


@pytest.mark.parametrize(("key", "doing"), [("s", "sign"), ("p", "prepare"), ("e", "edit")])
async def test_sign_prepare_and_edit_say_why_on_an_issued_letter(demo_db: Path, key: str,
                                                                 doing: str) -> None:
    """fixBV left open: in the register, with an issued letter in hand, `s`, `p` and `e` said
    nothing."""
    app = create_app(str(demo_db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(ISSUED))
        # Nothing new to write on this case: the register has the keys from the start.
        assert screen.in_register and screen.entry is not None
        entry = screen.entry
        await press_settled(pilot, key)
        assert app.screen is screen
        said = [n.message for n in app._notifications]
        assert said[-1].startswith(
            f"Nothing to {doing}: letter {entry.id} ({entry.kind.short}) is in the register, "
            "and a letter once issued never changes.")
