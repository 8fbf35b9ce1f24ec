"""The chain has no secret: anyone who can write the database can append a correctly hashed
entry. `audit verify` holds such an entry to what the app itself writes (issue 16, b16c F1 and
F11): an entry with no hashes of its case's records, after this version began keeping them,
and a destruction the service could not have made, both passed before."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, AuditHead, Case, Decision, EvidenceItem, Tombstone
from crm_tui.domain.audit_chain import ERASED, ChainFields, digest, entry_hash
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, leftovers
from crm_tui.services.core.audit_records import tombstone_fields
from crm_tui.services.evidence import documents
from tests import builders, outside


def _cli_verify(db_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    return result.exit_code, result.output


def _append(actor: Actor, at: datetime, action: str, reference: str,
            payload: dict[str, object]) -> int:
    """One entry hashed into the chain as the app would, written straight to the table (as
    the tester's script did): the chain alone holds."""
    head = AuditHead.get()
    seq = int(head.seq) + 1
    text = json.dumps(payload, sort_keys=True)
    reason = "Forged"
    fields = ChainFields(seq, at.isoformat(timespec="seconds"), actor.login, actor.role.value,
                         action, reference, digest(reason), digest(text))
    hashed = entry_hash(head.entry_hash, fields)
    AuditEntry.create(seq=seq, at=fields.at, actor_login=actor.login,
                      actor_role=actor.role.value, action=action, case_reference=reference,
                      reason=reason, payload=text, reason_hash=fields.reason_hash,
                      payload_hash=fields.payload_hash, prev_hash=head.entry_hash,
                      entry_hash=hashed)
    AuditHead.update(seq=seq, entry_hash=hashed).execute()
    return seq


def test_an_entry_without_record_hashes_after_sealed_ones_is_named(
        actors: dict[Role, Actor], db_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    assert audit.verify().ok
    forged = _append(actors[Role.CRM], datetime(2026, 12, 1, 10, 0), "add_note", ref, {})
    with outside.connect(db_path) as con:
        con.execute("UPDATE decision SET reason = 'Tampered reason: customer was abusive' "
                    "WHERE id = ?", (Decision.select(Decision.id).where(
                        Decision.case == Case.get(Case.reference == ref)).scalar(),))
    con.close()
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == forged
    assert f"entry {forged}, the latest about {ref}, holds no hashes" in result.problem
    assert not result.unvouched_cases
    code, out = _cli_verify(db_path)
    assert code == 1 and f"BROKEN at entry {forged}" in out and "written by an older" not in out


def _forge_destruction(actor: Actor, ref: str, at: datetime, ended: date) -> int:
    """As the tester's script did: the case's entries blanked as a destruction blanks them, a
    hashed `destroy` entry with its tombstone, and the case's documents' records deleted."""
    case = Case.get(Case.reference == ref)
    AuditEntry.update(reason=ERASED, payload=ERASED, erased=True).where(
        AuditEntry.case_reference == ref).execute()
    stone = Tombstone.create(case_reference=ref, service_area=case.service_area.name,
                             opened_on=case.opened_on, restrictions_ended_on=ended,
                             destroyed_on=at.date(), destroyed_by=actor.login)
    seq = _append(actor, at, "destroy", ref, {"tombstone": tombstone_fields(stone)})
    EvidenceItem.delete().where(EvidenceItem.case == case).execute()
    return seq


@pytest.mark.parametrize(("state", "at", "ended", "said"), [
    # Three weeks after restrictions were imposed, the tombstone claiming they ended in 2019.
    (CaseState.RESTRICTED, datetime(2026, 12, 6, 9, 0), date(2019, 1, 1), "restricted it on"),
    # Late enough, but the restrictions "ended" before the file's first entry.
    (CaseState.RESTRICTED, datetime(2040, 1, 6, 9, 0), date(2019, 1, 1),
     "before its first entry"),
    # Restrictions ended four years before: two years of retention still to run.
    (CaseState.RESTRICTED, datetime(2040, 1, 6, 9, 0), date(2036, 1, 1),
     "before its 6 years' retention ended"),
    # An appeal lodged and never decided.
    (CaseState.UNDER_APPEAL, datetime(2040, 1, 6, 9, 0), date(2033, 1, 1),
     "was never decided"),
    # Dated years ahead, so that the retention seems over: judged on today, the latest day it
    # could have been written (v16b X1), it destroyed a file restricted this month.
    (CaseState.RESTRICTED, datetime(2040, 1, 6, 9, 0), date(2033, 1, 1),
     "(written by 2026-11-28: the clock was ahead when it was written), but entry"),
], ids=["restricted lately", "ended before it began", "retention not over", "appeal pending",
        "dated ahead"])
def test_a_destruction_the_service_could_not_make_is_named(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path, state: CaseState,
        at: datetime, ended: date, said: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, state)
    note = tmp_path / "file-note.txt"
    note.write_text("A file note of the call on Monday.")
    sha = documents.attach_document(actors[Role.OFFICER], ref, note)
    assert audit.verify().ok
    forged = _forge_destruction(actors[Role.CRM], ref, at, ended)
    if "written by" not in said:  # checked on the day the forgery claims
        monkeypatch.setenv("CRM_TUI_NOW", at.isoformat())
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == forged
    assert f"entry {forged} destroyed {ref}" in result.problem and said in result.problem
    code, out = _cli_verify(db_path)
    assert code == 1 and f"BROKEN at entry {forged}" in out
    # The case's document, its record deleted and the entry that attached it erased, is not
    # swept away as a killed run's leftover.
    own = documents.evidence_store().path_for(sha)
    os.utime(own, (0, 0))  # long before any run at work
    swept = leftovers.sweep()
    assert own.exists() and swept.doubted == [sha] and not swept.orphans
    assert "records a destruction the app could not have made" in swept.said
