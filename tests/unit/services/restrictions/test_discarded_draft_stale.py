"""A draft discarded by someone else while another's form on it was open (b16e F6): the save
said only "No draft restriction 15 on …". It says who discarded it and when, as the app's
other stale edits do, and saves nothing."""

from __future__ import annotations

import pytest

from crm_tui.db.models import AuditEntry, Restriction
from crm_tui.domain.errors import NotFound, StaleEdit
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.restrictions import builder, decisions
from tests import builders


def test_a_save_to_a_draft_discarded_meanwhile_says_who_discarded_it(
        actors: dict[Role, Actor]) -> None:
    # Set out alone: one restriction of each kind per set (v15e F2).
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    draft = builders.draft(actors, ref)
    read = int(Restriction.get_by_id(draft).version)
    decisions.discard_draft(actors[Role.CRM], ref, draft)  # from another workstation
    entries = AuditEntry.select().count()
    with pytest.raises(StaleEdit) as refused:
        builder.update_draft(actors[Role.OFFICER], ref, draft, builders.LETTER_ONLY,
                             read_version=read)
    assert str(refused.value).startswith(
        "Alex Morgan discarded this draft (the Contact in a particular form only restriction) "
        "at 10:00 since you read it. Nothing was saved")
    with pytest.raises(StaleEdit, match="discarded this draft"):
        builder.justify(actors[Role.OFFICER], ref, draft, "A weekly call meets the need")
    assert AuditEntry.select().count() == entries


def test_a_draft_never_on_the_case_is_still_not_found(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    with pytest.raises(NotFound, match=f"no draft restriction 999 on {ref}"):
        builder.update_draft(actors[Role.OFFICER], ref, 999, builders.LETTER_ONLY)
