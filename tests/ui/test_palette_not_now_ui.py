"""t15 #5: on a case file where `A` cannot work (a case under consideration, a case under
appeal that the CRM does not decide), "appeal" found no *Appeal*, and "decide" found *Decide*
under appeal with no word that the builder's `D` decides nothing there. The palette lists
every action of the screen, one that cannot work now saying why in the words its key says."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import settle
from tests.ui.test_palette_finds_ui import SIZE, listed

UNDER_APPEAL = "UPV-2026-0004"  # lodged, awaiting the Service Director's decision
CONSIDERING = "UPV-2026-0005"  # under consideration: no appeal can be recorded


async def _appeal_said(demo_db: Path, reference: str) -> str:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(reference))
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        why = app.screen.appeal_key_refusal()
        assert why  # A cannot work here: the premise
        helps = dict(await listed(pilot, "appeal", "Appeal (A)"))
        assert helps["Appeal (A)"].endswith(f"Not now: {why}"), helps
        await pilot.press("enter")  # the first listed: Appeal (A), which only says why
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        return why


async def test_appeal_is_found_under_appeal_saying_who_decides(demo_db: Path) -> None:
    why = await _appeal_said(demo_db, UNDER_APPEAL)
    assert "awaits the decision of the Service Director" in why, why
    # v22 C6: plain words with the article, and "confirm" nowhere: no outcome was chosen.
    assert ": the Complaints Resolution Manager does not decide appeals" in why, why
    assert "confirm" not in why, why


async def test_appeal_is_found_under_consideration_saying_why_none_is_recorded(
        demo_db: Path) -> None:
    why = await _appeal_said(demo_db, CONSIDERING)
    assert f"No appeal can be recorded on {CONSIDERING}" in why, why


async def test_decide_under_appeal_says_the_builder_decides_nothing(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(UNDER_APPEAL))
        await settle(pilot)
        helps = dict(await listed(pilot, "decide", "Decide"))
        assert "Press D in the restriction builder (R here opens it). Not now: The case is " \
               "under appeal: the appeal is decided from the case file (A)" in helps["Decide"], \
               helps


async def test_decide_under_consideration_is_offered_without_not_now(demo_db: Path) -> None:
    """Where the builder's D may decide, the palette does not say "Not now" of it."""
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(CONSIDERING))
        await settle(pilot)
        helps = dict(await listed(pilot, "decide", "Decide"))
        assert "Not now" not in helps["Decide"], helps


async def test_appeal_from_the_builder_under_appeal_says_who_decides(demo_db: Path) -> None:
    """From another screen of the case, Appeal names the case file's A and why it cannot
    work now, in the words A says there."""
    from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen

    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(UNDER_APPEAL))
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        why = app.screen.appeal_key_refusal()
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        helps = dict(await listed(pilot, "appeal", "Appeal"))
        assert helps["Appeal"].endswith(
            f"Press A on the case file (Esc goes back to it). Not now: {why}"), helps
