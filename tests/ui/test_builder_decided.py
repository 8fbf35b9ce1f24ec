"""The restriction builder once the decision is made (issue 15): it shows what was decided,
the view it rested on, and only the keys that still make sense, in its footer; a view
recorded in the same second as the decision never counts as fresh again. Keys a role cannot
use are not offered and say why when pressed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, SelectionList

from crm_tui.db.connection import open_database
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.services.core import confirmation
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import casework
from crm_tui.services.restrictions import builder, decisions, readiness
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.ticks import TickDialog
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests import builders
from tests.demo_decided import decided_today
from tests.ui.keys import settle, shown_keys

SIZE = (140, 40)
CONSIDERING = "UPV-2026-0005"  # under consideration: two drafts, one clashing, not consulted


def text_of(app: CrmApp, selector: str) -> str:
    return " ".join(str(app.screen.query_one(selector).render()).split())


def footer_keys(app: CrmApp) -> set[str]:
    """The keys the footer offers on the screen in hand."""
    return {key for key, active in app.screen.active_bindings.items()
            if active.binding.show and active.enabled}


def said(app: CrmApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def opened(pilot: Pilot[Any], app: CrmApp) -> RestrictionBuilderScreen:
    await settle(pilot)
    app.push_screen(RestrictionBuilderScreen(CONSIDERING))
    await settle(pilot)
    assert isinstance(app.screen, RestrictionBuilderScreen)
    return app.screen


def test_the_view_a_decision_used_never_counts_again(db: Path) -> None:
    decided_today(db)  # consulted and decided at the same frozen moment, as a quick CRM can
    crm = resolve_actor("ceri.hughes")
    view = builder.builder_view(crm, CONSIDERING)
    # The view decided on, recorded in the same second, is not the view "that matters now".
    assert view.consultation is None
    assert view.decided is not None and view.decided.view is not None
    assert view.decided.view.consultee == "Priya Raman"
    assert view.settled
    assert readiness.blockers(crm, CONSIDERING)  # a variation needs drafts again


async def test_after_a_decision_the_builder_shows_it_and_offers_no_drafting_keys(
        db: Path) -> None:
    decided_today(db)  # consulted and decided at the same frozen moment, as a quick CRM can
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        panel = text_of(app, "#consultation-panel")
        assert "Decided" in panel and "Impose restrictions — by Ceri Hughes on" in panel
        assert "Head of Service's view, recorded by Priya Raman on" in panel
        assert "review due" in panel
        assert "consult again" not in panel
        assert "No restriction is set out yet" not in text_of(app, "#draft-detail")
        assert "Before a decision can be made" not in text_of(app, "#readiness-panel")
        keys = footer_keys(app)
        assert {"r", "L"} <= keys
        assert not keys & set("aexkjcpD")
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        assert any(m.startswith("The decision stands") for m in said(app))


async def test_the_head_of_service_is_not_offered_drafting_keys_and_is_told_why(
        db: Path) -> None:
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        keys = footer_keys(app)
        assert "c" in keys
        assert not keys & {"a", "p", "D", "e", "k"}
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)  # no form opened
        assert any(m.startswith("Only the Complaints Resolution Manager or a Complaints "
                                "Resolution Team officer") and "sets out restrictions" in m
                   and "Head of Service" in m for m in said(app))
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        assert any("previews the decision letter" in m for m in said(app))


def a_bare_draft(db: Path) -> int:
    """A third restriction set out on the case, resting on no evidence yet (of a kind not
    yet set out on it: one of each kind, v15e F2)."""
    open_database(db)
    return decisions.draft_restriction(resolve_actor("tomasz.nowak"), CONSIDERING,
                                       builders.SIGNIFICANT_ONLY)


async def test_k_offers_the_referrals_evidence_to_tick_and_c_asks_first(db: Path) -> None:
    bare = a_bare_draft(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app)
        assert screen.view is not None
        drafts = screen.query_one("#drafts", DataTable)
        drafts.move_cursor(row=drafts.get_row_index(str(bare)))
        await settle(pilot)
        # Missing evidence blocks the decision: k is in the footer and named in the list.
        assert "k" in footer_keys(app)
        assert "k links evidence" in text_of(app, "#readiness-panel")
        # c asks first: the draft rests on no evidence.
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        assert "rests on no linked evidence" in text_of(app, "#ask-question")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, TickDialog)
        ticks = app.screen.query_one(SelectionList)
        offered = [ticks.get_option_at_index(i).value for i in range(ticks.option_count)]
        # The referral's evidence, ticked, first; then the case's other contacts from the
        # customer (ticked where they show a behaviour the draft answers).
        on_referral = offered[:screen.view.referral_evidence]
        assert set(on_referral) <= set(ticks.selected)
        ticks.focus()
        await pilot.press("space")  # untick the oldest
        ticked = len(ticks.selected)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        [draft] = [d for d in screen.view.drafts if d.id == bare]
        assert draft.evidence == ticked
        # Named by its kind, never by its row's number (b15e F10).
        assert any(m.startswith("The Significant and serious queries only restriction now "
                                f"rests on {ticked} more of the evidence") for m in said(app))
        assert not any(f"estriction {bare}" in m for m in said(app)), said(app)


async def test_k_asks_first_when_linking_would_undo_the_view(db: Path) -> None:
    bare = a_bare_draft(db)
    head = resolve_actor("priya.raman")
    with confirmation.given(DEMO_PASSPHRASE):
        casework.record_consultation(head, CONSIDERING, view=ConsultationView.AGREES,
                                     view_text="Agree", proposed_end=date(2028, 11, 28))
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        drafts = app.screen.query_one("#drafts", DataTable)
        drafts.move_cursor(row=drafts.get_row_index(str(bare)))
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        assert "must be consulted again" in text_of(app, "#ask-question")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)


async def test_the_title_wraps_rather_than_losing_the_state(db: Path) -> None:
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=(80, 30)) as pilot:
        await opened(pilot, app)
        title = app.screen.query_one("#builder-title")
        assert title.size.height == 2
        lines = [strip.text for strip in title.render_lines(title.region.reset_offset)]
        assert "Under consideration" in " ".join(" ".join(lines).split())


async def test_restrictions_removed_on_appeal_read_as_removed_not_in_force(db: Path) -> None:
    from crm_tui.db.models import Case
    from crm_tui.domain.outcomes import AppealOutcome
    from crm_tui.domain.states import CaseState
    from crm_tui.services.reviews import appeals

    open_database(db)
    ref = Case.get(Case.state == CaseState.UNDER_APPEAL.value).reference
    with confirmation.given(DEMO_PASSPHRASE):
        appeals.decide_appeal(resolve_actor("gareth.bell"), ref, AppealOutcome.REMOVED,
                              "Not proportionate", customer_reason=builders.TOLD)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(RestrictionBuilderScreen(ref))
        await settle(pilot)
        panel = text_of(app, "#consultation-panel")
        assert "The restrictions were removed on appeal on 28 Nov 2026, by Gareth Bell." \
            in panel
        assert "In force" not in panel and "Head of Service" not in panel
        assert ("None drafted: the restrictions were removed on appeal on 28 Nov 2026, and "
                "none is in force.") in text_of(app, "#draft-detail")
        await pilot.press("D")
        await settle(pilot)
        assert said(app)[-1] == ("No restriction is being decided: the restrictions were "
                                 "removed on appeal on 28 Nov 2026.")


async def test_d_on_a_case_under_appeal_says_who_decides_and_the_panel_agrees(
        db: Path) -> None:
    """D said nothing at all on a case under appeal, while the panel said "Ready for the CRM's
    decision (D)"."""
    from textual.widgets import Static

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(RestrictionBuilderScreen("UPV-2026-0004"))  # under appeal
        await settle(pilot)
        panel = str(app.screen.query_one("#readiness-panel", Static).render())
        assert "Ready for the CRM's decision" not in panel
        assert "under appeal" in panel
        await pilot.press("D")
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("under appeal" in words and "(A)" in words for words in said), said


