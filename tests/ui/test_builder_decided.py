"""The restriction builder once the decision is made (issue 15): it shows what was decided,
the view it rested on, and only the keys that still make sense, in its footer; a view
recorded in the same second as the decision never counts as fresh again. Keys a role cannot
use are not offered and say why when pressed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.db.connection import open_database
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.services.core import confirmation
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import casework
from crm_tui.services.restrictions import builder, decisions, readiness
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests import builders
from tests.ui.keys import settle

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


def decided_in_one_second(db: Path) -> None:
    """Consulted and decided at the same (frozen) moment, as a quick CRM can."""
    open_database(db)
    crm, head = resolve_actor("ceri.hughes"), resolve_actor("priya.raman")
    second = builder.builder_view(crm, CONSIDERING).drafts[1].id
    with confirmation.given(DEMO_PASSPHRASE):
        builder.justify(crm, CONSIDERING, second, "A weekly call meets the need")
        casework.record_consultation(head, CONSIDERING, view=ConsultationView.AGREES,
                                     view_text="Agree", proposed_end=date(2028, 11, 28))
        terms = builder.decision_defaults(crm, CONSIDERING)
        decisions.impose_restrictions(crm, CONSIDERING, "Calls all day to many officers",
                                      terms, read=builders.read(CONSIDERING),
                                      customer_reason=builders.TOLD)


def test_the_view_a_decision_used_never_counts_again(db: Path) -> None:
    decided_in_one_second(db)
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
    decided_in_one_second(db)
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
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        messages = said(app)
        assert any(m.startswith("Only the Complaints Resolution Manager or a Complaints "
                                "Resolution Team officer") and "sets out restrictions" in m
                   and "Head of Service" in m for m in messages)
        assert any("previews the decision letter" in m for m in messages)
