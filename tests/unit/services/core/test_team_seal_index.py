"""Each step holds the acting person's user record to the team's latest seal
(team_seal.latest), and each commit that writes an entry reads it again. Found when tried
(issue 16): finding it scanned every payload written since the team last changed, 0.42 s a
read on a trail of 200,000 entries, a step 0.86 s. Now the entries holding a seal have an
index of their own (0.1 ms a read); what the check finds is the same."""

from __future__ import annotations

from datetime import datetime

from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import TEAM_SEALED, AuditEntry, database_proxy
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import team_seal, users
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from tests import builders, plans


def _call(actor: Actor, reference: str, summary: str) -> int:
    return contacts.log_contact(actor, reference, ContactInput(
        at=datetime(2026, 11, 26, 10, 15), channel=Channel.TELEPHONE,
        direction=Direction.INBOUND, service_area="Housing Services",
        officer_name="Sam Okafor", summary=summary))


def test_the_latest_seal_is_read_through_its_own_index(actors: dict[Role, Actor]) -> None:
    shown = plans.plan(team_seal.holding_the_seal().limit(5))
    assert plans.uses_index(shown, "audit_entry_team_seal"), shown


def _read_through_the_index() -> list[int]:
    """The entries the partial index holds, read through it: SQLite's INDEXED BY; on
    PostgreSQL the query as the index was made for, its plan checked to read the index."""
    if is_sqlite():
        return [int(row[0]) for row in database_proxy.obj.execute_sql(
            "SELECT seq FROM audit_entry INDEXED BY audit_entry_team_seal "
            "WHERE instr(payload, '\"team\": {') > 0 ORDER BY seq")]
    query = AuditEntry.select(AuditEntry.seq).where(TEAM_SEALED).order_by(AuditEntry.seq)
    shown = plans.plan(query)
    assert plans.uses_index(shown, "audit_entry_team_seal"), shown
    with plans.no_whole_table_reads():
        return [int(seq) for (seq,) in query.tuples()]


def test_the_index_holds_every_entry_holding_a_seal_and_the_latest_is_found(
        actors: dict[Role, Actor]) -> None:
    admin, officer = actors[Role.USER_ADMIN], actors[Role.OFFICER]
    reference = builders.at_state(actors, CaseState.RESTRICTED)
    users.deactivate(admin, "hos", "Left the council")
    users.reactivate(admin, "hos", "Came back on contract")
    for n in range(1, 13):  # steps that leave the team alone seal nothing
        _call(officer, reference, f"Rang about the repair, call {n}")
    sealed = [int(seq) for seq, payload in AuditEntry.select(AuditEntry.seq, AuditEntry.payload)
              .order_by(AuditEntry.seq).tuples() if team_seal.held(payload) is not None]
    indexed = _read_through_the_index()
    assert indexed == sealed and len(sealed) >= 3
    head = int(AuditEntry.select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).scalar())
    found = team_seal.latest()
    assert found is not None and found[0] == sealed[-1] < head - 11
    assert found[1] == team_seal.seal()  # the team as it stands
    assert team_seal.user_not_as_left(officer.user_id) == ""
