"""Backups: a consistent copy of the database taken while the app runs (SQLite's online
backup API), with the evidence store and the letters folder, and a manifest of every file's
SHA-256 and size. Taken by whoever can read the database file (a scheduled job): the file
system's permissions are the guard, as they are for the file itself. Restoring is in
restore.py."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from crm_tui import clock
from crm_tui.db import cipher, copies
from crm_tui.files import sha256_of
from crm_tui.private_files import file_mode, folder_mode, secure_file, write_private_bytes
from crm_tui.services.core import audit, places
from crm_tui.services.core.leftovers import BACKUP_IN_PROGRESS, BACKUP_MARKER, RUNS
from crm_tui.services.retention.backup_check import not_whole
from crm_tui.services.retention.backup_trail import trail_problem
from crm_tui.services.retention.problems import BackupProblem as BackupProblem  # said here too
from crm_tui.services.retention.sealed_letters import seal_folder

MANIFEST = "manifest.json"
DATABASE = "database.sqlite3"
EVIDENCE = "evidence"
LETTERS = "letters"
FORMAT = "crm-tui backup 1"
CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupDone:
    folder: Path
    files: int
    size: int
    audit_head: str
    manifest_sha256: str
    key_fingerprint: str | None = None  # the key that opens it, when it is encrypted
    # What the copied store and letters folder lack of what the copied database records:
    # written all the same (the rest is worth keeping), said, and kept in the manifest.
    not_whole: tuple[str, ...] = ()
    # Why `restore` will refuse the copy for its trail ("its audit trail is BROKEN at entry
    # 907: …", or its last entry dated after the backup), or ''. Written all the same,
    # marked in the manifest, for whoever looks into what was changed; the command fails
    # with a code of its own.
    broken: str = ""
    # Files of the evidence store no record of the copied database points to (an import's,
    # still at work as the database was copied): not copied, and said.
    left_out: tuple[str, ...] = ()


def encryption_of(database: Path) -> dict[str, str] | None:
    """What a backup's manifest says of its encryption: None for a plain database; for an
    encrypted one, the fingerprint of the key that opens it (never the key itself)."""
    if not cipher.is_encrypted(database):
        return None
    from crm_tui.services.core import database_key

    return {"database": "SQLCipher 4", "evidence": "AES-256-GCM, key derived by HKDF-SHA256",
            "letters": "sealed as the evidence is",
            "key_fingerprint": database_key.fingerprint(cipher.key())}


def app_version() -> str:
    try:
        return metadata.version("crm-tui")
    except metadata.PackageNotFoundError:
        return "unknown"


def kept_files(folder: Path) -> Iterator[Path]:
    """The files a folder holds that a backup keeps, by relative path: every ordinary file
    but the partial copies a writer is still making (or a crash left)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        name = path.name
        if path.is_symlink() or not path.is_file():
            continue
        if name.startswith(".incoming-") or name.endswith(".partial"):
            continue
        yield path.relative_to(folder)


