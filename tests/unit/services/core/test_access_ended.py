"""A person whose access (or role) is ended while an app or a command acts as them writes
nothing more: each step reads their grant as it writes (found when tried: a deactivated
officer's open app logged a contact and a breach in their name)."""

from __future__ import annotations

import pytest

from crm_tui.domain.outcomes import ConsultationView
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import grants, users
from crm_tui.services.intake import casework
from tests import builders, dumps


def _dump() -> list[str]:
    return dumps.dump()


def test_a_person_deactivated_after_they_began_writes_nothing(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    crm = actors[Role.CRM]  # resolved before the administrator ended her access
    users.deactivate(actors[Role.USER_ADMIN], "crm", "Left the council")
    before = _dump()
    with pytest.raises(grants.AccessEnded, match=r"was deactivated by .*Nothing was saved"):
        casework.assign(crm, ref, "officer")
    assert _dump() == before


def test_a_confirmed_step_is_refused_before_the_passphrase_is_asked(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    hos = actors[Role.HEAD_OF_SERVICE]
    users.deactivate(actors[Role.USER_ADMIN], "hos", "Moved to another council")
    before = _dump()
    with pytest.raises(grants.AccessEnded, match="can no longer use the app"):
        casework.record_consultation(hos, ref, view=ConsultationView.AGREES,
                                     view_text="Agreed on the evidence")
    assert _dump() == before


def test_a_role_changed_meanwhile_is_not_acted_in(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    crm = actors[Role.CRM]
    users.change_role(actors[Role.USER_ADMIN], "crm", Role.OFFICER, "Stepped down")
    before = _dump()
    with pytest.raises(grants.AccessEnded, match="no longer acts as Complaints Resolution "
                                                 "Manager"):
        casework.assign(crm, ref, "officer")
    assert _dump() == before
    # Acting again as who they now are works as that role allows.
    assert grants.ended(users.resolve_actor("crm")) == ""


def test_a_new_decision_role_holder_since_deactivated_is_said_to_be(
        actors: dict[Role, Actor]) -> None:
    admin = actors[Role.USER_ADMIN]
    users.add_user(admin, "newhos", "Nia Evans", Role.HEAD_OF_SERVICE, staff_id="S-newhos",
                   os_account="newhos-os")
    users.deactivate(admin, "newhos", "Left after a month")
    notices = users.decision_role_notices(actors[Role.CRM])
    assert any("Nia Evans" in n and "; has since left: access ended" in n for n in notices)
