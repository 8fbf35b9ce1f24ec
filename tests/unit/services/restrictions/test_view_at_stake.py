"""A Head of Service's view taken, and voided, only knowingly (t15d F1): what stands in the
way besides the view itself is the builder's own list less the view, so that `c` can name it
before a view is taken; a view on no restriction at all is refused; a change to the evidence
under a draft consulted on says whose view it voids and when; and a view out of date says
whether the restriction itself or only the evidence under it changed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crm_tui.db.models import Consultation, EvidenceLink
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import matters, tagging
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.intake import casework
from crm_tui.services.restrictions import builder, decisions, readiness, view_at_stake
from tests import builders

FORM = "the Contact in a particular form only restriction"
SAID_ON = "28 November 2026"


def test_what_stands_besides_the_view_is_the_builders_list_less_the_view(
        actors: dict[Role, Actor]) -> None:
    crm, head = actors[Role.CRM], actors[Role.HEAD_OF_SERVICE]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    assert any("has not been consulted" in p for p in readiness.blockers(crm, ref))
    assert readiness.besides_the_view(crm, ref) == []
    # A second draft resting on nothing: the decision cannot be made, view or no view.
    decisions.draft_restriction(actors[Role.OFFICER], ref, builders.SIGNIFICANT_ONLY)
    besides = readiness.besides_the_view(crm, ref)
    blockers = readiness.blockers(crm, ref)
    assert any("rests on no linked evidence" in p for p in besides), besides
    assert all(p in blockers for p in besides), (besides, blockers)
    assert [p for p in blockers if p not in besides] == [
        p for p in blockers if "Head of Service" in p]
    # The Head of Service pressing c is told the same.
    assert readiness.besides_the_view(head, ref) == besides


def test_a_case_awaiting_the_view_is_not_held_up_by_awaiting_it(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.AWAITING_CONSULTATION)
    builders.draft(actors, ref)
    assert readiness.besides_the_view(crm, ref) == []


def test_a_view_on_no_restriction_is_refused(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False,
                            drafted=False)
    views = Consultation.select().count()
    with pytest.raises(RequirementMissing, match="no restriction is set out yet"):
        casework.record_consultation(actors[Role.HEAD_OF_SERVICE], ref,
                                     view=ConsultationView.AGREES, view_text="Agreed")
    assert Consultation.select().count() == views


def test_evidence_under_a_draft_consulted_on_names_the_view_it_would_void(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    [first] = builders.read(ref)
    contact = EvidenceLink.get(EvidenceLink.restriction == first).contact_id
    stake = view_at_stake.view_voided(crm, ref, contact=contact, what="this contact")
    assert stake.startswith(f"Jordan Reeve's view as Head of Service, given on {SAID_ON}, "
                            f"is on {FORM} as it stands"), stake
    assert "rests on this contact" in stake and "consulted again" in stake
    # Linking anything to the draft would void it too; evidence under no draft would not.
    assert view_at_stake.view_voided(crm, ref, contact=contact + 1000) == ""
    assert "this changes the evidence under it" in view_at_stake.view_voided(
        crm, ref, contact=contact, restriction=first)
    # Sorted under its matter: the view is out of date, named as the evidence under it.
    matter = matters.open_matter(crm, ref, "Council tax bill 2025/26")
    tagging.set_matter(crm, ref, contact, matter)
    changed = f"the evidence under {FORM} changed"
    assert f"The Head of Service must be consulted again: {changed} after their view on " \
        f"{SAID_ON}" in readiness.blockers(crm, ref)
    view = builder.builder_view(crm, ref).consultation
    assert view is not None and view.changed == (changed,)
    # Out of date already: nothing more is lost, nothing asked.
    assert view_at_stake.view_voided(crm, ref, contact=contact) == ""


def test_a_draft_changed_itself_is_named_as_changed(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    [first] = builders.read(ref)
    builder.update_draft(crm, ref, first, replace(
        builders.LETTER_ONLY, reason="Daily emails to six officers on one closed matter"))
    view = builder.builder_view(crm, ref).consultation
    assert view is not None and view.changed == (f"{FORM} changed",)
    # A tag alone changes the evidence under it, never said of the restriction itself.
    ref2 = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    [second] = builders.read(ref2)
    contact = EvidenceLink.get(EvidenceLink.restriction == second).contact_id
    tagging.tag(crm, ref2, EvidenceKind.CONTACT, contact,
                (BehaviourCategory.EXCESSIVE_DEMANDS, BehaviourCategory.SCATTERGUN))
    view = builder.builder_view(crm, ref2).consultation
    assert view is not None and view.changed == (f"the evidence under {FORM} changed",)
