"""A register row is held to the audit entries about its letter on every field they record
(b16c F2, F3): edited in the database, `audit verify` fails naming the letter and the field,
and `letters verify` names the letter's kind, copy and signer from the issuing entry and the
signing certificate, never from the edited row or the user table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, users
from crm_tui.services.letters import copies, issuing, posting, signing_keys, verification
from tests import builders, outside
from tests.conftest import PASSPHRASE

PASS = PASSPHRASE


@pytest.fixture
def team(actors: dict[Role, Actor]) -> dict[Role, Actor]:
    for login in ("crm", "hos"):
        signing_keys.create_key(users.resolve_actor(login), login, PASS, council="Test")
    return actors


def _sql(db: Path, sql: str, *args: object) -> None:
    with outside.connect(db) as con:
        con.execute(sql, args)
    con.close()


def _issued(team: dict[Role, Actor], tmp_path: Path) -> tuple[str, issuing.IssuedLetter]:
    ref = builders.at_state(team, CaseState.RESTRICTED)
    letter = issuing.sign_and_export(team[Role.CRM], ref, LetterKind.DECISION,
                                     tmp_path / "letters", PASS)
    posting.record_posting(team[Role.CRM], [letter.letter_id], date(2026, 11, 28), "recorded",
                           {letter.letter_id: "AB123456785GB"})
    return ref, letter


def _entry(action: str) -> int:
    return int(AuditEntry.select(AuditEntry.seq).where(AuditEntry.action == action)
               .order_by(AuditEntry.seq.desc()).scalar())


EDITS = {
    "kind": ("UPDATE letter SET kind = 'lifted' WHERE id = ?", "issue_letter"),
    "signer": ("UPDATE letter SET signed_by_id = (SELECT id FROM \"user\" WHERE login = 'hos') "
               "WHERE id = ?", "issue_letter"),
    "source": ("UPDATE letter SET source = 'decision:999' WHERE id = ?", "issue_letter"),
    "date": ("UPDATE letter SET written_on = '2026-11-20' WHERE id = ?", "issue_letter"),
    "appeal-by date": ("UPDATE letter SET appeal_by = '2027-01-24' WHERE id = ?",
                       "issue_letter"),
    "copy-of mark": ("UPDATE letter SET duplicate_of_id = id WHERE id = ?", "issue_letter"),
    "posting date": ("UPDATE letter SET posted_on = NULL, posted_at = NULL WHERE id = ?",
                     "record_posting"),
    "post class": ("UPDATE letter SET post_class = 'second' WHERE id = ?", "record_posting"),
    "recorded-delivery number": ("UPDATE letter SET tracking = 'XX123' WHERE id = ?",
                                 "record_posting"),
}


@pytest.mark.parametrize("field", list(EDITS))
def test_a_register_row_edited_fails_audit_verify_naming_the_field(
        team: dict[Role, Actor], db_path: Path, tmp_path: Path, field: str) -> None:
    ref, letter = _issued(team, tmp_path)
    assert audit.verify().ok
    sql, action = EDITS[field]
    _sql(db_path, sql, letter.letter_id)
    seq = _entry(action)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == seq
    assert (f"letter {letter.letter_id} of {ref} is not as entry {seq} recorded it (its "
            f"{field} differs)") in result.problem
    out = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    assert out.exit_code == 1 and f"BROKEN at entry {seq}" in out.output


def test_letters_verify_names_the_letter_from_its_entry_and_its_certificate(
        team: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    ref, letter = _issued(team, tmp_path)
    signer = users.resolve_actor("crm").name
    _sql(db_path, "UPDATE letter SET kind = 'lifted', signed_by_id = (SELECT id FROM \"user\" "
         "WHERE login = 'hos') WHERE id = ?", letter.letter_id)
    _sql(db_path, "UPDATE \"user\" SET name = 'Someone Else' WHERE login = 'crm'")
    found = verification.verify(letter.path)
    assert found.genuine
    said = found.said
    assert f"Decision to restrict contact for {ref}, signed by {signer}" in said
    assert "Someone Else" not in said and "lifted" not in said.split(".")[0]
    assert "the register's row for it was changed since" in said and "(its signer differs)" in said


def test_a_copy_is_named_as_the_copy_its_entry_recorded(
        team: dict[Role, Actor], db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    ref, letter = _issued(team, tmp_path)
    dup = copies.resend(team[Role.CRM], letter.letter_id, tmp_path / "dup", PASS,
                        "The customer says it never arrived")
    assert audit.verify().ok
    other = builders.at_state(team, CaseState.RESTRICTED)
    foreign = issuing.sign_and_export(team[Role.CRM], other, LetterKind.DECISION,
                                      tmp_path / "other", PASS)
    _sql(db_path, "UPDATE letter SET duplicate_of_id = ? WHERE id = ?", foreign.letter_id,
         dup.letter_id)
    said = verification.verify(dup.path).said
    assert f"a marked copy of letter {letter.letter_id} re-sent" in said
    assert "(its copy-of mark differs)" in said
    result = audit.verify()
    assert not result.ok and f"letter {dup.letter_id} of {ref}" in result.problem
    assert Letter.get_by_id(dup.letter_id).duplicate_of_id == foreign.letter_id
