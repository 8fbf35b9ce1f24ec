"""Item 3 of issue 13: a restriction rests on evidence of the behaviour it answers, never on a
complaint or a challenge alone — refused on every path that puts restrictions in force
(impose, vary, extend, amend on appeal), with the database unchanged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from crm_tui.db.models import Case, EvidenceItem, ExtensionProposal, Restriction
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import RequirementMissing, ValidationError
from crm_tui.domain.grounds import (
    DOCUMENT_NEEDS_MATTER,
    NOT_IN_ITSELF,
    REFUSAL_NEEDS_CLOSED,
    REPEAT_NEEDS_CLOSED,
)
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import RestrictionDraft
from crm_tui.services.evidence import contacts, documents, matters, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.restrictions import builder, decisions, safeguards
from crm_tui.services.reviews import appeals, review_steps
from tests import builders, dumps
from tests.builders import TOLD

TERMS = builders.TERMS


def _dump() -> list[str]:
    return dumps.dump()


def _contact(actors: dict[Role, Actor], ref: str, categories: tuple[B, ...],
             summary: str = "Complained again that the repair is late",
             at: datetime = datetime(2026, 10, 5, 9, 0)) -> int:
    return contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel", summary=summary,
        categories=categories))


def _rest(actors: dict[Role, Actor], ref: str, behaviours: tuple[B, ...],
          *evidence: tuple[EvidenceKind, int], what: RestrictionDraft = builders.LETTER_ONLY,
          ) -> int:
    """Draft `what` (letter only) answering `behaviours`, resting on exactly `evidence`."""
    restriction = decisions.draft_restriction(
        actors[Role.OFFICER], ref, replace(what, behaviours=behaviours))
    # On appeal, set out in place of one of its kind in force, it carries that one's evidence
    # (decisions.carry_evidence): unlinked, to rest on exactly `evidence`.
    from crm_tui.db.models import EvidenceLink

    for link in list(EvidenceLink.select().where(EvidenceLink.restriction == restriction)):
        carried = ((EvidenceKind.CONTACT, int(link.contact_id)) if link.contact_id is not None
                   else (EvidenceKind.DOCUMENT, int(link.document_id)))
        tagging.toggle_link(actors[Role.CRM], ref, *carried, f"restriction:{restriction}")
    for kind, item in evidence:
        tagging.toggle_link(actors[Role.CRM], ref, kind, item, f"restriction:{restriction}")
    if Case.get(Case.reference == ref).state == CaseState.UNDER_CONSIDERATION.value:
        builders.consult(actors, ref)  # on the restriction as it now stands
    return restriction


def _considered(actors: dict[Role, Actor]) -> str:
    # The Head of Service is consulted once a restriction is set out (_rest).
    return builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                             consulted=False)


def test_a_restriction_says_which_behaviour_it_answers(actors: dict[Role, Actor]) -> None:
    ref = _considered(actors)
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        decisions.draft_restriction(actors[Role.OFFICER], ref,
                                    replace(builders.LETTER_ONLY, behaviours=()))
    assert refused.value.field == "behaviours"
    assert "which of the policy's behaviours" in refused.value.message
    assert _dump() == before
    restriction = builders.draft(actors, ref)
    builders.consult(actors, ref)
    before = _dump()
    with pytest.raises(ValidationError) as again:
        builder.update_draft(actors[Role.OFFICER], ref, restriction,
                             replace(builders.LETTER_ONLY, behaviours=()))
    assert again.value.field == "behaviours"
    assert _dump() == before
    # A draft from before the upgrade answers nothing until someone says what.
    with builders.as_the_app(ref):
        Restriction.update(behaviours=0).where(Restriction.id == restriction).execute()
    with pytest.raises(RequirementMissing, match="does not say which of the policy's "
                                                 "behaviours it answers"):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Persistent contact", TERMS,
            read=builders.read(ref), customer_reason=TOLD)
    [view] = builder.builder_view(actors[Role.CRM], ref).drafts
    assert view.behaviours == ()


def test_an_untagged_complaint_is_never_enough(actors: dict[Role, Actor]) -> None:
    ref = _considered(actors)
    complaint = _contact(actors, ref, ())
    _rest(actors, ref, (B.EXCESSIVE_DEMANDS,), (EvidenceKind.CONTACT, complaint))
    problems = builder.builder_view(actors[Role.CRM], ref).problems
    assert problems == [
        "The Contact in a particular form only restriction rests on no evidence "
        "of the behaviour it answers (Excessive demands on time): the evidence linked to it is "
        "untagged, shows other behaviour or is the council's own contact; link a contact from "
        f"the customer or a document tagged with the behaviour it answers. {NOT_IN_ITSELF}. "
        f"{safeguards.SHOWING_IT}"]
    before = _dump()
    with pytest.raises(RequirementMissing, match="not in itself unreasonably persistent"):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Complaints", TERMS,
            read=builders.read(ref), customer_reason=TOLD)
    assert _dump() == before


def test_evidence_of_another_behaviour_is_not_enough(actors: dict[Role, Actor]) -> None:
    ref = _considered(actors)
    rude = _contact(actors, ref, (B.OFFENSIVE_REMARKS,), "Called the officer useless")
    _rest(actors, ref, (B.SCATTERGUN,), (EvidenceKind.CONTACT, rude))
    before = _dump()
    with pytest.raises(RequirementMissing, match=r"\(Scattergun approach\): the evidence"):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Scattergun", TERMS,
            read=builders.read(ref), customer_reason=TOLD)
    assert _dump() == before
    tagging.tag(actors[Role.OFFICER], ref, EvidenceKind.CONTACT, rude,
                (B.OFFENSIVE_REMARKS, B.SCATTERGUN))
    builders.consult(actors, ref)
    decisions.impose_restrictions(actors[Role.CRM], ref, "Scattergun", TERMS,
            read=builders.read(ref), customer_reason=TOLD)
    assert Case.get(Case.reference == ref).state == "restricted"


def test_repeat_complaints_count_only_about_a_matter_already_dealt_with(
        actors: dict[Role, Actor]) -> None:
    ref = _considered(actors)
    crm = actors[Role.CRM]
    repeat = _contact(actors, ref, (B.REPEAT_COMPLAINTS,), "The gutter complaint, again")
    matter = matters.open_matter(crm, ref, "Gutter repair")
    tagging.set_matter(crm, ref, repeat, matter)
    _rest(actors, ref, (B.REPEAT_COMPLAINTS,), (EvidenceKind.CONTACT, repeat))
    before = _dump()
    with pytest.raises(RequirementMissing) as open_matter:
        decisions.impose_restrictions(crm, ref, "Repeat complaints", TERMS,
            read=builders.read(ref), customer_reason=TOLD)
    assert REPEAT_NEEDS_CLOSED in str(open_matter.value)
    assert NOT_IN_ITSELF in str(open_matter.value)
    assert _dump() == before
    # Closed after the contact: the contact was part of the complaint, not a repeat of it.
    matters.close_matter(crm, ref, matter, date(2026, 10, 20), "Stage 2 answered")
    with pytest.raises(RequirementMissing, match="already dealt with"):
        decisions.impose_restrictions(crm, ref, "Repeat complaints", TERMS,
            read=builders.read(ref), customer_reason=TOLD)
    matters.reopen_matter(crm, ref, matter, "Closed on the wrong date")
    matters.close_matter(crm, ref, matter, date(2026, 9, 1), "Stage 2 answered")
    builders.consult(actors, ref)
    decisions.impose_restrictions(crm, ref, "Repeat complaints", TERMS,
            read=builders.read(ref), customer_reason=TOLD)
    assert Case.get(Case.reference == ref).state == "restricted"


def test_refusing_a_decision_counts_only_once_the_matter_is_closed(
        actors: dict[Role, Actor]) -> None:
    ref = _considered(actors)
    crm = actors[Role.CRM]
    refusal = _contact(actors, ref, (B.REFUSING_DECISION,), "Rejects the tribunal's decision")
    matter = matters.open_matter(crm, ref, "Council tax band")
    tagging.set_matter(crm, ref, refusal, matter)
    _rest(actors, ref, (B.REFUSING_DECISION,), (EvidenceKind.CONTACT, refusal))
    before = _dump()
    with pytest.raises(RequirementMissing) as challenged:
        decisions.impose_restrictions(crm, ref, "Refuses the decision", TERMS,
            read=builders.read(ref), customer_reason=TOLD)
    assert REFUSAL_NEEDS_CLOSED in str(challenged.value)
    assert _dump() == before
    matters.close_matter(crm, ref, matter, date(2026, 10, 5), "Tribunal decision final")
    builders.consult(actors, ref)
    decisions.impose_restrictions(crm, ref, "Refuses the decision", TERMS,
            read=builders.read(ref), customer_reason=TOLD)


def test_a_document_alone_cannot_show_a_repeat(actors: dict[Role, Actor],
                                                tmp_path: Path) -> None:
    ref = _considered(actors)
    letter = tmp_path / "letter.txt"
    letter.write_text("I am complaining about the gutter again.\n", encoding="utf-8")
    documents.attach_document(actors[Role.OFFICER], ref, letter, "Customer's letter")
    document_id = EvidenceItem.select().order_by(EvidenceItem.id.desc()).get().id
    tagging.tag(actors[Role.OFFICER], ref, EvidenceKind.DOCUMENT, document_id,
                (B.REPEAT_COMPLAINTS,))
    _rest(actors, ref, (B.REPEAT_COMPLAINTS,), (EvidenceKind.DOCUMENT, document_id))
    before = _dump()
    with pytest.raises(RequirementMissing) as refused:
        decisions.impose_restrictions(actors[Role.CRM], ref, "Repeat complaints", TERMS,
            read=builders.read(ref), customer_reason=TOLD)
    assert DOCUMENT_NEEDS_MATTER in str(refused.value)
    assert _dump() == before


def _restricted_with_bad_draft(actors: dict[Role, Actor], state: CaseState) -> str:
    ref = builders.at_state(actors, state)
    _rest(actors, ref, (B.EXCESSIVE_DEMANDS,),
          (EvidenceKind.CONTACT, _contact(actors, ref, ())))
    return ref


def test_varying_refuses_a_restriction_on_complaints_alone(actors: dict[Role, Actor]) -> None:
    ref = _restricted_with_bad_draft(actors, CaseState.RESTRICTED)
    before = _dump()
    with pytest.raises(RequirementMissing, match="rests on no evidence of the behaviour"):
        decisions.vary_restrictions(actors[Role.CRM], ref, "Vary", TERMS, read=builders.read(ref),
                                    customer_reason=TOLD)
    assert _dump() == before


def test_extending_refuses_a_restriction_on_complaints_alone(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref)
    with builders.as_the_app(ref):
        Case.update(reply_by=date(2026, 11, 27)).where(Case.reference == ref).execute()
    ExtensionProposal.update(reply_by=date(2026, 11, 27)).execute()
    # Beside the letter-only restriction proposed: one of each kind (v15e F2).
    _rest(actors, ref, (B.EXCESSIVE_DEMANDS,),
          (EvidenceKind.CONTACT, _contact(actors, ref, ())), what=replace(
              builders.LETTER_ONLY, kind=RestrictionKind.SIGNIFICANT_QUERIES_ONLY,
              parameters={"definition": "a new matter about the customer's home"}))
    before = _dump()
    with pytest.raises(RequirementMissing, match="rests on no evidence of the behaviour"):
        review_steps.extend_restrictions(actors[Role.CRM], ref, "Extend", TERMS,
                                         read=builders.read(ref), customer_reason=TOLD)
    assert _dump() == before


def test_amending_on_appeal_refuses_a_restriction_on_complaints_alone(
        actors: dict[Role, Actor]) -> None:
    ref = _restricted_with_bad_draft(actors, CaseState.UNDER_APPEAL)
    before = _dump()
    with pytest.raises(RequirementMissing, match="rests on no evidence of the behaviour"):
        # Ended sooner: an amendment that changes nothing is refused as such (v15e F12).
        appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                              "Amended to letter only", replace(TERMS, ends_on=date(2027, 5, 28)),
                              builders.read(ref), customer_reason=TOLD)
    assert _dump() == before


def test_the_councils_own_letter_is_never_the_customers_behaviour(
        actors: dict[Role, Actor]) -> None:
    ref = _considered(actors)
    ours = contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 10, 5, 9, 0), channel=Channel.LETTER, direction=Direction.OUTBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Our letter to the customer about the repair",
        categories=(B.OFFENSIVE_REMARKS,)))
    _rest(actors, ref, (B.OFFENSIVE_REMARKS,), (EvidenceKind.CONTACT, ours))
    before = _dump()
    with pytest.raises(RequirementMissing, match="the council's own contact"):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Offensive remarks", TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert _dump() == before
