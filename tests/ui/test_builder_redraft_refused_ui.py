"""The builder's `r` (set the restrictions in force out again), where it is not offered, says
why when pressed (v15e F9: pressed as the Service Director it did nothing and said nothing)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.demo_decided import CONSIDERING
from tests.ui.keys import on_top, press_settled, shown_keys, told

UNDER_APPEAL = "UPV-2026-0004"  # restrictions in force, none drafted


async def test_r_as_the_service_director_says_who_sets_them_out_again(db: Path) -> None:
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await on_top(pilot, RestrictionBuilderScreen(UNDER_APPEAL))
        assert screen.view is not None and screen.view.in_force and not screen.view.drafts
        assert "r" not in shown_keys(app)
        before = len(told(app))
        await press_settled(pilot, "r")
        said = told(app)[before:]
        assert said, "r said nothing"
        assert said[-1].startswith("Only the Complaints Resolution Manager or a Complaints "
                                   "Resolution Team officer sets the restrictions in force "
                                   "out again"), said
        assert "a sets out what an amendment would put in place" in said[-1], said


async def test_r_with_nothing_in_force_says_so(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        assert screen.view is not None and not screen.view.in_force
        before = len(told(app))
        await press_settled(pilot, "r")
        assert told(app)[before:][-1:] == [
            "No restriction is in force: r sets those in force out again as drafts."]


async def test_d_on_a_redraft_with_no_change_says_at_once_that_nothing_differs(
        db: Path) -> None:
    """`r` then `D` with nothing changed: the decision form opens (bringing the end or review
    date sooner is still a variation), and says at once, before any save, that with the dates
    as they are nothing differs from the restrictions in force and what to do instead."""
    from textual.widgets import Static

    from crm_tui.ui.dialogs.decision import DecisionDialog

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await on_top(pilot, RestrictionBuilderScreen("UPV-2025-0007"))
        await press_settled(pilot, "r")
        assert screen.view is not None and screen.view.same_as_in_force
        await press_settled(pilot, "D")
        assert isinstance(app.screen, DecisionDialog)
        status = " ".join(str(app.screen.query_one("#letter-status", Static).render()).split())
        assert status.startswith("Cannot decide yet • Nothing differs from the restrictions "
                                 "in force: the restrictions, their start, their end and "
                                 "their review are the same, so there is nothing to decide; "
                                 "start them later, bring the end or review date sooner, "
                                 "change a restriction (e), or discard the redraft (x)"), status
