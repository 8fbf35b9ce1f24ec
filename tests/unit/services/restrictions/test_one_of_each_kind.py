"""One restriction of each kind per set (v15e F2): two "Named officer only" restrictions made a
decision letter that said "contact the council only through Hannah Okafor … everything" and then
"only through Liam Doyle … everything". Drafting a second of a kind is refused on every path; a
set that already holds two (older data) is read as it is and decided only once one is
discarded, so that letter is never produced."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crm_tui.db.models import Case, Decision, Restriction, User
from crm_tui.domain.errors import DomainError, RequirementMissing, ValidationError
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.restrictions import set_problems
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import direct_details
from crm_tui.services.core.inputs import RestrictionDraft
from crm_tui.services.restrictions import builder, decisions, readiness
from crm_tui.services.reviews import review_steps
from tests import builders, dumps

PHONE = {"days": ["tue"], "windows": ["10:00-12:00"], "number": "01632 960123"}


def _dump() -> list[str]:
    return dumps.dump()


def _named_officer(actors: dict[Role, Actor], login: str, deputy: str) -> RestrictionDraft:
    user = User.get(User.login == login)
    direct_details.set_direct_details(actors[Role.USER_ADMIN], login, "01632 960412",
                                      f"{login}@northmere.example.gov.uk")
    return replace(builders.LETTER_ONLY, kind=K.NAMED_OFFICER, parameters={
        "officer": user.name, "officer_id": user.id, "deputy": deputy})


def test_a_second_restriction_of_a_kind_is_refused_naming_the_first(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False,
                            drafted=False)
    builders.draft(actors, ref, _named_officer(actors, "officer", "Robin Hale"))
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        decisions.draft_restriction(actors[Role.OFFICER], ref,
                                    _named_officer(actors, "crm", "Jordan Reeve"))
    assert refused.value.field == "kind"
    assert refused.value.message == (
        "There is already a Named officer only restriction on this case (\u201cContact only "
        "with Sam Patel (deputy: Robin Hale)\u201d): change it (e) rather than add another")
    # Nothing kept but the direct details the second officer was given to be named.
    assert len([line for line in _dump() if line not in before]) <= 3
    assert Restriction.select().where(Restriction.kind == K.NAMED_OFFICER.value).count() == 1
    # Another kind still goes in beside it.
    decisions.draft_restriction(actors[Role.OFFICER], ref, replace(
        builders.LETTER_ONLY, kind=K.SIGNIFICANT_QUERIES_ONLY,
        parameters={"definition": "a new matter about the customer's home"}))


def test_set_times_on_another_number_than_the_named_officers_are_refused(
        actors: dict[Role, Actor]) -> None:
    """The letter told the customer to ring the named officer on their own number at the set
    times, then gave the set times' number as the one to ring them on."""
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False,
                            drafted=False)
    builders.draft(actors, ref, _named_officer(actors, "officer", "Robin Hale"))
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        decisions.draft_restriction(actors[Role.OFFICER], ref, replace(
            builders.LETTER_ONLY, kind=K.TELEPHONE_TIMES, parameters=PHONE))
    assert refused.value.field == "kind"
    assert refused.value.message == (
        "telephone calls at set times on 01632 960123 cannot stand beside \u201cContact only "
        "with Sam Patel (deputy: Robin Hale)\u201d: the letter would tell the customer to ring "
        "Sam Patel on their own number, 01632 960412, as well; give 01632 960412 as the "
        "number to ring, or change or discard one of them")
    assert _dump() == before
    decisions.draft_restriction(actors[Role.OFFICER], ref, replace(
        builders.LETTER_ONLY, kind=K.TELEPHONE_TIMES, parameters={**PHONE,
                                                                 "number": "01632 960412"}))
    assert not [p for p in builder.ready_problems(Case.get(Case.reference == ref))
                if "cannot stand beside" in p]
    # The officer's number changed since: the set is found before any decision.
    direct_details.set_direct_details(actors[Role.USER_ADMIN], "officer", "01632 960999",
                                      "officer@northmere.example.gov.uk")
    assert [p for p in builder.builder_view(actors[Role.CRM], ref).problems
            if p.startswith("Telephone calls at set times on 01632 960412 cannot stand")]


