"""Issue 15: two drafts of one kind on a case were both "the Contact in a particular form only
restriction" in every message, and a CRM could not tell which one was meant. Where the kind
repeats, each is named with its place in the builder's list (its `#`: 1, 2, …); a kind drafted
once is named by its kind alone. A kind repeats only in older data now (one restriction of each
kind is the rule, v15e F2): stored here as such data was."""

from __future__ import annotations

from datetime import datetime

import pytest

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import StaleEdit
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.restrictions import named, repeated_places
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import contacts, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.restrictions import builder, decisions
from tests import builders

FORM = "the Contact in a particular form only restriction"


def test_a_repeated_kind_is_named_with_its_place_in_the_list() -> None:
    assert repeated_places([K.NAMED_OFFICER, K.FORM_OF_CONTACT, K.NAMED_OFFICER]) == \
        [1, None, 3]
    assert repeated_places([K.NAMED_OFFICER, K.FORM_OF_CONTACT]) == [None, None]
    assert named(K.NAMED_OFFICER, place=2) == "the Named officer only restriction (#2)"
    assert named(K.NAMED_OFFICER, capital=True, article=False, place=3) == \
        "Named officer only restriction (#3)"
    assert named(K.NAMED_OFFICER) == "the Named officer only restriction"


def test_two_drafts_of_one_kind_are_told_apart_in_what_stands_in_the_way(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    officer = actors[Role.OFFICER]
    decisions.draft_restriction(officer, ref, builders.LETTER_ONLY)
    builders.second_of_a_kind(ref, K.FORM_OF_CONTACT, builders.LETTER_ONLY.parameters)
    view = builder.builder_view(actors[Role.CRM], ref)
    assert [d.kind for d in view.drafts] == [K.FORM_OF_CONTACT, K.FORM_OF_CONTACT]
    bare = [p for p in view.problems if "rests on no linked evidence" in p]
    assert [p.split(" rests on")[0] for p in bare] == [
        "The Contact in a particular form only restriction (#1)",
        "The Contact in a particular form only restriction (#2)"], view.problems


def test_a_stale_save_names_the_draft_by_its_place_too(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    officer, crm = actors[Role.OFFICER], actors[Role.CRM]
    builders.draft(actors, ref)
    second = builders.second_of_a_kind(ref, K.FORM_OF_CONTACT,
                                       builders.LETTER_ONLY.parameters)
    read = next(d.version for d in builder.builder_view(crm, ref).drafts if d.id == second)
    builder.justify(crm, ref, second, "A weekly call meets the need", read_version=read)
    with pytest.raises(StaleEdit) as refused:
        builder.update_draft(officer, ref, second, builders.LETTER_ONLY, read_version=read)
    assert f"this draft ({FORM} (#2))" in str(refused.value), str(refused.value)


def test_the_evidence_link_list_tells_two_drafts_of_one_kind_apart(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    builders.draft(actors, ref)
    builders.second_of_a_kind(ref, K.FORM_OF_CONTACT, builders.LETTER_ONLY.parameters)
    contact = contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 10, 6, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Another email about the same closed complaint",
        categories=(BehaviourCategory.EXCESSIVE_DEMANDS,)))
    targets = tagging.link_targets(actors[Role.CRM], ref, tagging.EvidenceKind.CONTACT,
                                   contact)
    assert [t.label for t in targets if t.key.startswith("restriction:")] == [
        "The Contact in a particular form only restriction (#1) (draft)",
        "The Contact in a particular form only restriction (#2) (draft)"]
