"""A dialog that cannot be built is closed and the failure said, and the screen beneath is back
in hand. Found when tried: a tick list whose building failed stayed on top, never drawn, taking
every key (help opened over it could not be closed either); only killing the app got out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.dialogs.help import HelpScreen
from crm_tui.ui.dialogs.ticks import TickDialog
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import on_top, press_settled, settle

REF = "UPV-2026-0005"


async def test_a_dialog_whose_building_fails_is_closed_and_the_failure_said(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: TickDialog) -> Iterator[Static]:
        yield Static("half built")
        raise RuntimeError("the tick list could not be built")

    monkeypatch.setattr(TickDialog, "compose", broken)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        builder = await on_top(pilot, RestrictionBuilderScreen(REF))
        await press_settled(pilot, "k")
        if isinstance(app.screen, AskDialog):  # linking would undo a view given: yes
            await press_settled(pilot, "y")
        assert isinstance(app.screen, ErrorDialog), type(app.screen).__name__
        said = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "could not be shown and was closed" in said, said
        assert "the tick list could not be built" in said, said
        assert not any(isinstance(s, TickDialog) for s in app.screen_stack)
        await press_settled(pilot, "escape")
        assert app.screen is builder
        # The keys work again: help opens over the builder and closes.
        await press_settled(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press_settled(pilot, "escape")
        assert app.screen is builder
        assert app.is_running