def test_a_draft_is_not_changed_into_a_second_of_a_kind(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    phone = decisions.draft_restriction(actors[Role.OFFICER], ref, replace(
        builders.LETTER_ONLY, kind=K.SIGNIFICANT_QUERIES_ONLY,
        parameters={"definition": "a new matter about the customer's home"}))
    with pytest.raises(ValidationError, match="already a Contact in a particular form only"):
        builder.update_draft(actors[Role.OFFICER], ref, phone, replace(
            builders.LETTER_ONLY, parameters={"channels": ["letter", "email"]}))
    assert Restriction.get_by_id(phone).kind == K.SIGNIFICANT_QUERIES_ONLY.value


def test_setting_out_those_in_force_again_beside_a_draft_of_their_kind_is_refused(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    decisions.draft_restriction(actors[Role.OFFICER], ref, replace(
        builders.LETTER_ONLY, parameters={"channels": ["letter", "email"]}))
    before = _dump()
    with pytest.raises(RequirementMissing, match="would add a second; change it \\(e\\), or "
                                                 "discard it \\(x\\) first"):
        builder.redraft_in_force(actors[Role.CRM], ref)
    assert _dump() == before


def test_a_set_holding_two_of_a_kind_is_read_and_decided_only_once_one_is_discarded(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    second = builders.second_of_a_kind(ref, K.FORM_OF_CONTACT, {"channels": ["email", "letter"]})
    builders.consult(actors, ref)
    crm = actors[Role.CRM]
    view = builder.builder_view(crm, ref)  # readable as it is
    assert len(view.drafts) == 2
    said = ("There are two Contact in a particular form only restrictions (\u201cContact "
            "accepted only by letter\u201d; \u201cContact accepted only by email and letter\u201d)"
            ": one restriction of each kind only, as the letter cannot tell the customer both; "
            "discard one (x)")
    assert said in view.problems
    assert said in readiness.blockers(crm, ref)
    preview = readiness.preview(crm, ref, builders.TERMS, "Persistent contact",
                                customer_reason=builders.TOLD)
    assert said in preview.problems
    # The decision refuses it, and nothing is decided, so no letter can be written from it.
    with pytest.raises(DomainError, match="There are two Contact in a particular form only"):
        decisions.impose_restrictions(crm, ref, "Persistent contact", builders.TERMS,
                                      read=builders.read(ref), customer_reason=builders.TOLD)
    assert Decision.select().count() == 0
    decisions.discard_draft(crm, ref, second)
    assert not [p for p in builder.builder_view(crm, ref).problems if "There are two" in p]


def test_an_extension_is_not_proposed_on_two_of_a_kind(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builder.redraft_in_force(actors[Role.CRM], ref)
    builders.second_of_a_kind(ref, K.FORM_OF_CONTACT, {"channels": ["email", "letter"]})
    before = _dump()
    with pytest.raises(RequirementMissing, match="There are two Contact in a particular form"):
        review_steps.propose_extension(actors[Role.CRM], ref, "Three letters a week continued",
                                       ends_on=builders.TERMS.ends_on.replace(year=2028),
                                       customer_reason=builders.TOLD)
    assert _dump() == before


def test_set_problems_name_two_of_a_kind_and_a_contradiction() -> None:
    assert set_problems([(K.FORM_OF_CONTACT, {"channels": ["letter"]}),
                         (K.TELEPHONE_TIMES, PHONE)]) == [
        "Telephone calls at set times cannot stand beside \u201cContact accepted only by "
        "letter\u201d, which closes the telephone: change or discard one of them"]
    assert set_problems([(K.FORM_OF_CONTACT, {"channels": ["letter", "telephone"]}),
                         (K.TELEPHONE_TIMES, PHONE),
                         (K.SIGNIFICANT_QUERIES_ONLY, {"definition": "a new matter"})]) == []
