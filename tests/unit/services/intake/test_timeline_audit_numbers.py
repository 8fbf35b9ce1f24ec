"""Found when tried: the case file's timeline named the audit entry of only the steps read
from the trail; a decision or a Head of Service's view (its "About" line) said none, so a
reader could not go from the case file to the audit trail or `crm-tui audit verify`. Every
entry an audit entry recorded now names it, "#n" as the audit trail numbers it."""

from __future__ import annotations

from crm_tui.db.models import AuditEntry
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import case_file
from crm_tui.services.intake.timeline_steps import RECORD_ACTIONS
from tests import builders


def test_each_recorded_step_names_its_audit_entry(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    timeline = case_file.case_file(actors[Role.CRM], ref).timeline
    actions = {int(e.seq): str(e.action) for e in AuditEntry.select().where(
        AuditEntry.case_reference == ref)}
    kinds = {e.kind for e in timeline if e.seq}
    assert {"decision", "consultation"} <= kinds, kinds
    for entry in timeline:
        named = [line for line in entry.detail.splitlines() if line.startswith("Audit entry")]
        # An entry dated by the day it tells of (a referral received, a contact) and not by
        # its recording is placed by that day, and names no entry it cannot be sure of.
        assert named == ([f"Audit entry: #{entry.seq}"] if entry.seq else []), entry
        if entry.kind in RECORD_ACTIONS:  # the entry that wrote the record it is read from
            assert actions[entry.seq] in RECORD_ACTIONS[entry.kind], entry
