"""Restrictions that contradict one another are refused when drafted, through the service the
builder and the command line both use: the letter would tell the customer two things at once
(found when tried: "only by letter" beside "telephone us on Tuesdays")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crm_tui.db.models import Restriction
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.restrictions import contradiction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.restrictions import builder, decisions
from tests import builders, dumps

PHONE = {"days": ["tue"], "windows": ["10:00-12:00"], "number": "01632 960123"}


@pytest.mark.parametrize(("kind", "params", "other", "other_params"), [
    (K.TELEPHONE_TIMES, PHONE, K.FORM_OF_CONTACT, {"channels": ["letter"]}),
    (K.TELEPHONE_TIMES, PHONE, K.BLOCK_ELECTRONIC, {"why_nothing_less": "x"}),
    (K.FORM_OF_CONTACT, {"channels": ["email"]}, K.BLOCK_ELECTRONIC, {"why_nothing_less": "x"}),
    (K.FORM_OF_CONTACT, {"channels": ["email"]}, K.FORM_OF_CONTACT, {"channels": ["letter"]}),
])
def test_contradictions_are_named_either_way_round(kind: K, params: dict[str, object],
                                                   other: K,
                                                   other_params: dict[str, object]) -> None:
    assert contradiction(kind, params, [(other, other_params)])
    assert contradiction(other, other_params, [(kind, params)])


def test_restrictions_that_fit_together_pass() -> None:
    assert contradiction(K.TELEPHONE_TIMES, PHONE,
                         [(K.FORM_OF_CONTACT, {"channels": ["letter", "telephone"]})]) == ""
    assert contradiction(K.FORM_OF_CONTACT, {"channels": ["letter"]},
                         [(K.BLOCK_ELECTRONIC, {"why_nothing_less": "x"})]) == ""


def _dump() -> list[str]:
    return dumps.dump()


def test_a_contradicting_draft_is_refused_and_nothing_stored(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    # letters only, drafted
    phone = replace(builders.LETTER_ONLY, kind=K.TELEPHONE_TIMES, parameters=PHONE)
    before = _dump()
    with pytest.raises(ValidationError, match="closes the telephone") as refused:
        decisions.draft_restriction(actors[Role.OFFICER], ref, phone)
    assert refused.value.field == "kind" and _dump() == before
    # Nor by changing a draft into one that contradicts the other.
    second = decisions.draft_restriction(actors[Role.OFFICER], ref, replace(
        builders.LETTER_ONLY, kind=K.SIGNIFICANT_QUERIES_ONLY,
        parameters={"definition": "a new matter about the customer's home"}))
    with pytest.raises(ValidationError, match="closes the telephone"):
        builder.update_draft(actors[Role.OFFICER], ref, second, phone)
    assert Restriction.get_by_id(second).kind == K.SIGNIFICANT_QUERIES_ONLY.value