def copy_file(source: Path, target: Path) -> tuple[str, int]:
    """Copy one file, private, hashing what was written; fsynced. Returns (sha256, size)."""
    digest = hashlib.sha256()
    size = 0
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode())
    with source.open("rb") as reader, os.fdopen(handle, "wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest(), size


def copy_folder(source: Path, target: Path,
                only: Callable[[Path], bool] | None = None) -> list[dict[str, Any]]:
    """Copy a folder's kept files (those `only` keeps, by relative path) into `target` (made
    private); their manifest entries."""
    target.mkdir(mode=folder_mode())
    target.chmod(folder_mode())
    entries = []
    for relative in kept_files(source):
        if only is not None and not only(relative):
            continue
        into = target / relative
        for parent in reversed(into.relative_to(target).parents[:-1]):
            folder = target / parent
            if not folder.is_dir():
                folder.mkdir(mode=folder_mode())
                folder.chmod(folder_mode())
        try:
            sha, size = copy_file(source / relative, into)
        except FileNotFoundError:
            continue  # removed meanwhile (a destroyed file's document): not in the copy
        entries.append({"path": f"{target.name}/{relative.as_posix()}", "sha256": sha,
                        "size": size})
    return entries


def _refuse_unless_empty(dest: Path) -> None:
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise BackupProblem(f"{dest} is not a folder: give a new or empty folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise BackupProblem(f"{dest} is not empty: a backup goes into a new or empty folder, "
                            "so that it never mixes with another")


def _refuse_inside_own(database: Path, dest: Path, exports: Path | None) -> None:
    """Refuse a `dest` inside another backup (its manifest would no longer match the folder,
    and it would be refused on restore), inside the folder holding the database (a copy on
    the same disk, and in what a later backup of that folder holds), or inside the exports
    folder (whose copies a destruction deletes). Found when tried: each was taken."""
    place = dest.resolve()
    older = places.backup_holding(dest.parent)
    if older is not None:
        raise BackupProblem(f"{dest} is inside a backup ({older}): a new folder in it would "
                            "make that backup fail its check on restore; give a folder outside "
                            "it (another disk, ideally)")
    holding = database.resolve().parent
    if place.is_relative_to(holding):
        raise BackupProblem(f"{dest} is inside {holding}, the folder holding the database: "
                            "give a folder outside it (another disk, ideally)")
    if exports is not None and place.is_relative_to(exports.resolve()):
        raise BackupProblem(f"{dest} is inside {exports}, the exports folder: give a folder "
                            "outside it (another disk, ideally)")


def take_backup(database: Path, evidence: Path, letters: Path, dest: Path,
                busy_timeout: float = 30, keys: Path | None = None,
                exports: Path | None = None) -> BackupDone:
    """Copy the database (a consistent copy, while the app runs), then the evidence store and
    the letters folder, into `dest` (new or empty; made private), and write the manifest
    last: a folder without one is no backup. The database is copied first, so that every
    document it records is already in the store when the store is copied. A backup that
    fails leaves `dest` as empty as it was."""
    # A backup dated ahead (CRM_TUI_NOW) was refused by restore at the real clock, and
    # said nothing when taken (v16g G0).
    ahead = audit.dated_ahead("a backup is never dated ahead of the computer's clock; "
                              "nothing was written")
    if ahead:
        raise BackupProblem(ahead)
    if not database.is_file():
        raise BackupProblem(f"no database at {database}")
    _refuse_unless_empty(dest)
    for folder in (evidence, letters):
        if dest.resolve().is_relative_to(folder.resolve()):
            raise BackupProblem(f"{dest} is inside {folder}, which the backup copies: give a "
                                "folder outside it (another disk, ideally)")
    # The personal signing keys' folder holds nothing but keys: a copy of everyone's personal
    # data beside them would travel wherever the keys are copied (found when tried).
    if keys is not None and dest.resolve().is_relative_to(keys.resolve()):
        raise BackupProblem(f"{dest} is inside {keys}, the folder of the personal signing "
                            "keys: give a folder outside it (another disk, ideally)")
    _refuse_inside_own(database, dest, exports)
    made = not dest.exists()
    key: str | None = f"{BACKUP_IN_PROGRESS}{secrets.token_hex(8)}"
    # Said in the database first: a kill from here on is found by the next start. An account
    # that may only read the database backs up all the same: its marker names the folder.
    try:
        copies.put_setting(database, str(key), json.dumps({"path": str(dest.absolute()),
                                                           "made": made}), busy_timeout)
    except cipher.errors() as exc:
        if "readonly" not in str(exc):
            raise BackupProblem(f"the database cannot be written to ({exc})") from exc
        key = None
    try:
        dest.mkdir(parents=True, exist_ok=True, mode=folder_mode())
        dest.chmod(folder_mode())
        with _marked(dest):
            try:
                done = _take(database, evidence, letters, dest, busy_timeout, key)
            except BaseException:
                for child in dest.iterdir():
                    if child.name == BACKUP_MARKER:
                        continue  # removed last, by _marked
                    if child.is_dir() and not child.is_symlink():
                        shutil.rmtree(child)
                    else:
                        child.unlink()
                raise
        return done
    except BaseException:
        if made and dest.is_dir() and not any(dest.iterdir()):
            dest.rmdir()
        raise
    finally:
        if key is not None:
            copies.put_setting(database, key, None, busy_timeout)


@contextlib.contextmanager
def _marked(dest: Path) -> Iterator[None]:
    """The backup's marker in `dest`, locked while it works (the lock goes with the process,
    however it dies), removed when it ends."""
    marker = dest / BACKUP_MARKER
    handle = os.open(marker, os.O_RDWR | os.O_CREAT | os.O_EXCL, file_mode())
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        marker.unlink(missing_ok=True)
        os.close(handle)


def _take(database: Path, evidence: Path, letters: Path, dest: Path,
          busy_timeout: float, key: str | None) -> BackupDone:
    taken_at = clock.now()
    copy = dest / DATABASE
    copies.copy_online(database, copy, busy_timeout)
    if key is not None:
        copies.put_setting(copy, key, None)  # the backup in progress is not the copy's
    secure_file(copy)
    head, entries = copies.audit_head(copy)
    encryption = encryption_of(copy)
    # Only the documents the copied database records, never the store's run locks (`.runs`):
    # the documents of an import at work as the database was copied (committed after it),
    # or left by a run cut short, are no document of the copy's, and `restore` took them for
    # files put into the backup after it was taken (found when tried: t16 F1).
    known = copies.document_hashes(copy)
    left_out = [f"{EVIDENCE}/{relative.as_posix()}" for relative in kept_files(evidence)
                if not _a_document_of(relative, known) and relative.parts[0] != RUNS]
    files: list[dict[str, Any]] = copy_folder(evidence, dest / EVIDENCE,
                                              lambda relative: _a_document_of(relative, known))
    if encryption is None:
        files += copy_folder(letters, dest / LETTERS)
    else:  # the letters sealed as the store's documents are (sealed_letters: b16f F3)
        from crm_tui.services.core import database_key

        files += seal_folder(letters, dest / LETTERS, database_key.evidence_key(cipher.key()),
                             list(kept_files(letters)))
    # The trail checked as `restore` will check it, against the copied letters folder; the
    # copy is hashed after the check, which may touch its file's header.
    broken = trail_problem(copy, dest / LETTERS, taken_at)
    files.insert(0, {"path": DATABASE, "sha256": sha256_of(copy), "size": copy.stat().st_size})
    short = not_whole(copy, dest, EVIDENCE, LETTERS, files)
    manifest = {
        "format": FORMAT,
        "app_version": app_version(),
        "taken_at": taken_at.isoformat(timespec="seconds"),
        "audit_head": head,
        "audit_entries": entries,
        "encryption": encryption,
        "sources": {"database": str(database), "evidence": str(evidence),
                    "letters": str(letters)},
        "files": files,
        "not_whole_when_taken": short,
        "not_copied_unrecorded": left_out,
        # Read by people, not by `restore` (which checks the trail itself and refuses it).
        "audit_trail_when_taken": broken or "intact",
    }
    text = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
    write_private_bytes(dest / MANIFEST, text)
    return BackupDone(dest, len(files), sum(int(f["size"]) for f in files), head,
                      hashlib.sha256(text).hexdigest(),
                      encryption["key_fingerprint"] if encryption else None, tuple(short),
                      broken, tuple(left_out))


def _a_document_of(relative: Path, known: set[str]) -> bool:
    """Whether a file of the evidence store (by its relative path) is a document the copied
    database records: `ab/abcd…`, named by its SHA-256."""
    return (len(relative.parts) == 2 and relative.name in known
            and relative.parts[0] == relative.name[:2])
