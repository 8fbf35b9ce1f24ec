"""A restriction's words for the customer are read as they are saved with the letter's rule on
closed ways of contact (t15c F1): "Please ring us on 01632 960000" on a letter-only restriction
was saved, the Head of Service consulted on it, and the letter refused only inside the decision
form. A sentence that tells what happened ("been abusive on the phone") offers nothing. Words
saved before another restriction closed their way are listed by the builder, and D refuses."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crm_tui.db.models import Restriction
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.restrictions import builder, decisions, readiness
from tests import builders, dumps

INVITING = "Please ring us on 01632 960000 or call us any time."
TELLING = ("You have contacted many officers at once about the same matters and been abusive "
           "on the phone.")


def _dump() -> list[str]:
    return dumps.dump()


def _fresh(actors: dict[Role, Actor]) -> str:
    return builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False,
                             drafted=False)


def test_words_offering_a_closed_telephone_are_refused_at_the_field(
        actors: dict[Role, Actor]) -> None:
    ref = _fresh(actors)
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        decisions.draft_restriction(actors[Role.OFFICER], ref,
                                    replace(builders.LETTER_ONLY, customer_reason=INVITING))
    assert refused.value.field == "customer_reason"
    assert "a telephone number offered, though the restrictions close telephone " \
           "(\u201c01632 960000\u201d)" in refused.value.message
    assert _dump() == before


def test_a_change_to_the_words_is_read_alike(actors: dict[Role, Actor]) -> None:
    ref = _fresh(actors)
    draft = builders.draft(actors, ref)
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        builder.update_draft(actors[Role.OFFICER], ref, draft, replace(
            builders.LETTER_ONLY,
            customer_reason="Please ring us whenever you want to talk about the repair."))
    assert refused.value.field == "customer_reason"
    assert "contact by telephone offered" in refused.value.message
    assert _dump() == before


def test_words_telling_what_happened_are_saved_and_stand_in_no_way(
        actors: dict[Role, Actor]) -> None:
    ref = _fresh(actors)
    builders.draft(actors, ref, replace(builders.LETTER_ONLY, customer_reason=TELLING))
    builders.consult(actors, ref)
    assert Restriction.get(Restriction.customer_reason == TELLING)
    assert readiness.blockers(actors[Role.CRM], ref) == []
    terms = builder.decision_defaults(actors[Role.CRM], ref)
    preview = readiness.preview(actors[Role.CRM], ref, terms, "Persistent contact",
                                customer_reason=builders.TOLD)
    assert preview.problems == [], preview.problems


def test_words_a_later_restriction_closes_are_listed_and_stop_the_decision(
        actors: dict[Role, Actor]) -> None:
    ref = _fresh(actors)
    # Nothing closed yet: the words stand, until a letter-only restriction closes telephone.
    builders.draft(actors, ref, replace(builders.SIGNIFICANT_ONLY,
                                        customer_reason="Please ring us about a new matter."))
    builders.draft(actors, ref)
    builders.consult(actors, ref)
    found = readiness.blockers(actors[Role.CRM], ref)
    assert any("contact by telephone offered, though the restrictions close it" in p
               and "\u201cWhy, as the customer is told it\u201d, e)" in p for p in found), found
    assert builder.builder_view(actors[Role.CRM], ref).problems == found
    # The one list D refuses with; the decision's form finds it in its letter too.
    terms = builder.decision_defaults(actors[Role.CRM], ref)
    preview = readiness.preview(actors[Role.CRM], ref, terms, "Persistent contact",
                                customer_reason=builders.TOLD)
    assert any("contact by telephone offered" in p for p in preview.problems)
