"""Backups and restores: a consistent copy while another connection writes; a tampered
backup (a document, an audit row, the manifest) refused with the database untouched; a good
restore that round-trips (audit verify passes, counts equal)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.services.core import audit, leftovers, users
from crm_tui.services.core.database_facts import DEMO_KEY, EVIDENCE_KEY
from crm_tui.services.core.evidence_store import EvidenceStore
from crm_tui.services.retention import backup
from crm_tui.services.retention.backup import BackupProblem, take_backup
from crm_tui.services.retention.restore import becomes_demo, restore
from tests.unit.services.retention.conftest import Live


def _hash_tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%search%'")]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _backup(live: Live, dest: Path) -> Path:
    take_backup(live.database, live.evidence, live.letters, dest)
    return dest


def _configured(live: Live, tmp_path: Path, more: str = "") -> list[str]:
    """The commands' --config naming this live copy's letters and evidence folders (`more`:
    further settings, a line each)."""
    config = tmp_path / "config.toml"
    config.write_text(f'letters_folder = "{live.letters}"\nevidence_folder = '
                      f'"{live.evidence}"\n{more}')
    return ["--config", str(config)]


def _backup_command(live: Live, config: list[str], dest: Path) -> Result:
    """`backup DEST --db` this live copy, as a user types it."""
    return CliRunner().invoke(main, [*config, "backup", str(dest), "--db", str(live.database)])


def _restore(live: Live, source: Path, manifest_sha256: str | None = None) -> Any:
    return restore(source, live.database, live.evidence, live.letters, manifest_sha256)


def test_a_backup_taken_while_another_connection_writes_is_whole(
        live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = open_database(live.database)
    crm = next(u for u in users.list_users() if u.role.value == "crm")
    actor = users.resolve_actor(crm.login)
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        with database.connection_context():
            while not stop.is_set():
                written.append(audit.record(actor, "test_write", reason="while backing up"))

    thread = threading.Thread(target=write)
    checked = backup.trail_problem

    def writer_stopped_first(copy: Path, letters: Path, taken_at: datetime) -> str:
        # The copy's trail check binds this process's models to the copy: the app that writes
        # meanwhile is another process; the writer here, a thread of this one, stops first.
        stop.set()
        thread.join()
        return checked(copy, letters, taken_at)

    monkeypatch.setattr(backup, "trail_problem", writer_stopped_first)
    thread.start()
    try:
        while len(written) < 5:
            pass
        dest = _backup(live, tmp_path / "backup")
    finally:
        stop.set()
        thread.join()
    manifest = json.loads((dest / "manifest.json").read_text())
    seq = int(manifest["audit_head"].split(":")[0])
    assert len(written) > 5 and seq >= written[4]  # taken while the trail grew
    database.close()
    # The copy is sound and its trail whole: it restores (all checks pass) into a new place.
    fresh = Live(tmp_path / "elsewhere" / "crm.sqlite3", tmp_path / "elsewhere" / "evidence",
                 tmp_path / "elsewhere" / "letters")
    done = restore(dest, fresh.database, fresh.evidence, fresh.letters)
    assert done.audit_entries == seq
    assert (dest / "database.sqlite3").stat().st_mode & 0o777 == 0o600
    assert dest.stat().st_mode & 0o777 == 0o700


def _tamper_document(backup: Path) -> None:
    document = next(p for p in sorted((backup / "evidence").rglob("*")) if p.is_file())
    data = document.read_bytes()
    document.write_bytes(bytes([data[0] ^ 1]) + data[1:])  # same size, one bit changed


def _tamper_audit_row(backup: Path) -> None:
    """An audit row's reason rewritten, and the manifest made to agree with the new file."""
    copy = backup / "database.sqlite3"
    with contextlib.closing(sqlite3.connect(copy)) as db, db:
        db.execute("UPDATE audit_entry SET reason = 'nothing to see' WHERE seq = 7")
    manifest = json.loads((backup / "manifest.json").read_text())
    entry = next(f for f in manifest["files"] if f["path"] == "database.sqlite3")
    entry["sha256"] = hashlib.sha256(copy.read_bytes()).hexdigest()
    entry["size"] = copy.stat().st_size
    (backup / "manifest.json").write_text(json.dumps(manifest))


