"""`audit verify` holds the role each entry was recorded in to the roles the trail itself gave
(issue 16, v15c F0): an officer's role raised to the CRM's in the database, used, and put
back again left entries recorded as the CRM's (archive, signing key, destroy), and the trail
verified. The trail's own `add_user`, `change_role`, `deactivate_user` and `reactivate_user`
entries are replayed; an appeal decided by a nominee is held to the nominations it records."""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry
from crm_tui.domain.audit_chain import ERASED, ChainFields, digest, entry_hash
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, users
from crm_tui.services.core.grants import AccessEnded
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.retention import archive
from crm_tui.services.reviews import appeals, nominations
from tests import builders, outside
from tests.builders import TOLD
from tests.demo_copies import copy_demo
from tests.unit.services.core.test_audit_forged_entries import _append
from tests.unit.services.core.trail_rewrite import rechain
from tests.unit.services.reviews.appeal_fixtures import TODAY, deputy, dump, nominate_today

AT = datetime(2026, 11, 28, 11, 0)


def _forge_in_sqlite(path: Path, login: str, role: str, action: str) -> int:
    """An entry written as the app writes one, by a script on the database file."""
    with contextlib.closing(outside.connect(path)) as con, con:
        seq, head = con.execute("SELECT seq, entry_hash FROM audit_head").fetchone()
        seq += 1
        payload = json.dumps({"key_fingerprint": "ab" * 32}, sort_keys=True)
        fields = ChainFields(seq, AT.isoformat(timespec="seconds"), login, role, action, "",
                             digest(""), digest(payload))
        hashed = entry_hash(head, fields)
        con.execute("INSERT INTO audit_entry (seq, at, actor_login, actor_role, action, "
                    "case_reference, reason, payload, reason_hash, payload_hash, prev_hash, "
                    "entry_hash, erased) VALUES (?, ?, ?, ?, ?, '', '', ?, ?, ?, ?, ?, 0)",
                    (seq, fields.at, login, role, action, payload, fields.reason_hash,
                     fields.payload_hash, head, hashed))
        con.execute("UPDATE audit_head SET seq = ?, entry_hash = ?", (seq, hashed))
    return int(seq)


def _sql(path: Path, statement: str) -> None:
    with contextlib.closing(outside.connect(path)) as con, con:
        con.execute(statement)


def _contact() -> ContactInput:
    return ContactInput(at=datetime(2026, 11, 27, 9, 0), channel=Channel.TELEPHONE,
                        direction=Direction.INBOUND, service_area="Housing Services",
                        officer_name="Sam Patel", summary="Rang about the bins again",
                        categories=(BehaviourCategory.EXCESSIVE_DEMANDS,))


def _verify(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "verify", "--db", str(path)])
    return result.exit_code, result.output


def test_a_role_raised_used_and_put_back_in_the_database_is_named(
        demo_db: Path, tmp_path: Path) -> None:
    path = copy_demo(demo_db, tmp_path / "demo.sqlite3")
    assert _verify(path)[0] == 0
    _sql(path, "UPDATE \"user\" SET role = 'crm' WHERE login = 'tomasz.nowak'")
    # The app acts on nothing in the raised role: the edited record is refused.
    refused = CliRunner().invoke(main, ["signing", "init", "--db", str(path), "--user",
                                        "tomasz.nowak", "--passphrase-file",
                                        str(tmp_path / "none")])
    assert refused.exit_code != 0
    # Written as the app would have written it, then the role put back.
    forged = _forge_in_sqlite(path, "tomasz.nowak", "crm", "create_signing_key")
    _sql(path, "UPDATE \"user\" SET role = 'officer' WHERE login = 'tomasz.nowak'")
    code, out = _verify(path)
    assert code == 1, out
    assert (f"BROKEN at entry {forged}: entry {forged} was recorded by tomasz.nowak as "
            "Complaints Resolution Manager (crm), but the role the trail gave them then is "
            "Complaints Resolution Team officer (officer)") in out


