"""`audit verify` holds the records to the entries that made them (issue 16, "tamper evidence
gaps"): an entry marked erased must belong to a destroyed file whose tombstone is in the chain;
a document's hash and a registered letter's hash must be the ones recorded when they were
attached or issued. Each tampering below passed `audit verify` before."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, AuditHead, EvidenceItem, Letter
from crm_tui.domain.audit_chain import ERASED, GENESIS, digest, entry_hash
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.core.audit_records import chain_fields
from crm_tui.services.evidence import documents
from crm_tui.services.letters import issuing
from crm_tui.services.letters.verification import Verdict, verify
from crm_tui.services.retention import archive
from tests import builders, outside
from tests.conftest import PASSPHRASE


def _sql(path: Path, sql: str, *args: object) -> None:
    with outside.connect(path) as con:
        con.execute(sql, args)
    con.close()


def _rechain() -> None:
    """The whole chain's hashes made again, as someone rewriting the database would."""
    prev = GENESIS
    for row in AuditEntry.select().order_by(AuditEntry.seq):
        hashed = entry_hash(prev, chain_fields(row))
        AuditEntry.update(prev_hash=prev, entry_hash=hashed).where(
            AuditEntry.seq == row.seq).execute()
        prev = hashed
    AuditHead.update(entry_hash=prev).execute()


