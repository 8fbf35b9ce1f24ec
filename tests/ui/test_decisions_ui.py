"""The review path by keys: a stricter variation refused from the builder, pointing to the
review; at a review, the restrictions in force set out again (r in the builder) and proposed
for longer (e in the review session), what was proposed recorded."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, Decision, ExtensionProposal
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.restrictions import RestrictionKind, named
from crm_tui.services.core.inputs import RestrictionDraft
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder, decisions
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.builders import TOLD
from tests.demo_decided import CONSIDERING, ready_to_decide
from tests.ui.keys import settle

SIZE = (140, 40)
RESTRICTED = "UPV-2025-0004"  # contact by letter and email, in force


async def test_a_stricter_variation_is_refused_from_the_builder(db: Path) -> None:
    open_database(db)
    officer = resolve_actor("tomasz.nowak")
    builder.redraft_in_force(officer, RESTRICTED)
    # (Not the blocking of electronic contact: it would contradict the email the restriction
    # in force accepts, and is refused as such when drafted.)
    blocked = decisions.draft_restriction(officer, RESTRICTED, RestrictionDraft(
        RestrictionKind.SIGNIFICANT_QUERIES_ONLY, {"definition": "Threats to staff"},
        reason="Threatening emails", proportionality="Letters remain",
        less_restrictive_considered="Letter and email only", still_reachable="Write to us",
        behaviours=(BehaviourCategory.OFFENSIVE_REMARKS,), customer_reason=TOLD))
    builder.rest_on_referral_evidence(officer, RESTRICTED, blocked)
    decided = Decision.select().count()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(RestrictionBuilderScreen(RESTRICTED))
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        [refusal] = [str(n.message) for n in app._notifications
                     if str(n.message).startswith("Cannot decide yet")]
        assert "adds the restriction “Significant and serious queries only" in refusal
        assert "it must follow a review" in refusal
        assert "stricter or longer" in str(app.screen.query_one("#readiness-panel").render())
    assert Decision.select().count() == decided


async def test_at_a_review_the_restrictions_are_redrafted_and_proposed_for_longer(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ReviewSessionScreen())
        await settle(pilot)
        await pilot.press("ctrl+s")  # reviews due in the next 30 days
        await settle(pilot)
        session = app.screen
        assert isinstance(session, ReviewSessionScreen) and session.info is not None
        ref = session.info.current
        assert ref is not None
        # proposing before anything is set out is refused at the key (round 11): nothing to
        # invite comments on, no form opened
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is session
        proposals = ExtensionProposal.select().join(Case).where(Case.reference == ref)
        assert not proposals.exists()
        # set the restrictions in force out again, from the case's builder
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        view = app.screen.view  # type: ignore[attr-defined]
        assert view is not None and view.drafts
        # Round 12: the toast said only "Recorded"; b15e F10: it named the draft by its row
        # number ("(15)"), now by its kind.
        [redrafted] = view.drafts
        assert any("1 restriction in force set out again as a draft "
                   f"({named(redrafted.kind, article=False)}): change it" in str(n.message)
                   for n in app._notifications), [n.message for n in app._notifications]
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is session
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#reason", Input).value = "Letters continued at three a week"
        app.screen.query_one("#customer_reason", Input).value = TOLD
        ends = app.screen.query_one("#ends_on", Input).value
        await pilot.press("ctrl+s")
        await settle(pilot)
        # v15e F13: it asks first, naming who proposes and what the customer is sent.
        assert isinstance(app.screen, AskDialog), app.screen
        await pilot.press("y")
        await settle(pilot)
        proposal = proposals.get()
        assert f"{proposal.ends_on:%d/%m/%Y}" == ends
        assert [d["id"] for d in json.loads(proposal.proposal)["drafts"]] == [
            d.id for d in view.drafts]
        assert Case.get(Case.reference == ref).state == "under_review"


async def test_a_decision_against_the_view_is_marked_on_home_and_case_file(db: Path) -> None:
    from datetime import date

    from crm_tui.domain.outcomes import ConsultationView
    from crm_tui.services.core import confirmation
    from crm_tui.services.core.inputs import DecisionTerms
    from crm_tui.services.core.passphrases import DEMO_PASSPHRASE

    ref = CONSIDERING
    ready_to_decide(db, ConsultationView.DISAGREES, "Not yet: try a single point of contact")
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        read = {d.id: d.version for d in builder.builder_view(crm, ref).drafts}
        decisions.impose_restrictions(
            crm, ref, "Calls to several officers a day",
            DecisionTerms(starts_on=date(2026, 11, 28), ends_on=date(2028, 11, 28)), read=read,
            against_view_reason="A single point of contact was tried for three months",
            customer_reason=TOLD)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        marked = str(app.screen.query_one("#against-view").render())
        assert f"{ref}: decided against the Head of Service's view on 28 Nov 2026" in marked
        app.push_screen(CaseFileScreen(ref))
        await settle(pilot)
        panel = str(app.screen.query_one("#in-force").render())
        assert "DECIDED AGAINST THE HEAD OF SERVICE'S VIEW ON 28 NOV 2026" in panel