def test_the_demo_trail_holds_every_role_it_records(demo_db: Path, tmp_path: Path) -> None:
    """A normal day: every actor of the demo was added by the trail in the role they act in."""
    path = copy_demo(demo_db, tmp_path / "demo.sqlite3")
    code, out = _verify(path)
    assert code == 0 and "intact" in out and "could not be held to the roles" not in out


def test_an_entry_by_someone_deactivated_or_never_added_is_named(
        actors: dict[Role, Actor]) -> None:
    users.deactivate(actors[Role.USER_ADMIN], "officer", "Left the council")
    assert audit.verify().ok
    after = _append(actors[Role.OFFICER], AT, "add_note", "", {})
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == after
    assert "their access was ended in entry" in result.problem


def test_an_actor_the_trail_never_added_is_named(actors: dict[Role, Actor]) -> None:
    stranger = Actor(999, "stranger", "A Stranger", Role.CRM)
    forged = _append(stranger, AT, "create_signing_key", "", {})
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == forged
    assert "stranger as Complaints Resolution Manager (crm), but the trail never added" \
        in result.problem


def test_a_role_changed_by_the_app_is_followed(actors: dict[Role, Actor]) -> None:
    """The officer made CRM by the administrator acts as CRM from then on, and not as officer."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    users.change_role(actors[Role.USER_ADMIN], "officer", Role.CRM, "Acting up while Alex is away")
    contacts.log_contact(users.resolve_actor("officer"), ref, _contact())
    assert AuditEntry.select().order_by(AuditEntry.seq.desc()).get().actor_role == "crm"
    assert audit.verify().ok
    forged = _append(actors[Role.OFFICER], AT, "add_note", "", {})  # the old role
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == forged
    assert "officer as Complaints Resolution Team officer (officer), but the role the trail " \
           "gave them then is Complaints Resolution Manager (crm)" in result.problem


def test_an_older_trail_without_its_people_is_noted_not_failed(
        actors: dict[Role, Actor]) -> None:
    """A trail whose people were added before the trail recorded them: not checked, said."""
    AuditEntry.update(actor_login="someone.earlier").where(AuditEntry.seq == 1).execute()
    rechain()
    result = audit.verify()
    assert result.ok, result.problem
    assert result.roles_unchecked == 1
    assert "Note: the role of 1 entry could not be held" in result.unvouched_note


def test_editing_the_role_grant_alone_gives_nothing(actors: dict[Role, Actor],
                                                    db_path: Path) -> None:
    """The app authorises from the user record: a grant raised in the database lets the
    officer record nothing as the CRM (and `audit verify` names the edit)."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    _sql(db_path, "UPDATE role_grant SET role = 'crm' WHERE user_id = "
                  f"{actors[Role.OFFICER].user_id}")
    officer = users.resolve_actor("officer")
    assert officer.role is Role.OFFICER
    before = dump()
    with pytest.raises(PermissionDenied, match="may not destroy"):
        archive.destroy(officer, ref)
    assert dump() == before
    contacts.log_contact(officer, ref, _contact())
    assert AuditEntry.select().order_by(AuditEntry.seq.desc()).get().actor_role == "officer"
    result = audit.verify()
    assert not result.ok and "role grant" in result.problem


def test_editing_the_user_role_alone_records_nothing(actors: dict[Role, Actor],
                                                     db_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    _sql(db_path, "UPDATE \"user\" SET role = 'crm' WHERE login = 'officer'")
    raised = users.resolve_actor("officer")
    assert raised.role is Role.CRM
    before = dump()
    with pytest.raises(AccessEnded):
        contacts.log_contact(raised, ref, _contact())
    assert dump() == before


# -- nominations ---------------------------------------------------------------------------

def test_a_nominee_deciding_under_a_nomination_for_a_period_verifies(
        actors: dict[Role, Actor]) -> None:
    nominee = deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    nominate_today(actors, "deputy")
    appeals.decide_appeal(nominee, ref, AppealOutcome.CONFIRMED, "Sound", customer_reason=TOLD)
    result = audit.verify()
    assert result.ok, result.problem


def test_a_nominee_deciding_under_a_nomination_for_the_case_verifies(
        actors: dict[Role, Actor]) -> None:
    nominee = deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Conflict of interest",
                         case_reference=ref)
    appeals.decide_appeal(nominee, ref, AppealOutcome.REMOVED, "Not proportionate",
                          customer_reason=TOLD)
    assert audit.verify().ok


