"""The audit trail detects every kind of tampering, and survives erasure for retention."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from tests import builders, outside


@pytest.fixture
def trail(actors: dict[Role, Actor], db_path: Path) -> Path:
    builders.at_state(actors, CaseState.RESTRICTED)
    assert audit.verify().ok
    return db_path


def _tamper(path: Path, sql: str) -> None:
    con = outside.connect(path)
    con.execute(sql)
    con.commit()
    con.close()


def test_intact_trail_verifies(trail: Path) -> None:
    result = audit.verify()
    assert result.ok and result.checked > 10


@pytest.mark.parametrize(("sql", "bad_seq"), [
    ("UPDATE audit_entry SET reason = 'softened' WHERE seq = 5", 5),
    ("UPDATE audit_entry SET actor_login = 'someone.else' WHERE seq = 3", 3),
    ("UPDATE audit_entry SET action = 'nothing' WHERE seq = 4", 4),
    ("UPDATE audit_entry SET payload = '{}' WHERE seq = 6", 6),
    ("UPDATE audit_entry SET at = '2020-01-01T00:00:00' WHERE seq = 2", 2),
    ("DELETE FROM audit_entry WHERE seq = 4", 5),
    ("UPDATE audit_entry SET seq = seq + 1000 WHERE seq = 3", 4),
    ("INSERT INTO audit_entry (seq, at, actor_login, actor_role, action, case_reference, "
     "reason, payload, reason_hash, payload_hash, prev_hash, entry_hash, erased) VALUES "
     "(999, '2026-01-01', 'x', 'crm', 'forged', '', '', '', 'a', 'b', 'c', 'd', FALSE)", 999),
    ("UPDATE audit_entry SET erased = TRUE, reason = 'x' WHERE seq = 2", 2),
])
def test_tampering_is_detected(trail: Path, sql: str, bad_seq: int) -> None:
    _tamper(trail, sql)
    result = audit.verify()
    assert not result.ok
    assert result.first_bad_seq == bad_seq


def test_reordering_is_detected(trail: Path) -> None:
    con = outside.connect(trail)
    con.execute("UPDATE audit_entry SET seq = -1 WHERE seq = 3")
    con.execute("UPDATE audit_entry SET seq = 3 WHERE seq = 4")
    con.execute("UPDATE audit_entry SET seq = 4 WHERE seq = -1")
    con.commit()
    con.close()
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == 3


def test_removing_the_last_entries_is_detected(trail: Path) -> None:
    _tamper(trail, "DELETE FROM audit_entry WHERE seq = (SELECT MAX(seq) FROM audit_entry)")
    result = audit.verify()
    assert not result.ok
    assert "removed or added at the end" in result.problem


def test_erasure_for_retention_keeps_the_chain(trail: Path, actors: dict[Role, Actor]) -> None:
    """The chain holds through erasure; but erasure without the file's destruction after it
    is a live entry blanked (test_audit_records.py), and verify says so."""
    crm = actors[Role.CRM]
    reference = audit.recent(crm, 1)[0].case_reference
    assert audit.erase_case(reference) > 0
    result = audit.verify()
    assert not result.ok and "was not destroyed" in result.problem
    assert all(r.reason.startswith("[erased")
               for r in audit.recent(crm, 500, case_reference=reference))


def test_cli_verify_exit_codes(trail: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["audit", "verify", "--db", outside.target(trail)])
    assert ok.exit_code == 0
    assert "entries checked" in ok.output and "issued letter" not in ok.output
    _tamper(trail, "UPDATE audit_entry SET reason = 'edited' WHERE seq = 7")
    bad = runner.invoke(main, ["audit", "verify", "--db", outside.target(trail)])
    assert bad.exit_code == 1
    assert "entry 7" in bad.output


def test_an_anchor_kept_outside_catches_a_rewritten_trail(trail: Path) -> None:
    from crm_tui.domain.audit_chain import GENESIS, ChainFields, digest, entry_hash

    runner = CliRunner()
    anchored = runner.invoke(main, ["audit", "anchor",
                                    "--db", outside.target(trail)]).output.strip()
    seq = int(anchored.split(":")[0])
    assert seq > 10 and audit.check_anchor(anchored) == ""
    good = runner.invoke(main, ["audit", "verify", "--anchor", anchored,
                                "--db", outside.target(trail)])
    assert good.exit_code == 0 and "passes through 1 anchor" in good.output
    # Someone with the database rewrites entry 3's reason and rebuilds the whole chain so that
    # it verifies on its own...
    con = outside.connect(trail)
    rows = con.execute("SELECT seq, at, actor_login, actor_role, action, case_reference, "
                       "reason, payload FROM audit_entry ORDER BY seq").fetchall()
    prev = GENESIS
    for row_seq, at, login, role, action, ref, reason, payload in rows:
        reason = "a different story" if row_seq == 3 else reason
        fields = ChainFields(row_seq, at, login, role, action, ref, digest(reason),
                             digest(payload))
        hashed = entry_hash(prev, fields)
        con.execute("UPDATE audit_entry SET reason = ?, reason_hash = ?, prev_hash = ?, "
                    "entry_hash = ? WHERE seq = ?",
                    (reason, fields.reason_hash, prev, hashed, row_seq))
        prev = hashed
    con.execute("UPDATE audit_head SET entry_hash = ?", (prev,))
    con.commit()
    con.close()
    assert audit.verify().ok  # the chain alone cannot tell
    caught = runner.invoke(main, ["audit", "verify", "--anchor", anchored,
                                  "--db", outside.target(trail)])
    assert caught.exit_code == 1 and "REWRITTEN" in caught.output
    assert "not an anchor" in audit.check_anchor("nonsense")


def test_a_clock_set_back_shows_in_the_verification(trail: Path, actors: dict[Role, Actor],
                                                    db_path: Path, acting_as: object) -> None:
    # Found when tried: a letter issued with the clock set back (CRM_TUI_NOW, or the machine's
    # clock) left an entry dated months before the one above it, and verify said nothing.
    from datetime import datetime

    from crm_tui import clock

    assert audit.verify().backwards == ()
    with clock.travel_to(datetime(2026, 11, 1, 10, 0)):  # before the case made at 28 Nov
        audit.record(actors[Role.CRM], "note", "", "backdated")
    result = audit.verify()
    assert result.ok and result.backwards and "the clock was set back" in result.clock_note
    out = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)]).output
    assert "Audit trail intact" in out and "the clock was set back" in out
