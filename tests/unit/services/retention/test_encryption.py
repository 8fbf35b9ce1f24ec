"""Issue 16, encryption at rest: a database made with `encrypt_database` on is an SQLCipher
file, and its evidence files are sealed; neither holds a customer's name or a phrase of
their evidence in its bytes; a missing or wrong key is refused in words (exit 2); the demo,
encrypted by the command, keeps a verifying audit trail with an entry saying who did it; an
encryption stopped midway leaves the plain database as it was; backups stay encrypted and
name their key; and destruction still leaves nothing behind."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crm_tui.cli import main
from crm_tui.config import Config
from crm_tui.db import cipher
from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, EvidenceItem, database_proxy
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import audit, database_key, sealed_files, settings, users
from crm_tui.services.core.evidence_store import evidence_store
from crm_tui.services.evidence import documents
from crm_tui.services.retention import archive, encryption
from crm_tui.services.retention.backup import BackupProblem, take_backup
from crm_tui.services.retention.restore import restore
from crm_tui.services.retention.subject_access import export_subject_access
from tests import outside
from tests.conftest import MemoryKeyring
from tests.insecure_keyring import keyring_in_use
from tests.unit.services.retention.conftest import Live
from tests.unit.services.retention.test_destruction_bytes import (
    PHRASE,
    SECRETS,
    _file_of,
    _found,
)

OTHER_KEY = "ab" * 32


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


@pytest.fixture
def keyring_of_this_test() -> Iterator[MemoryKeyring]:
    """A keyring of the test's own, empty: the database key made here is this test's."""
    kept = MemoryKeyring()
    with keyring_in_use(kept):
        yield kept


@pytest.fixture
def db(db_path: Path, keyring_of_this_test: MemoryKeyring) -> Iterator[object]:
    """The suite's database, made with encryption on (every fixture built on it too)."""
    settings.configure(Config(encrypt_database=True))
    database = open_database(db_path)
    users.ensure_service_areas(Config().service_areas)
    yield database
    database.close()


def _holds(path: Path, *secrets: str) -> list[str]:
    data = path.read_bytes()
    return [s for s in secrets if s.encode() in data or s.lower().encode() in data]