def _tamper_manifest(backup: Path) -> None:
    manifest = json.loads((backup / "manifest.json").read_text())
    letter = next(f for f in manifest["files"] if f["path"].startswith("letters/"))
    letter["sha256"] = "0" * 64
    (backup / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(("tamper", "said"), [
    (_tamper_document, "its SHA-256 is not the manifest's"),
    (_tamper_audit_row, "audit trail BROKEN at entry 7"),
    (_tamper_manifest, "its SHA-256 is not the manifest's"),
], ids=["document", "audit row", "manifest"])
def test_a_tampered_backup_is_refused_and_nothing_changes(
        live: Live, tmp_path: Path, tamper: Callable[[Path], None], said: str) -> None:
    backup = _backup(live, tmp_path / "backup")
    tamper(backup)
    before = (_hash_tree(live.database.parent), sorted(p.name for p in tmp_path.iterdir()))
    with pytest.raises(BackupProblem, match="nothing was restored or changed") as refused:
        _restore(live, backup)
    assert said in str(refused.value)
    assert (_hash_tree(live.database.parent),
            sorted(p.name for p in tmp_path.iterdir())) == before


def test_a_manifest_rewritten_to_agree_is_caught_by_its_kept_hash(live: Live,
                                                                  tmp_path: Path) -> None:
    backup = _backup(live, tmp_path / "backup")
    kept = hashlib.sha256((backup / "manifest.json").read_bytes()).hexdigest()
    document = next(p for p in sorted((backup / "evidence").rglob("*")) if p.is_file())
    letter = next(p for p in sorted((backup / "letters").rglob("*")) if p.is_file())
    letter.write_bytes(b"%PDF- a forged letter")
    manifest = json.loads((backup / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == f"letters/{letter.name}":
            entry["sha256"] = hashlib.sha256(letter.read_bytes()).hexdigest()
            entry["size"] = letter.stat().st_size
    (backup / "manifest.json").write_text(json.dumps(manifest))
    before = _hash_tree(live.database.parent)
    with pytest.raises(BackupProblem, match="not the manifest whose SHA-256 was kept"):
        _restore(live, backup, kept)
    # A document cannot be forged that way either: it is stored under its own hash.
    document.write_bytes(b"forged")
    for entry in manifest["files"]:
        if entry["path"] == document.relative_to(backup).as_posix():
            entry["sha256"] = hashlib.sha256(b"forged").hexdigest()
            entry["size"] = 6
    (backup / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupProblem, match="not the one it is stored under"):
        _restore(live, backup)
    assert _hash_tree(live.database.parent) == before


def test_a_good_restore_round_trips(live: Live, tmp_path: Path) -> None:
    counts = _counts(live.database)
    evidence = _hash_tree(live.evidence)
    letters = _hash_tree(live.letters)
    backup = _backup(live, tmp_path / "backup")
    # After the backup: more entries, a document lost, a letter file gone.
    database = open_database(live.database)
    actor = users.resolve_actor(next(u.login for u in users.list_users()
                                     if u.role.value == "crm"))
    audit.record(actor, "test_write", reason="after the backup")
    database.close()
    next(p for p in sorted(live.evidence.rglob("*")) if p.is_file()).chmod(0o600)
    next(p for p in sorted(live.evidence.rglob("*")) if p.is_file()).unlink()
    next(p for p in sorted(live.letters.rglob("*")) if p.is_file()).unlink()
    done = _restore(live, backup)
    assert _counts(live.database) == counts
    assert _hash_tree(live.evidence) == evidence and _hash_tree(live.letters) == letters
    assert {p.stat().st_mode & 0o777 for p in live.evidence.rglob("*") if p.is_file()} == {0o400}
    assert len(done.kept_aside) == 3 and all(p.exists() for p in done.kept_aside)
    assert not [p for p in live.database.parent.iterdir() if "restoring" in p.name]
    database = open_database(live.database)
    try:
        assert audit.verify().ok and audit.verify().checked == counts["audit_entry"]
    finally:
        database.close()


def test_a_backup_goes_only_into_a_new_or_empty_folder(live: Live, tmp_path: Path) -> None:
    dest = tmp_path / "used"
    dest.mkdir()
    (dest / "something.txt").write_text("kept")
    with pytest.raises(BackupProblem, match="is not empty"):
        _backup(live, dest)
    assert [p.name for p in dest.iterdir()] == ["something.txt"]
    with pytest.raises(BackupProblem, match="which the backup copies"):
        _backup(live, live.letters / "backup")
    assert not (live.letters / "backup").exists()


def test_a_restore_is_refused_while_the_database_is_open(live: Live, tmp_path: Path) -> None:
    backup = _backup(live, tmp_path / "backup")
    before = _hash_tree(live.database.parent)
    with contextlib.closing(sqlite3.connect(live.database)) as app:
        app.execute("PRAGMA journal_mode = WAL")
        app.execute("SELECT count(*) FROM audit_entry").fetchone()
        with pytest.raises(BackupProblem, match="is open"):
            _restore(live, backup)
        assert not [p for p in live.database.parent.iterdir() if "restoring" in p.name]
    after = _hash_tree(live.database.parent)
    assert {k: v for k, v in after.items() if k.startswith(("evidence", "letters"))} == \
        {k: v for k, v in before.items() if k.startswith(("evidence", "letters"))}


def test_the_commands(live: Live, tmp_path: Path, acting_as: Any) -> None:
    base = _configured(live, tmp_path)
    result = _backup_command(live, base, tmp_path / "b")
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    kept = result.output.split("Manifest SHA-256 ")[1].split()[0]
    again = _backup_command(live, base, tmp_path / "b")
    assert again.exit_code == 1 and "is not empty" in again.output
    result = CliRunner().invoke(main, [*base, "restore", str(tmp_path / "b"),
                                       "--manifest-sha256", kept, "--db", str(live.database)])
    assert result.exit_code == 0, result.output
    assert "Restored the backup its manifest dates 28 Nov 2026 10:00" in result.output
    typo = CliRunner().invoke(main, [*base, "restore", str(tmp_path / "b"),
                                     "--manifest-sha256", "deadbeef", "--db", str(live.database)])
    assert typo.exit_code == 2 and '"deadbeef" is not a SHA-256' in typo.output
    manifest = tmp_path / "b" / "manifest.json"
    manifest.write_text(manifest.read_text() + "\n}")
    damaged = CliRunner().invoke(main, [*base, "restore", str(tmp_path / "b"), "--db",
                                        str(live.database)])
    assert damaged.exit_code == 1 and "is damaged at line" in damaged.output
    assert "Extra data" not in damaged.output and "char" not in damaged.output
    missing = CliRunner().invoke(main, [*base, "backup", str(tmp_path / "c"), "--db",
                                        str(tmp_path / "nowhere.sqlite3")])
    assert missing.exit_code == 2 and not (tmp_path / "c").exists()
    mistyped = _backup_command(live, base, tmp_path / "nowhere" / "x" / "y")
    assert mistyped.exit_code == 2 and "give a folder that exists" in mistyped.output
    assert not (tmp_path / "nowhere").exists()
    # b16c F12: a blank DEST was read as the current folder (exit 1, "." is not empty).
    blank = CliRunner().invoke(main, [*base, "backup", "", "--db", str(live.database)])
    assert blank.exit_code == 2 and "is blank: give the folder" in blank.output, blank.output
    # A SRC typed wrong is a usage error, exit 2 (found when tried: exit 1, as for a backup
    # refused); the database is left as it was.
    before = live.database.read_bytes()
    for src, why in ((tmp_path / "no-such-backup", "is not there"),
                     (Path(base[1]), "is not a folder")):  # the config file
        wrong = CliRunner().invoke(main, [*base, "restore", str(src), "--db",
                                          str(live.database)])
        assert wrong.exit_code == 2, wrong.output
        assert f'not restored: "{src}" {why}; nothing was restored or changed' in wrong.output
    assert live.database.read_bytes() == before


def _manifest_for(folder: Path, files: list[dict[str, Any]]) -> None:
    (folder / "manifest.json").write_text(json.dumps({
        "format": "crm-tui backup 1", "audit_head": "0:" + "0" * 64, "files": files}))


def _entry(folder: Path, name: str) -> dict[str, Any]:
    data = (folder / name).read_bytes()
    return {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


@pytest.mark.parametrize("made", ["not json", "a list", "deep", "outside", "nul", "not a db",
                                  "another program's db"])
def test_a_made_up_backup_is_refused_in_words(live: Live, tmp_path: Path, made: str) -> None:
    """Bad input never crashes and never half-writes: whatever the folder holds."""
    backup = tmp_path / "made"
    backup.mkdir()
    (backup / "database.sqlite3").write_text("hello")
    if made == "not json":
        (backup / "manifest.json").write_text("{")
    elif made == "a list":
        (backup / "manifest.json").write_text("[1, 2]")
    elif made == "deep":
        (backup / "manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    elif made == "outside":
        _manifest_for(backup, [_entry(backup, "database.sqlite3"),
                               {"path": "../live/crm.sqlite3", "sha256": "0" * 64, "size": 1}])
    elif made == "nul":
        _manifest_for(backup, [_entry(backup, "database.sqlite3"),
                               {"path": "a\x00b", "sha256": "0" * 64, "size": 1}])
    elif made == "not a db":
        _manifest_for(backup, [_entry(backup, "database.sqlite3")])
    else:
        (backup / "database.sqlite3").unlink()
        with contextlib.closing(sqlite3.connect(backup / "database.sqlite3")) as db, db:
            db.execute("CREATE TABLE t (x)")
        _manifest_for(backup, [_entry(backup, "database.sqlite3")])
    before = (_hash_tree(live.database.parent), sorted(p.name for p in tmp_path.iterdir()))
    with pytest.raises(BackupProblem, match="nothing was restored or changed"):
        _restore(live, backup)
    assert (_hash_tree(live.database.parent),
            sorted(p.name for p in tmp_path.iterdir())) == before


def test_a_restore_cut_short_before_the_database_puts_the_folders_back(
        live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_tui.services.retention import restore_swap

    backup = _backup(live, tmp_path / "backup")
    (live.letters / "written-since.pdf").write_bytes(b"%PDF- since the backup")
    before = {k: v for k, v in _hash_tree(live.database.parent).items()
              if k != "crm.sqlite3"}
    rows = _counts(live.database)

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(restore_swap, "_link", disk_full)  # the database's step
    with pytest.raises(OSError, match="No space left"):
        _restore(live, backup)
    # (Checking that no one has it open left the database's own bytes as SQLite keeps them
    # when no one has it open: its write-ahead log folded in.)
    assert {k: v for k, v in _hash_tree(live.database.parent).items()
            if k != "crm.sqlite3"} == before and _counts(live.database) == rows
    assert not [p for p in live.database.parent.iterdir() if "restor" in p.name]


def test_a_backup_never_chooses_where_its_evidence_goes(live: Live, tmp_path: Path) -> None:
    """Found when tried: a forged backup (no kept manifest hash) whose database named another
    folder as its evidence store had that folder moved aside. The folders restored into are
    this installation's; the restored database is told so."""
    backup = _backup(live, tmp_path / "backup")
    unrelated = tmp_path / "unrelated"
    unrelated.mkdir()
    (unrelated / "payroll.csv").write_text("not the app's")
    copy = backup / "database.sqlite3"
    with contextlib.closing(sqlite3.connect(copy)) as db, db:
        db.execute("UPDATE setting SET value = ? WHERE key = ?", (str(unrelated), EVIDENCE_KEY))
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"] = [_entry(backup, f["path"]) if f["path"] == "database.sqlite3" else f
                         for f in manifest["files"]]
    (backup / "manifest.json").write_text(json.dumps(manifest))
    evidence = _hash_tree(live.evidence)
    done = _restore(live, backup)
    assert done.evidence == live.evidence and _hash_tree(live.evidence) == evidence
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("unrelated")) == \
        ["unrelated"] and (unrelated / "payroll.csv").read_text() == "not the app's"
    with contextlib.closing(sqlite3.connect(live.database)) as db:
        assert db.execute("SELECT value FROM setting WHERE key = ?",
                          (EVIDENCE_KEY,)).fetchone() == (str(live.evidence),)


def test_a_restore_into_a_path_with_no_database_never_touches_folders_in_use(
        live: Live, tmp_path: Path, acting_as: Any) -> None:
    """Found: `restore BK --db /tmp/b/e3/y.sqlite3` (no database there) swapped this
    installation's evidence store and letters folder out from under the open database."""
    base = _configured(live, tmp_path)
    assert _backup_command(live, base, tmp_path / "b").exit_code == 0
    before = _hash_tree(live.database.parent)
    new = tmp_path / "e3" / "y.sqlite3"
    with contextlib.closing(sqlite3.connect(live.database)) as app:  # the app has it open
        app.execute("SELECT count(*) FROM audit_entry").fetchone()
        mistyped = CliRunner().invoke(main, [*base, "restore", str(tmp_path / "b"),
                                             "--db", str(new)])
        assert mistyped.exit_code == 2 and "give --new" in mistyped.output, mistyped.output
        in_use = CliRunner().invoke(main, [*base, "restore", str(tmp_path / "b"), "--new",
                                           "--db", str(new)])
        assert in_use.exit_code == 1, in_use.output
        assert f"{live.evidence} (the evidence store) is not empty" in in_use.output
        assert f"{live.letters} (the letters folder) is not empty" in in_use.output
    assert not new.parent.exists() or not any(new.parent.iterdir())
    assert _hash_tree(live.database.parent) == before
    assert not [p for p in live.database.parent.iterdir() if "before-restore" in p.name]
    here = CliRunner().invoke(main, [*base, "restore", str(tmp_path / "b"), "--new",
                                     "--db", str(live.database)])
    assert here.exit_code == 2 and "--new is for a path with none" in here.output


def test_files_the_backups_database_does_not_know_are_not_restored(live: Live,
                                                                   tmp_path: Path) -> None:
    """Break 16c finding 7c: without --manifest-sha256, a letter slipped into a backup with
    its manifest recomputed was restored into the letters folder, flagged by nothing. Each
    letter and document restored must be one the database knows (register row by name and
    hash, document by hash); the others are left out, and named."""
    letters = _hash_tree(live.letters)
    evidence = _hash_tree(live.evidence)
    backup = _backup(live, tmp_path / "backup")
    forged = backup / "letters" / "UPV-2025-0004-decision-forged.pdf"
    forged.write_bytes(b"%PDF- a forged letter")
    stranger = b"a document no record holds"
    sha = hashlib.sha256(stranger).hexdigest()
    planted = backup / "evidence" / sha[:2] / sha
    planted.parent.mkdir(exist_ok=True)
    planted.write_bytes(stranger)
    manifest = json.loads((backup / "manifest.json").read_text())
    for path in (forged, planted):
        manifest["files"].append({"path": path.relative_to(backup).as_posix(),
                                  "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                  "size": path.stat().st_size})
    (backup / "manifest.json").write_text(json.dumps(manifest))
    done = _restore(live, backup)
    assert done.left_out == ("letters/UPV-2025-0004-decision-forged.pdf",
                             f"evidence/{sha[:2]}/{sha}")
    assert _hash_tree(live.letters) == letters and _hash_tree(live.evidence) == evidence


def test_a_stray_letters_file_is_left_out_without_pointing_at_nothing_above(
        live: Live, tmp_path: Path, acting_as: Any) -> None:
    """v16b X3: a file in the letters folder with no register row was left out of the
    restore "…, or a registered file changed, as said above" with nothing said above."""
    stray = live.letters / "UPV-2025-0004-decision-20251211-090000.pdf"
    stray.write_bytes(b"%PDF- a file the register never issued")
    base = _configured(live, tmp_path)
    taken = _backup_command(live, base, tmp_path / "b")
    assert taken.exit_code == 0, taken.output
    stray.unlink()
    done = CliRunner().invoke(main, [*base, "restore", str(tmp_path / "b"), "--db",
                                     str(live.database)])
    assert done.exit_code == 0, done.output
    said = " ".join(done.output.split())
    assert "Not restored: 1 file in the backup that its database does not know (no register " \
           "row or document with that name and hash: put there after the backup was taken): " \
           f"letters/{stray.name}" in said, said
    assert "as said above" not in said and not stray.exists()


def test_a_backup_into_the_signing_keys_folder_is_refused(live: Live, tmp_path: Path,
                                                          acting_as: Any) -> None:
    """The copy would put everyone's personal data beside the private keys (found when tried:
    it was taken). Through the command, as a user would type it, and through the service."""
    with contextlib.closing(sqlite3.connect(live.database)) as db:
        named = db.execute("SELECT value FROM setting WHERE key = 'signing_folder'").fetchone()
    keys = live.database.parent / Path(named[0]).name
    keys.mkdir(exist_ok=True)
    refused = _backup_command(live, _configured(live, tmp_path), keys / "b")
    assert refused.exit_code == 1, refused.output
    assert "the folder of the personal signing keys" in refused.output
    assert not (keys / "b").exists()
    with pytest.raises(BackupProblem, match="personal signing keys"):
        take_backup(live.database, live.evidence, live.letters, keys / "c", keys=keys)
    assert list(keys.iterdir()) == []


def _damage(live: Live) -> tuple[str, str, str]:
    """One document rewritten in the store, another removed, one letter file changed: the
    names of the three, as the database records them."""
    with contextlib.closing(sqlite3.connect(live.database)) as db:
        (changed, changed_name), (lost, lost_name) = db.execute(
            "SELECT DISTINCT sha256, original_name FROM evidence_item ORDER BY sha256 "
            "LIMIT 2").fetchall()
        (letter,) = db.execute("SELECT file_name FROM letter WHERE file_name != '' "
                               "ORDER BY id LIMIT 1").fetchone()
    document = live.evidence / changed[:2] / changed
    document.chmod(0o600)
    document.write_bytes(document.read_bytes() + b"\nA line added afterwards.\n")
    (live.evidence / lost[:2] / lost).unlink()
    with (live.letters / letter).open("ab") as pdf:
        pdf.write(b"\n% a line appended to the issued letter\n")
    return changed_name, lost_name, letter


def test_a_backup_of_a_store_that_is_not_whole_says_so_and_fails(live: Live, tmp_path: Path,
                                                                 acting_as: Any) -> None:
    """Found when tried: a backup of a store with a changed and a missing document exited 0
    without a word; its restore was then refused as "the manifest was edited", and one with
    only a missing document restored with "audit trail intact". Now the backup is written
    (the rest is worth keeping), names each problem and exits 1; a restore says it too."""
    changed, lost, letter = _damage(live)
    taken = _backup_command(live, _configured(live, tmp_path), tmp_path / "b")
    assert taken.exit_code == 1, taken.output
    said = " ".join(taken.output.split())
    assert "the backup was written, but what it copied is not whole (3 problems" in said
    assert f'document "{changed}" is damaged' in said
    assert f'document "{lost}" (SHA-256' in said and "is missing from the evidence store" in said
    assert f"file {letter} is not the file the register holds" in said
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert len(manifest["not_whole_when_taken"]) == 3
    with pytest.raises(BackupProblem, match="damaged in the store before the backup was taken"):
        _restore(live, tmp_path / "b")


def test_a_backup_missing_a_document_is_restored_saying_so(live: Live, tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(live.database)) as db:
        (lost, name) = db.execute("SELECT sha256, original_name FROM evidence_item "
                                  "ORDER BY sha256 LIMIT 1").fetchone()
    (live.evidence / lost[:2] / lost).unlink()
    done = take_backup(live.database, live.evidence, live.letters, tmp_path / "b")
    assert len(done.not_whole) == 1 and f'"{name}"' in done.not_whole[0]
    restored = _restore(live, tmp_path / "b")
    assert restored.not_whole == done.not_whole


def test_a_backup_inside_a_backup_the_data_folder_or_the_exports_is_refused(
        live: Live, tmp_path: Path, acting_as: Any) -> None:
    """Break 16a F3: a new folder inside an earlier backup was taken, and that backup was then
    refused on restore (its manifest no longer matched the folder); inside the folder holding
    the database, and inside the exports folder, a copy was taken without a word."""
    older = _backup(live, tmp_path / "older")
    exports = tmp_path / "exports"
    exports.mkdir()
    config = _configured(live, tmp_path, f'exports_folder = "{exports}"\n')
    for dest, said in [(older / "sub", f"is inside a backup ({older})"),
                       (live.database.parent / "bk", "the folder holding the database"),
                       (exports / "bk", "the exports folder")]:
        refused = _backup_command(live, config, dest)
        assert refused.exit_code == 1, refused.output
        assert said in refused.output, refused.output
        assert not dest.exists()
    # The older backup is as it was: it still restores.
    assert _restore(live, older).database == live.database


def test_a_letter_file_missing_from_the_folder_is_whole_while_its_stored_copy_holds(
        live: Live, tmp_path: Path) -> None:
    """Found when tried: a letter issued to another folder left none here, and every backup
    then failed as "not whole", though the register's stored copy was intact."""
    with contextlib.closing(sqlite3.connect(live.database)) as db:
        (name,) = db.execute("SELECT file_name FROM letter WHERE file_name != '' "
                             "ORDER BY id LIMIT 1").fetchone()
    (live.letters / name).unlink()
    done = take_backup(live.database, live.evidence, live.letters, tmp_path / "b")
    assert done.not_whole == ()


def test_a_document_removed_from_a_whole_backup_with_its_manifest_line_is_refused(
        live: Live, tmp_path: Path, acting_as: Any) -> None:
    """Found when tried (b16c F10): a document removed from a good backup, with its line in
    the manifest, was restored as "not whole when taken", though the manifest said the backup
    was whole then; the live store that held it was replaced."""
    backup = _backup(live, tmp_path / "b")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["not_whole_when_taken"] == []
    removed = next(f for f in manifest["files"] if f["path"].startswith("evidence/"))
    (backup / removed["path"]).unlink()
    manifest["files"].remove(removed)
    (backup / "manifest.json").write_text(json.dumps(manifest))
    before = _hash_tree(live.database.parent)
    with pytest.raises(BackupProblem, match="the backup lacks what it held when it was taken") \
            as refused:
        _restore(live, backup)
    assert f"SHA-256 {removed['sha256'][:12]}" in str(refused.value)
    assert "it was removed from the backup since" in str(refused.value)
    assert _hash_tree(live.database.parent) == before
    said = CliRunner().invoke(main, [*_configured(live, tmp_path), "restore", str(backup),
                                     "--db", str(live.database)])
    assert said.exit_code == 1 and "not in not_whole_when_taken" in " ".join(said.output.split())
    assert (live.evidence / removed["path"].removeprefix("evidence/")).is_file()


def test_a_demos_backup_restored_new_puts_its_letters_where_the_commands_look(
        live: Live, tmp_path: Path, acting_as: Any) -> None:
    """Found when tried (b16c F6): `restore --new` of a demo's backup put its letters in the
    configured folder, while every command given a demo database looks in `STEM-letters`
    beside it: `audit verify` then said all its issued letters had no file."""
    backup = _backup(live, tmp_path / "b")
    target = tmp_path / "new" / "x.sqlite3"
    target.parent.mkdir()
    assert becomes_demo(backup, target)  # the backup's database is a demo's
    assert becomes_demo(backup, live.database)  # as the live one is
    result = CliRunner().invoke(main, ["restore", str(backup), "--db", str(target), "--new"])
    assert result.exit_code == 0, result.output
    beside = tmp_path / "new" / "x-letters"
    assert f"letters in {beside}" in " ".join(result.output.split())
    assert sorted(p.name for p in beside.iterdir()) == sorted(p.name for p in
                                                             live.letters.iterdir())
    acting_as("crm")
    verified = CliRunner().invoke(main, ["audit", "verify", "--db", str(target)])
    assert verified.exit_code == 0, verified.output
    assert "Audit trail intact" in verified.output
    assert "no file in the letters folder" not in verified.output


def test_a_backup_of_a_database_that_is_no_demo_does_not_become_one(live: Live,
                                                                     tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(live.database)) as db, db:
        db.execute("DELETE FROM setting WHERE key = ?", (DEMO_KEY,))
    backup = _backup(live, tmp_path / "b")
    assert not becomes_demo(backup, tmp_path / "x.sqlite3")


def test_a_demos_backup_restored_new_keeps_its_evidence_beside_it(
        live: Live, tmp_path: Path, acting_as: Any) -> None:
    """b16e F2: its documents went into the data folder's default evidence store (the
    installation's own database's), while its letters went beside it; a second `--new` of
    the same backup elsewhere was then refused, that store being no longer empty."""
    backup = _backup(live, tmp_path / "b")
    default_store = tmp_path / "data" / "evidence"
    acting_as("crm")
    for place in ("new", "again"):
        target = tmp_path / place / "x.sqlite3"
        target.parent.mkdir()
        result = CliRunner().invoke(main, ["restore", str(backup), "--db", str(target),
                                           "--new"])
        assert result.exit_code == 0, result.output
        beside = tmp_path / place / "x-evidence"
        assert f"evidence in {beside}," in " ".join(result.output.split())
        assert _hash_tree(beside) == _hash_tree(live.evidence)
        verified = CliRunner().invoke(main, ["evidence", "verify", "--db", str(target)])
        assert verified.exit_code == 0, verified.output
    assert not default_store.exists() or not any(default_store.iterdir())


def test_an_imports_documents_not_yet_recorded_are_not_copied_nor_called_slipped_in(
        live: Live, tmp_path: Path) -> None:
    """t16 F1: a backup taken while a referral import ran copied the documents it had put in
    the store but not yet recorded (it committed after the database was copied), and the
    store's run lock; `restore` then called them files "put there after the backup was
    taken". Only the documents the copied database records are copied, and the backup says
    which it left."""
    at_work = b"the referral's letter, copied in; its record not yet committed"
    sha = hashlib.sha256(at_work).hexdigest()
    config = _configured(live, tmp_path)
    with leftovers.running(EvidenceStore(live.evidence, 1_000_000)):  # the import, at work
        (live.evidence / sha[:2]).mkdir(exist_ok=True)
        (live.evidence / sha[:2] / sha).write_bytes(at_work)
        taken = _backup_command(live, config, tmp_path / "backup")
    assert taken.exit_code == 0, taken.output
    assert (f"Not copied: 1 file of the evidence store that no record of the copied database "
            f"points to (a document of an import still at work as the database was copied, "
            f"or left by a run cut short): evidence/{sha[:2]}/{sha}") in taken.output
    copied = _hash_tree(tmp_path / "backup")
    assert f"evidence/{sha[:2]}/{sha}" not in copied
    assert not [path for path in copied if ".runs" in path]
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["not_copied_unrecorded"] == [f"evidence/{sha[:2]}/{sha}"]
    assert not [f for f in manifest["files"] if sha in f["path"] or ".runs" in f["path"]]
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(f'letters_folder = "{tmp_path / "restored" / "letters"}"\n'
                         f'evidence_folder = "{tmp_path / "restored" / "evidence"}"\n')
    restored = CliRunner().invoke(main, ["--config", str(elsewhere), "restore",
                                         str(tmp_path / "backup"), "--db",
                                         str(tmp_path / "restored" / "x.sqlite3"), "--new"])
    assert restored.exit_code == 0, restored.output
    assert "Not restored" not in restored.output and "put there after" not in restored.output


def test_a_restore_clears_what_a_restore_killed_before_it_staged(live: Live,
                                                                 tmp_path: Path) -> None:
    """t16 F4: a restore killed as it staged the database left its whole copy (and the copy's
    journal) beside the database; the next restore succeeded and left them there, where only
    a later writing command removed them. The next restore clears them first, and says so."""
    import subprocess
    import sys

    backup = _backup(live, tmp_path / "backup")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # the killed restore's process
    gone.wait()
    stamp = f"20261206-140112-{gone.pid}"
    left = [live.database.with_name(f".{live.database.name}.restoring-{stamp}"),
            live.database.with_name(f".{live.database.name}.restoring-{stamp}-journal"),
            live.letters.with_name(f".{live.letters.name}.restoring-{stamp}")]
    left[0].write_bytes(live.database.read_bytes())  # a whole copy of the personal data
    left[1].write_bytes(b"its rollback journal")
    left[2].mkdir()
    (left[2] / "UPV-2025-0004-decision.pdf").write_bytes(b"%PDF- a staged letter")
    done = _restore(live, backup)
    assert [path.name for path in left if path.exists()] == []
    assert done.settled == "Cleaned up after a restore cut short: 2 copies it had staged, removed."


def test_a_run_lock_in_an_older_backup_is_not_called_slipped_in(live: Live,
                                                                tmp_path: Path) -> None:
    """t16 F1: a backup taken before run locks were left out holds the store's `.runs` lock
    of an import at work; restore named it among files "put there after the backup was
    taken". It is not restored, and not named."""
    backup = _backup(live, tmp_path / "backup")
    lock = backup / "evidence" / ".runs" / "1338-0e545c94dc05"
    lock.parent.mkdir()
    lock.write_bytes(b"")
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"].append({"path": "evidence/.runs/1338-0e545c94dc05",
                              "sha256": hashlib.sha256(b"").hexdigest(), "size": 0})
    (backup / "manifest.json").write_text(json.dumps(manifest))
    done = _restore(live, backup)
    assert done.left_out == ()
    assert not (live.evidence / ".runs" / "1338-0e545c94dc05").exists()