def _decided_as(nominee: Actor, ref: str, at: datetime = AT) -> int:
    return _append(nominee, at, "confirm_on_appeal", ref, {"outcome": "confirmed"})


def test_an_appeal_decided_by_a_head_of_service_never_nominated_is_named(
        actors: dict[Role, Actor]) -> None:
    nominee = deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    forged = _decided_as(nominee, ref)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == forged
    assert (f"entry {forged} decided the appeal on {ref} by deputy as Head of Service, Legal "
            "Services Partnership (head_of_service), but no nomination the trail records "
            "covered them") in result.problem


def test_a_revoked_nomination_covers_no_later_decision(actors: dict[Role, Actor]) -> None:
    nominee = deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    made = nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Conflict of interest",
                                case_reference=ref)
    nominations.revoke(actors[Role.SERVICE_DIRECTOR], made.id, "No longer needed")
    forged = _decided_as(nominee, ref)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == forged
    assert "no nomination the trail records covered them" in result.problem


def test_a_nomination_for_one_case_covers_no_other(actors: dict[Role, Actor]) -> None:
    nominee = deputy(actors)
    covered = builders.at_state(actors, CaseState.UNDER_APPEAL)
    other = builders.at_state(actors, CaseState.UNDER_APPEAL)
    nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Conflict of interest",
                         case_reference=covered)
    forged = _decided_as(nominee, other)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == forged
    assert f"the appeal on {other} by deputy" in result.problem


@pytest.mark.parametrize(("day", "covered"), [
    (TODAY, True), (TODAY + timedelta(days=14), True), (TODAY + timedelta(days=15), False),
    (TODAY - timedelta(days=1), False)], ids=["first day", "last day", "day after", "day before"])
def test_a_nomination_for_a_period_covers_its_days_only(
        actors: dict[Role, Actor], day: date, covered: bool) -> None:
    nominee = deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    nominate_today(actors, "deputy", days=14)
    forged = _decided_as(nominee, ref, datetime.combine(day, AT.time()))
    result = audit.verify()
    if covered:
        # The role and the nomination hold; what the check names next is not about them.
        assert "no nomination the trail records" not in result.problem
    else:
        assert not result.ok and result.first_bad_seq == forged
        assert "no nomination the trail records covered them" in result.problem


def test_another_persons_nomination_covers_no_one_else(actors: dict[Role, Actor]) -> None:
    deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    nominate_today(actors, "deputy")
    forged = _decided_as(actors[Role.HEAD_OF_SERVICE], ref)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == forged
    assert "by hos as Head of Service" in result.problem


def test_the_service_director_needs_no_nomination(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED, "Sound",
                          customer_reason=TOLD)
    assert audit.verify().ok


def test_a_person_added_whose_entry_was_blanked_is_named_at_that_entry(
        actors: dict[Role, Actor]) -> None:
    """Blanked as a destruction blanks entries, an `add_user` entry would leave its person
    unknown to the replay: the blanked entry itself is named, not the person's next step."""
    added = AuditEntry.get((AuditEntry.action == "add_user") & AuditEntry.payload.contains(
        '"login": "officer"'))
    AuditEntry.update(reason=ERASED, payload=ERASED, erased=True).where(
        AuditEntry.seq == added.seq).execute()
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == added.seq
    assert "is marked erased, but it is about no case" in result.problem