def test_an_encrypted_database_and_its_evidence_hold_no_name_or_phrase_in_their_bytes(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    ref = _file_of(actors, tmp_path)
    assert cipher.is_encrypted(db_path)
    item = EvidenceItem.select().order_by(EvidenceItem.id.desc()).get()
    stored = evidence_store().path_for(item.sha256)
    assert sealed_files.is_sealed(stored)
    # Read back through the store: the same document, its hash still the audit trail's.
    text = documents.read(actors[Role.OFFICER], ref, item.id)
    assert PHRASE in text.body
    assert documents.verify_store(actors[Role.CRM]).changed == []
    assert audit.verify().ok
    # A subject access export copies the document out plain, for the person to read.
    done = export_subject_access(actors[Role.CRM], ref, "SAR-1", tmp_path / "sar", "Council")
    copied = list((done.folder / "documents").iterdir())
    assert len(copied) == 1 and PHRASE in copied[0].read_text()
    database_proxy.close()  # every page written to the file, no -wal left
    assert _holds(db_path, *SECRETS) == []
    assert _holds(stored, *SECRETS) == []


def test_a_missing_or_wrong_key_is_refused_in_words_with_exit_2(
        db: object, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database_proxy.close()
    with keyring_in_use(MemoryKeyring()):  # another person's keyring: no key in it
        result = run("cases", "--db", outside.target(db_path))
        assert result.exit_code == 2, result.output
        assert "this database is encrypted; its key is not in your keyring" in result.output
        monkeypatch.setenv(database_key.ENVIRONMENT, OTHER_KEY)
        result = run("audit", "verify", "--db", outside.target(db_path))
        assert result.exit_code == 2, result.output
        assert "is encrypted, and the database key found here does not open it" \
            in result.output
    for said in (result.output, repr(result.exception)):
        assert "Traceback" not in said and "file is not a database" not in said


@pytest.fixture
def plain_demo(live: Live, keyring_of_this_test: MemoryKeyring) -> Iterator[Path]:
    """The live copy of the (plain) demo, with this test's keyring."""
    yield live.database
    database_proxy.close()


def _a_customer_name(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return str(db.execute("SELECT name FROM customer ORDER BY id LIMIT 1").fetchone()[0])


def test_encrypting_the_demo_keeps_its_audit_trail_and_records_who_did_it(
        plain_demo: Path, tmp_path: Path) -> None:
    name = _a_customer_name(plain_demo)
    assert _holds(plain_demo, name)
    result = run("encryption", "encrypt", "--db", str(plain_demo))
    assert result.exit_code == 0, result.output
    assert "is encrypted (key " in result.output
    assert cipher.is_encrypted(plain_demo) and _holds(plain_demo, name) == []
    files = [p for p in (plain_demo.parent / "evidence").glob("??/*")]
    assert files and all(sealed_files.is_sealed(p) for p in files)
    verified = run("audit", "verify", "--db", str(plain_demo))
    assert verified.exit_code == 0, verified.output
    assert run("evidence", "verify", "--db", str(plain_demo)).exit_code == 0
    open_database(plain_demo)
    last = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
    assert last.action == "database encrypted"
    assert last.actor_role == Role.CRM.value
    assert json.loads(last.payload)["key_fingerprint"] == database_key.fingerprint(
        database_key.database_key())
    # A document copied out (to open an image, say) is the plain one, as its hash says.
    item = EvidenceItem.select().order_by(EvidenceItem.id).first()
    reference = item.case.reference
    database_proxy.close()
    copied = run("evidence", "copy", reference, item.sha256[:12], "--out",
                 str(tmp_path / "out"), "--db", str(plain_demo))
    assert copied.exit_code == 0, copied.output
    out = next((tmp_path / "out").iterdir())
    assert hashlib.sha256(out.read_bytes()).hexdigest() == item.sha256
    # Decrypting gives the plain database back, trail still whole, documents plain.
    result = run("encryption", "decrypt", "--db", str(plain_demo))
    assert result.exit_code == 0, result.output
    assert not cipher.is_encrypted(plain_demo)
    assert not any(sealed_files.is_sealed(p) for p in files)
    assert run("audit", "verify", "--db", str(plain_demo)).exit_code == 0


def _content(path: Path) -> str:
    """Every row of the database, as SQL: what it holds, whatever its journal mode."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()


def test_an_encryption_stopped_midway_leaves_the_plain_database_as_it_was(
        plain_demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_database(plain_demo)
    crm = users.resolve_actor(next(u.login for u in users.list_users()
                                   if u.role is Role.CRM))
    database_proxy.close()
    before = _content(plain_demo)

    def killed() -> None:
        raise KeyboardInterrupt  # as a kill between the new copy's writing and its renaming

    monkeypatch.setattr(encryption.audit, "verify", killed)
    open_database(plain_demo)
    with pytest.raises(KeyboardInterrupt):
        encryption.encrypt(crm, plain_demo)
    monkeypatch.undo()
    assert not cipher.is_encrypted(plain_demo) and _content(plain_demo) == before
    assert list(plain_demo.parent.glob(".crm.sqlite3.encryption-*")) == []
    # A copy a real kill left behind is removed by the next run, which then does it all.
    settings.configure(Config(letters_folder=str(plain_demo.parent / "letters"),
                              evidence_folder=str(plain_demo.parent / "evidence")))
    (plain_demo.parent / ".crm.sqlite3.encryption-1").write_bytes(b"\0" * 4096)
    open_database(plain_demo)
    assert audit.verify().ok
    done = encryption.encrypt(crm, plain_demo)
    assert done.database_changed and done.files_changed > 0
    assert list(plain_demo.parent.glob(".crm.sqlite3.encryption-*")) == []
    assert audit.verify().ok


def test_a_backup_of_an_encrypted_database_stays_encrypted_names_its_key_and_restores(
        plain_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("encryption", "encrypt", "--db", str(plain_demo)).exit_code == 0
    evidence, letters = plain_demo.parent / "evidence", plain_demo.parent / "letters"
    done = take_backup(plain_demo, evidence, letters, tmp_path / "backup")
    fingerprint = database_key.fingerprint(database_key.database_key())
    assert done.key_fingerprint == fingerprint
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["encryption"]["key_fingerprint"] == fingerprint
    assert cipher.is_encrypted(tmp_path / "backup" / "database.sqlite3")
    copied = list((tmp_path / "backup" / "evidence").glob("??/*"))
    assert copied and all(sealed_files.is_sealed(p) for p in copied)
    # Restored elsewhere with the same key: every check passes.
    target = tmp_path / "restored" / "crm.sqlite3"
    restored = restore(tmp_path / "backup", target, tmp_path / "restored-evidence",
                       tmp_path / "restored-letters")
    assert restored.audit_entries > 0 and cipher.is_encrypted(target)
    # A demo restored new keeps its evidence beside it (b16e F2); the live one the backup
    # names is left alone.
    assert restored.evidence == target.parent / "crm-evidence" and not list(
        plain_demo.parent.glob("evidence.before-restore-*"))
    # With another key, refused before anything is written, naming the key it needs.
    monkeypatch.setenv(database_key.ENVIRONMENT, OTHER_KEY)
    with pytest.raises(BackupProblem, match=fingerprint):
        restore(tmp_path / "backup", tmp_path / "elsewhere" / "crm.sqlite3",
                tmp_path / "elsewhere-evidence", tmp_path / "elsewhere-letters")
    assert not (tmp_path / "elsewhere" / "crm.sqlite3").exists()
    refused = run("restore", str(tmp_path / "backup"), "--new", "--db",
                  str(tmp_path / "elsewhere" / "crm.sqlite3"))
    assert refused.exit_code == 2 and fingerprint in refused.output, refused.output
    assert not (tmp_path / "elsewhere" / "crm.sqlite3").exists()


def test_a_destroyed_file_leaves_no_trace_with_encryption_on(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref = _file_of(actors, tmp_path)
    # Encrypted, nothing but an exported letter (the user's own file) can show it before.
    letters = {p.name for p in settings.current().letters_path().rglob("*")}
    assert all(found.rsplit(" in ", 1)[1] in letters for found in _found(db_path))
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(actors[Role.CRM], ref)
    assert _found(db_path) == []
    assert audit.verify().ok
    # And not in the database's content either: a plain copy of it holds none of them.
    database_proxy.close()
    plain = tmp_path / "plain-copy.sqlite3"
    cipher.export(db_path, plain, source_key=database_key.database_key(), target_key=None)
    assert _holds(plain, *SECRETS) == []


def test_a_sealed_file_is_read_whole_and_any_change_to_it_is_caught(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed_files, "CHUNK", 16)  # many chunks from a few bytes
    key = database_key.evidence_key(bytes(32))
    content = b"a distinctive phrase, sealed across several chunks of sixteen"
    path = tmp_path / "sealed"
    with path.open("wb") as writer:
        sealer = sealed_files.Sealer(writer, key)
        sealer.write(content)
        sealer.close()
    assert b"distinctive" not in path.read_bytes()
    assert b"".join(sealed_files.plain_chunks(path, key)) == content
    data = path.read_bytes()
    for changed in (data[:-17],  # the last chunk dropped
                    data[:40] + bytes([data[40] ^ 1]) + data[41:]):  # one bit flipped
        path.write_bytes(changed)
        with pytest.raises(sealed_files.SealBroken):
            b"".join(sealed_files.plain_chunks(path, key))
    path.write_bytes(data)
    with pytest.raises(sealed_files.SealBroken):
        b"".join(sealed_files.plain_chunks(path, database_key.evidence_key(b"\1" * 32)))


def test_another_programs_commit_on_an_encrypted_database_is_seen(
        actors: dict[Role, Actor], db_path: Path) -> None:
    from crm_tui.services.core import changes
    from crm_tui.services.core.outside_changes import OutsideChanges
    from tests import builders

    ref = builders.referred(actors)
    watcher = OutsideChanges(db_path)
    watcher.start_watching()
    try:
        assert watcher.poll() == []
        other = cipher.connect(db_path)  # another program's connection, keyed as ours
        with other:
            seq = other.execute("SELECT MAX(seq) + 1 FROM audit_entry").fetchone()[0]
            other.execute(
                "INSERT INTO audit_entry (seq, at, actor_login, actor_role, action, "
                "case_reference, reason, payload, reason_hash, payload_hash, prev_hash, "
                "entry_hash, erased) VALUES (?, '2026-11-28T10:00:00', 'officer', 'officer', "
                "'import_log_sheet', ?, '', '{}', '', '', '', '', 0)", (seq, ref))
        other.close()
        assert changes.Change(ref, "import_log_sheet") in watcher.poll()
    finally:
        watcher.stop()


def test_the_key_is_never_kept_in_a_keyring_that_marks_itself_insecure(
        tmp_path: Path) -> None:
    from tests.insecure_keyring import PlainFileKeyring

    plain_text = tmp_path / "keyring.txt"
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("encrypt_database = true\n")
    secret = tmp_path / "passphrase.txt"
    secret.write_text("boss's passphrase\n")
    secret.chmod(0o600)  # a passphrase file others can read is refused
    with keyring_in_use(PlainFileKeyring(plain_text)):
        result = run("users", "add", "boss", "--name", "Bo Ss", "--staff-id", "E1", "--role",
                     "user_admin", "--passphrase-file", str(secret),
                     "--db", str(tmp_path / "new.sqlite3"))
    assert result.exit_code == 2, result.output
    assert "needs its key kept in a secure keyring" in result.output
    assert "CRM_TUI_DATABASE_KEY" in result.output
    assert not plain_text.exists()
    assert not (tmp_path / "new.sqlite3").exists()  # nothing was made


def test_the_key_goes_from_one_keyring_to_another_and_is_never_overwritten(
        keyring_of_this_test: MemoryKeyring) -> None:
    made = database_key.database_key(create=True)
    exported = run("encryption", "export-key")
    assert exported.exit_code == 0 and exported.stdout.strip() == made.hex()
    with keyring_in_use(MemoryKeyring()):  # a colleague's account
        imported = run("encryption", "import-key", stdin=exported.stdout)
        assert imported.exit_code == 0, imported.output
        assert database_key.database_key() == made
        refused = run("encryption", "import-key", stdin=OTHER_KEY + "\n")
        assert refused.exit_code == 1 and "holds another database key" in refused.output
        assert database_key.database_key() == made


def test_an_edit_of_an_encrypted_database_is_not_sealed_over(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """b16c F0: the records as last committed are read through a second connection, keyed as
    the app's own is: an encrypted database's edit is refused the same way."""
    from datetime import datetime

    from crm_tui.domain.states import CaseState
    from crm_tui.services.core.audit_seals import OutsideChange
    from crm_tui.services.evidence import contacts
    from tests import builders
    from tests.unit.services.core.test_no_sealing_over import _call, _reword

    assert cipher.is_encrypted(db_path)
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    contacts.log_contact(actors[Role.OFFICER], ref, _call(datetime(2026, 11, 27, 10, 15)))
    decision = _reword(ref)
    entries = AuditEntry.select().count()
    with pytest.raises(OutsideChange, match=f"decision {decision} of {ref}"):
        contacts.log_contact(actors[Role.OFFICER], ref, _call(datetime(2026, 11, 27, 11, 0)))
    assert AuditEntry.select().count() == entries
    assert not audit.verify().ok