def _cli_verify(db_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    return result.exit_code, result.output


def test_a_live_entry_blanked_by_hand_is_named(actors: dict[Role, Actor],
                                               db_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    seq = AuditEntry.select(AuditEntry.seq).where(AuditEntry.case_reference == ref) \
        .order_by(AuditEntry.seq).limit(1).offset(2).scalar()
    # As retention would blank it: the chain alone still holds.
    _sql(db_path, "UPDATE audit_entry SET reason = ?, payload = ?, erased = TRUE WHERE seq = ?",
         ERASED, ERASED, seq)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == seq
    assert f"its case {ref} was not destroyed" in result.problem
    code, out = _cli_verify(db_path)
    assert code == 1 and f"BROKEN at entry {seq}" in out


def test_an_entry_about_no_case_cannot_be_erased(actors: dict[Role, Actor],
                                                 db_path: Path) -> None:
    seq = AuditEntry.select(AuditEntry.seq).where(AuditEntry.case_reference == "") \
        .order_by(AuditEntry.seq).limit(1).scalar()
    _sql(db_path, "UPDATE audit_entry SET reason = ?, payload = ?, erased = TRUE WHERE seq = ?",
         ERASED, ERASED, seq)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == seq and "about no case" in result.problem


@pytest.fixture
def destroyed(actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> str:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(actors[Role.CRM], ref)
    return ref


def test_a_destroyed_files_erased_entries_verify_and_its_tombstone_is_in_the_chain(
        destroyed: str, db_path: Path) -> None:
    assert audit.verify().ok
    entry = AuditEntry.get((AuditEntry.case_reference == destroyed)
                           & (AuditEntry.action == "destroy"))
    assert f'"case_reference": "{destroyed}"' in entry.payload and not entry.erased
    _sql(db_path, "UPDATE tombstone SET service_area = 'Somewhere else'")
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == entry.seq
    assert f"tombstone of {destroyed} is not the one" in result.problem


def test_a_tombstone_that_goes_is_noticed(destroyed: str, db_path: Path) -> None:
    _sql(db_path, "DELETE FROM tombstone")
    result = audit.verify()
    assert not result.ok and "its tombstone is gone" in result.problem


def test_a_tombstone_added_by_hand_is_noticed(actors: dict[Role, Actor], db_path: Path) -> None:
    _sql(db_path, "INSERT INTO tombstone (case_reference, service_area, opened_on, "
         "destroyed_on, destroyed_by) VALUES ('UPC-2020-0001', 'x', '2020-01-01', "
         "'2026-01-01', 'crm')")
    result = audit.verify()
    assert not result.ok and "no destruction of it" in result.problem


def test_a_document_rewritten_with_its_hash_updated_is_named(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    note = tmp_path / "file-note.txt"
    note.write_text("The customer telephoned nine times on Monday.")
    documents.attach_document(actors[Role.OFFICER], ref, note, "A file note")
    assert audit.verify().ok
    # Someone with the store and the database puts other words in the document's place,
    # under their own hash, and changes the record to match.
    other = tmp_path / "other.txt"
    other.write_text("The customer telephoned once.")
    stored = documents.evidence_store().store(other)
    item = EvidenceItem.get(EvidenceItem.original_name == "file-note.txt")
    _sql(db_path, "UPDATE evidence_item SET sha256 = ? WHERE id = ?", stored.sha256, item.id)
    report = documents.verify_store(actors[Role.CRM])
    assert not report.changed and not report.missing  # the store agrees with itself
    # ...but for the document that was attached, now in the store with no record.
    assert [p.name for p in report.orphans] == [item.sha256]
    result = audit.verify()
    assert not result.ok
    assert f"document {item.id} of {ref} holds SHA-256 {stored.sha256[:16]}" in result.problem
    code, out = _cli_verify(db_path)
    assert code == 1 and f"document {item.id} of {ref}" in out


def test_a_register_row_added_for_a_signed_file_is_not_genuine(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    content = issuing.letter(crm, ref, LetterKind.DECISION)
    issued = issuing.sign_and_export(crm, ref, LetterKind.DECISION, tmp_path / "out",
                                     PASSPHRASE)
    assert verify(issued.path).genuine and audit.verify().ok
    assert "with the records of 0 documents, 1 issued letter and the decisions, restrictions " \
        "and contacts of 1 case it vouches for." in _cli_verify(db_path)[1]
    # A file signed with the CRM's key but never issued (a draft signed and kept; a letter
    # export killed before its register commit): registered by hand.
    signed, _ = issuing.render_and_sign(crm, replace(content, copy_of=content.written_on),
                                        PASSPHRASE)
    assert hashlib.sha256(signed).hexdigest() != issued.sha256
    forged = tmp_path / "never-issued.pdf"
    forged.write_bytes(signed)
    assert verify(forged).verdict is Verdict.NOT_REGISTERED
    row = Letter.get(Letter.id == issued.letter_id)
    _sql(db_path, "INSERT INTO letter (case_id, kind, created_at, created_by_id, signed_by_id, "
         "signed_at, file_name, sha256, status, cert_fingerprint, body, note, source, "
         "content, edits, post_class, tracking, print_pack) SELECT case_id, kind, "
         "created_at, created_by_id, signed_by_id, signed_at, 'never-issued.pdf', ?, status, "
         "cert_fingerprint, body, note, 'decision:999', content, edits, post_class, "
         "tracking, print_pack FROM letter WHERE id = ?",
         hashlib.sha256(signed).hexdigest(), row.id)
    result = verify(forged)
    assert result.verdict is Verdict.UNRECORDED and not result.genuine
    assert "audit trail has no entry issuing" in result.reason
    said = CliRunner().invoke(main, ["letters", "verify", str(forged),
                                     "--db", outside.target(db_path)])
    assert said.exit_code == 1 and "NOT GENUINE" in said.output
    assert verify(issued.path).genuine  # the letter really issued still is
    checked = audit.verify()
    assert not checked.ok and "no entry in the trail issued it" in checked.problem
    # A registered letter whose hash is changed to another file's: the entry names it.
    _sql(db_path, "DELETE FROM letter WHERE file_name = 'never-issued.pdf'")
    assert audit.verify().ok
    _sql(db_path, "UPDATE letter SET sha256 = ? WHERE id = ?", hashlib.sha256(signed).hexdigest(),
         row.id)
    checked = audit.verify()
    assert not checked.ok and f"letter {row.id} of {ref} is not the letter entry" \
        in checked.problem
    assert verify(forged).verdict is Verdict.UNRECORDED


def test_verify_sees_one_moment_not_the_team_writing_meanwhile(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A scheduled check runs while the team works: what another connection writes after the
    check began is not read as a record the trail failed to vouch for (a document attached
    after the walk, before the documents were read, was)."""
    from crm_tui.services.core import audit_records

    ref = builders.at_state(actors, CaseState.NEW)
    note = tmp_path / "note.txt"
    note.write_text("A file note.")
    documents.attach_document(actors[Role.OFFICER], ref, note)
    walked_then = audit_records.Witness._documents

    def meanwhile(self: audit_records.Witness) -> object:
        # Another connection adds a record (with no entry: as if its entry came after).
        _sql(db_path, "INSERT INTO evidence_item (case_id, original_name, media_type, size, "
             "sha256, description, categories, added_by_id, added_at) SELECT case_id, "
             "'later.txt', media_type, size, ?, '', 0, added_by_id, added_at FROM "
             "evidence_item LIMIT 1", "ab" * 32)
        return walked_then(self)

    monkeypatch.setattr(audit_records.Witness, "_documents", meanwhile)
    assert audit.verify().ok
    monkeypatch.setattr(audit_records.Witness, "_documents", walked_then)
    assert not audit.verify().ok  # the next check sees it


def test_a_document_pointed_at_anothers_file_is_named_and_its_own_file_kept(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    """Round 10: a record pointed by SQL at another document's hash (of the same case) passed
    `audit verify`; its own file, listed ORPHAN, was then deleted by the next command that
    writes as a killed run's leftover. A record deleted by hand passed too."""
    from crm_tui.services.core import leftovers

    ref = builders.at_state(actors, CaseState.RESTRICTED)
    shas = []
    for name, words in (("five.txt", "The first file note."), ("six.txt", "The second.")):
        path = tmp_path / name
        path.write_text(words)
        shas.append(documents.attach_document(actors[Role.OFFICER], ref, path))
    five, six = (EvidenceItem.get(EvidenceItem.sha256 == sha) for sha in shas)
    attached_six = AuditEntry.get(AuditEntry.payload.contains(shas[1])).seq
    assert audit.verify().ok
    _sql(db_path, "UPDATE evidence_item SET sha256 = ? WHERE id = ?", five.sha256, six.id)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == attached_six
    assert f"document {six.id} of {ref} holds SHA-256 {shas[0][:16]}…, not the file entry " \
        f"{attached_six} attached" in result.problem
    code, out = _cli_verify(db_path)
    assert code == 1 and f"document {six.id} of {ref}" in out
    own = documents.evidence_store().path_for(shas[1])
    os.utime(own, (0, 0))  # long before any run at work
    swept = leftovers.sweep()
    assert own.exists() and swept.kept == [shas[1]] and not swept.orphans
    assert "1 evidence file no record points to kept" in swept.said
    acting_as("crm")
    said = CliRunner().invoke(main, ["evidence", "verify", "--db", outside.target(db_path)])
    assert f"attached to a case by audit entry {attached_six}" in said.output
    # The record deleted: the entry that attached it is named, and the file still kept.
    _sql(db_path, "DELETE FROM evidence_item WHERE id = ?", six.id)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == attached_six
    assert "no record of the case holds it now" in result.problem
    leftovers.sweep()
    assert own.exists()


def test_a_document_attached_before_entries_named_it_is_held_once(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    """Entries written before they named the document (by id) vouch for one record each."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"note {name}")
        documents.attach_document(actors[Role.OFFICER], ref, tmp_path / name)
    seqs = [row.seq for row in AuditEntry.select().where(AuditEntry.action == "attach_evidence")]
    for seq in seqs:  # as an older version wrote them, the chain rebuilt to match
        row = AuditEntry.get(AuditEntry.seq == seq)
        payload = json.loads(row.payload)
        del payload["document"]
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        AuditEntry.update(payload=text, payload_hash=digest(text)).where(
            AuditEntry.seq == seq).execute()
    _rechain()
    assert audit.verify().ok
    a, b = EvidenceItem.select().order_by(EvidenceItem.id)
    _sql(db_path, "UPDATE evidence_item SET sha256 = ? WHERE id = ?", a.sha256, b.id)
    result = audit.verify()
    assert not result.ok and f"document {b.id} of {ref} holds SHA-256" in result.problem
    assert f"as document {a.id})" in result.problem


@pytest.mark.parametrize("tamper", ["UPDATE letter SET status = 'draft' WHERE id = ?",
                                    "DELETE FROM letter WHERE id = ?"])
def test_an_issued_letter_set_back_to_draft_or_deleted_is_named(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path, tamper: str) -> None:
    """Round 10: `letters verify` said NOT GENUINE while `audit verify` stayed intact."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    issued = issuing.sign_and_export(crm, ref, LetterKind.DECISION, tmp_path / "out",
                                     PASSPHRASE)
    assert audit.verify().ok
    entry = AuditEntry.get(AuditEntry.action == "issue_letter").seq
    _sql(db_path, tamper, issued.letter_id)
    assert not verify(issued.path).genuine
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == entry
    now = "the register now has it as draft" if "draft" in tamper else "its row is gone"
    assert f"entry {entry} issued letter {issued.letter_id} of {ref}, but {now}" \
        in result.problem
    code, out = _cli_verify(db_path)
    assert code == 1 and f"BROKEN at entry {entry}" in out


def test_documents_missing_from_the_store_are_noted_as_a_missing_letter_is(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    """Break 16b F-T6: with the whole evidence store moved away, `audit verify` said "intact
    … with the 2 documents … it vouches for" and no more; a missing letter file gets a note.
    The trail vouches for the records; the files' absence is noted, counted."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    for name in ("file-note-2026-10-06.txt", "call-log-2026-10-09.txt"):
        note = tmp_path / name
        note.write_text(f"What the customer said, kept in {name}\n")
        documents.attach_document(actors[Role.OFFICER], ref, note, "A file note")
    code, out = _cli_verify(db_path)
    assert code == 0 and "with the records of 2 documents" in out
    assert "no file in the evidence store" not in out
    store = documents.evidence_store().root
    store.rename(tmp_path / "moved-away")
    code, out = _cli_verify(db_path)
    assert code == 0, out
    assert "Note: 2 documents the trail vouches for have no file in the evidence store: " \
        "their records are sound, their files are not there. `crm-tui evidence verify` lists " \
        "them." in out


def test_a_document_rewritten_in_the_store_is_not_vouched_for_in_silence(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    """t16 F5: a document's bytes rewritten in the store (its record untouched) passed `audit
    verify` with no word, where a missing one is noted. verify looks for the files, it does
    not read them (a store may be gigabytes): it says so, and which check reads them; and
    an evidence bundle, which lists each document's SHA-256, refuses to vouch for it."""
    from crm_tui.services.evidence.bundle import export_bundle

    ref = builders.at_state(actors, CaseState.RESTRICTED)
    for name in ("file-note-2026-10-06.txt", "call-log-2026-10-09.txt"):
        note = tmp_path / name
        note.write_text(f"The customer said the council was useless, in {name}\n")
        documents.attach_document(actors[Role.OFFICER], ref, note, "A file note")
    code, out = _cli_verify(db_path)
    assert code == 0, out
    assert ("Note: the files of the 2 documents are in the evidence store, but were not read: "
            "whether one was changed in the evidence store is `crm-tui evidence verify`'s "
            "check, which reads each against its SHA-256.") in out
    sha = str(EvidenceItem.get(EvidenceItem.original_name == "file-note-2026-10-06.txt").sha256)
    stored = documents.evidence_store().path_for(sha)
    stored.chmod(0o600)
    stored.write_bytes(stored.read_bytes().replace(b"useless", b"helpful"))
    out_folder = tmp_path / "bundles"
    out_folder.mkdir()
    with pytest.raises(ValidationError, match=r"file-note-2026-10-06\.txt.{1,3} is changed"):
        export_bundle(actors[Role.CRM], ref, out_folder, "Council")
    assert list(out_folder.iterdir()) == []
