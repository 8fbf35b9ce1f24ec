"""Each step checks the case's records against the latest entry about the case
(audit_seals.as_left). Found when tried: with only the case reference indexed, SQLite read
every entry about the case and sorted them to find the latest, some 10-50 ms a step on a case
with 7,000 entries. Now a case's entries are indexed in their order (schema 23) and the
latest is read from the end of the case's run; what the check finds is the same."""

from __future__ import annotations

from datetime import datetime

from crm_tui.db.models import AuditEntry, Case
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit_seals
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from tests import builders, plans


def test_the_latest_entry_about_a_case_is_read_through_the_index_unsorted(
        actors: dict[Role, Actor]) -> None:
    shown = plans.plan(audit_seals.latest_about("UPV-2026-0001").limit(1))
    assert plans.uses_index(shown, "audit_entry_case_seq"), shown
    assert not plans.sorts(shown), shown  # no sort of the case's entries


def test_the_latest_entry_found_is_the_cases_last_and_its_records_are_as_left(
        actors: dict[Role, Actor]) -> None:
    officer = actors[Role.OFFICER]
    reference = builders.at_state(actors, CaseState.RESTRICTED)
    other = builders.at_state(actors, CaseState.NEW)
    for n in range(1, 4):  # entries about the two cases, interleaved
        for ref in (reference, other):
            contacts.log_contact(officer, ref, ContactInput(
                at=datetime(2026, 11, 26, 10, n), channel=Channel.TELEPHONE,
                direction=Direction.INBOUND, service_area="Housing Services",
                officer_name="Sam Okafor", summary=f"Rang about the repair, call {n}"))
    last = int(AuditEntry.select(AuditEntry.seq).where(AuditEntry.case_reference == reference)
               .order_by(AuditEntry.seq.desc()).scalar())
    found = audit_seals.latest_about(reference).first()
    assert found is not None and int(found.seq) == last
    case = Case.get(Case.reference == reference)
    assert audit_seals.as_left(reference, int(case.id)) == ""