async def test_a_review_that_moves_the_review_date_shows_on_the_open_builder(
        db: Path) -> None:
    """b15e F4: after a review moved the review date, the builder still said "review due" on
    the decision's date beside "Next action: Review due" on the new one, and nothing of the
    review. Made while the builder is open, as another screen (the review session) makes it."""
    from crm_tui.domain.dates import ReviewPeriodReason
    from crm_tui.services.reviews import review_steps

    decided_today(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        before = text_of(app, "#consultation-panel")
        assert "review due 28 Nov 2027" in before and "Since the decision" not in before
        crm = resolve_actor("ceri.hughes")
        with confirmation.given(DEMO_PASSPHRASE):
            review_steps.start_review(crm, CONSIDERING)
            review_steps.change_review_period(
                crm, CONSIDERING, "Contact has settled since the decision",
                next_review=date(2027, 5, 28),
                period_reason=ReviewPeriodReason.PERSONAL_CIRCUMSTANCES,
                period_note="She cares for her mother; an earlier review lets us lift sooner")
        await settle(pilot)
        await settle(pilot)
        panel = text_of(app, "#consultation-panel")
        assert "review due 28 May 2027" in panel
        assert "review due 28 Nov 2027" not in panel
        # Said as what it was: the period changed, not continued unchanged (b15e F1).
        assert ("Since the decision Reviewed: the restrictions continue, the review period "
                "changed — by Ceri Hughes on 28 Nov 2026; next review by 28 May 2027") in panel


def test_an_appeal_confirmed_since_the_decision_is_told_on_the_builder(db: Path) -> None:
    """b15e F4: the builder said nothing of the appeal confirmed since the decision."""
    from crm_tui.domain.outcomes import AppealOutcome
    from crm_tui.services.reviews import appeals

    open_database(db)
    with confirmation.given(DEMO_PASSPHRASE):
        appeals.decide_appeal(resolve_actor("gareth.bell"), "UPV-2026-0004",
                              AppealOutcome.CONFIRMED, "Proportionate to the contact",
                              customer_reason=builders.TOLD)
    decided = builder.builder_view(resolve_actor("ceri.hughes"), "UPV-2026-0004").decided
    assert decided is not None
    assert [(s.what, s.by) for s in decided.since][-2:] == [
        ("Appeal lodged", "Tomasz Nowak"),
        ("Appeal not upheld: the decision confirmed", "Gareth Bell")]


async def test_under_appeal_the_builder_shows_the_decision_and_only_the_keys_that_work(
        db: Path) -> None:
    """t15 F4: under appeal the builder said "Not yet consulted on the restrictions (c records
    the view)" of a decision taken on the Head of Service's view, dropped what was decided, and
    offered c, whose view no appeal rests on."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(RestrictionBuilderScreen("UPV-2026-0004"))  # under appeal
        await settle(pilot)
        panel = text_of(app, "#consultation-panel")
        assert "Not yet consulted" not in panel
        assert "Decided Impose restrictions — by Ceri Hughes on 8 Nov 2026" in panel
        assert "In force from 8 Nov 2026" in panel
        assert "Head of Service's view, recorded by Priya Raman on 29 Oct 2026: Agrees" in panel
        assert "Since the decision Appeal lodged — by Tomasz Nowak on 20 Nov 2026" in panel
        ready = text_of(app, "#readiness-panel")
        assert "a sets out what an amendment on appeal would put in place" in ready
        keys = footer_keys(app)
        assert {"a", "r"} <= keys
        assert not keys & set("cpDL")
        for key, words in (("c", "on no Head of Service's view"),
                           ("L", "not lifted early meanwhile"),
                           ("p", "no decision letter is made here")):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, RestrictionBuilderScreen)  # no form opened
            assert said(app)[-1].startswith("The case is under appeal: the appeal is decided "
                                            "from the case file (A)")
            assert words in said(app)[-1]


async def test_discard_is_in_the_footer_at_100_columns_while_a_draft_is_highlighted(
        db: Path) -> None:
    """v15j Q3: `x Discard` was in the builder's help, never in its footer, though there was
    room at 100x30."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        assert screen.highlighted is not None
        await settle(pilot)
        assert "x" in shown_keys(app), shown_keys(app)
        assert {"a", "e"} <= shown_keys(app)  # the keys before it kept
