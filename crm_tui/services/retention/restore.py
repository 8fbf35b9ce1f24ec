"""Restoring a backup (backup.py): everything is checked before anything is replaced — every
file against the manifest, the copy's integrity check, its audit trail (the same check as
`audit verify`: the chain and the records it vouches for), its head, count of entries and
date against the manifest's, and that this version can read its rows. Any mismatch refuses
the restore, naming each, and nothing is changed. Then the evidence store, the letters
folder and last the database are put in place by renames under a journal (restore_swap.py:
a restore cut short is finished or undone by the next start); what was there before is kept
beside, renamed, never deleted."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import PeeweeException as PeeweeError
from peewee import fn

from crm_tui import clock
from crm_tui.db import cipher, copies
from crm_tui.db.connection import DatabaseError, migration_runner, open_database
from crm_tui.db.models import AuditEntry, EvidenceItem
from crm_tui.db.models import Letter as LetterRow
from crm_tui.domain.counting import counted
from crm_tui.domain.typed_dates import in_prose, quoted
from crm_tui.files import sha256_of
from crm_tui.private_files import file_mode, folder_mode
from crm_tui.services.core import audit, leftovers, settings
from crm_tui.services.core.database_facts import DEMO_KEY, EVIDENCE_KEY
from crm_tui.services.core.sealed_files import SealBroken, is_sealed, plain_chunks
from crm_tui.services.retention import restore_swap
from crm_tui.services.retention.backup import (
    DATABASE,
    EVIDENCE,
    FORMAT,
    LETTERS,
    MANIFEST,
    BackupProblem,
    copy_file,
    copy_folder,
)
from crm_tui.services.retention.backup_check import not_whole
from crm_tui.services.retention.readable import unreadable_rows
from crm_tui.services.retention.restored_letters import PutBack, put_back, to_put_back
from crm_tui.services.retention.sealed_letters import open_folder

SHOWN = 20  # problems listed at most; the rest are counted
_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class RestoreDone:
    database: Path
    evidence: Path
    letters: Path
    audit_entries: int
    taken_at: str  # the manifest's, checked to be no earlier than the copy's last entry
    kept_aside: tuple[Path, ...]  # what was there before, renamed
    settled: str | None = None  # a restore cut short before this one, finished or undone
    # Files of the backup's letters and evidence folders its database does not know (no
    # register row or document with that name and hash): not restored.
    left_out: tuple[str, ...] = ()
    # When the copy's last audit entry was written (what taken_at was checked against), and
    # what its trail could not vouch for (records written before entries held their hashes).
    last_entry_at: str = ""
    notes: tuple[str, ...] = ()
    # What the backup lacked of what its database records (a document missing from its
    # store, a letter file changed): restored as it was, and said (found when tried: a
    # backup missing a document restored with "audit trail intact" and no other word).
    not_whole: tuple[str, ...] = ()
    # Letters-folder files of the backup that were not the file issued, put back from the
    # register's intact signed copy (restored_letters), as said.
    put_back: tuple[str, ...] = ()
    # Entries of the trail replaced that the backup's lacks (written after it was taken):
    # not in the restored trail, and said only then (v16g G6).
    lacking: int = 0


@dataclass(frozen=True)
class Known:
    """What the backup's database holds of the files beside it: each letter file's name and
    its register hash, and each document's hash."""

    letters: dict[str, set[str]]
    documents: set[str]


def _known() -> Known:
    letters: dict[str, set[str]] = {}
    for name, sha in (LetterRow.select(LetterRow.file_name, LetterRow.sha256)
                      .where(LetterRow.file_name != "").tuples().iterator()):
        letters.setdefault(str(name), set()).add(str(sha))
    documents = {str(sha) for (sha,) in
                 EvidenceItem.select(EvidenceItem.sha256).distinct().tuples().iterator()}
    return Known(letters, documents)


def _strangers(staged_letters: Path, staged_evidence: Path, known: Known) -> list[str]:
    """Remove from the staged folders every file the restored database does not know: a
    letter whose name and hash no register row holds (its accessible copies, `.txt` and
    `.html` beside a registered letter, are its own), a document no record holds. Returns
    them, as the backup names them."""
    left: list[str] = []
    stems = {Path(name).stem for name in known.letters}
    for path in sorted(staged_letters.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        name = path.relative_to(staged_letters).as_posix()
        if path.suffix in (".txt", ".html") and path.parent == staged_letters \
                and path.stem in stems:
            continue
        if path.parent == staged_letters and sha256_of(path) in known.letters.get(name, ()):
            continue
        left.append(f"{LETTERS}/{name}")
        path.unlink()
    for path in sorted(staged_evidence.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        if path.name in known.documents and path.parent.parent == staged_evidence \
                and path.parent.name == path.name[:2]:
            continue
        # A run's lock, which a backup taken before they were left out holds: not restored,
        # but no file slipped in either (found when tried: t16 F1).
        if path.relative_to(staged_evidence).parts[0] != leftovers.RUNS:
            left.append(f"{EVIDENCE}/{path.relative_to(staged_evidence).as_posix()}")
        path.chmod(file_mode())
        path.unlink()
    return left


def _manifest(source: Path, expected: str | None) -> dict[str, Any]:
    path = source / MANIFEST
    if not source.is_dir():
        raise BackupProblem(f"{source} is not a folder; nothing was restored or changed")
    try:
        text = path.read_bytes()
        if expected is not None and hashlib.sha256(text).hexdigest() != expected.strip().lower():
            raise BackupProblem(f"{path} is not the manifest whose SHA-256 was kept: it was "
                                "edited or replaced; nothing was restored or changed")
        manifest = json.loads(text.decode("utf-8"))
    except FileNotFoundError:
        raise BackupProblem(f"{source} holds no {MANIFEST}: it is not a complete crm-tui "
                            "backup; nothing was restored or changed") from None
    except json.JSONDecodeError as exc:
        # Said as a place in the file, not as the parser's words ("Extra data: line 174
        # column 2 (char 6621)"): found when tried.
        raise BackupProblem(f"{path} is damaged at line {exc.lineno}: it is not a manifest "
                            "as crm-tui wrote it (edited?); nothing was restored or changed"
                            ) from None
    except OSError as exc:
        raise BackupProblem(f"{path} cannot be read ({exc.strerror or exc}); nothing was "
                            "restored or changed") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BackupProblem(f"{path} is not a manifest as crm-tui wrote it (edited?); nothing "
                            "was restored or changed") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if (not isinstance(files, list) or manifest.get("format") != FORMAT
            or not isinstance(manifest.get("audit_head"), str)
            or not all(isinstance(f, dict) and isinstance(f.get("path"), str)
                       and isinstance(f.get("sha256"), str)
                       and isinstance(f.get("size"), int) for f in files)):
        raise BackupProblem(f"{path} is not a crm-tui backup manifest (or it was edited); "
                            "nothing was restored or changed")
    return dict(manifest)


def _entry_problems(source: Path, root: Path, entry: dict[str, Any]) -> list[str]:
    name = entry["path"]
    path = source / name
    if Path(name).is_absolute() or ".." in Path(name).parts \
            or not path.resolve().is_relative_to(root):
        return [f"{name}: a path outside the backup (the manifest was edited)"]
    if path.is_symlink() or not path.is_file():
        return [f"{name}: missing"]
    if path.stat().st_size != entry["size"]:
        return [f"{name}: {path.stat().st_size} bytes, the manifest says {entry['size']}"]
    if sha256_of(path) != entry["sha256"]:
        return [f"{name}: its SHA-256 is not the manifest's (the file changed)"]
    return []


def file_problems(source: Path, manifest: dict[str, Any]) -> list[str]:
    """Every way the files differ from the manifest: missing, another size or hash, a path
    outside the backup, a file the manifest does not list, a document not named by its own
    hash."""
    problems = []
    listed: set[str] = set()
    root = source.resolve()
    for entry in manifest["files"]:
        name = entry["path"]
        if name in listed:
            problems.append(f"{name}: listed twice in the manifest")
            continue
        listed.add(name)
        try:
            problems += _entry_problems(source, root, entry)
        except (OSError, ValueError) as exc:
            problems.append(f'"{name}": cannot be read ({exc})')
            continue
        if name.startswith(f"{EVIDENCE}/") and _SHA.fullmatch(Path(name).name) \
                and entry["sha256"] != Path(name).name and not is_sealed(source / name):
            problems.append(f"{name}: a document whose SHA-256 in the manifest is not the one "
                            "it is stored under (damaged in the store before the backup was "
                            "taken, which the backup then said, or edited since)")
    if DATABASE not in listed:
        problems.append(f"{DATABASE}: not in the manifest")
    for path in sorted(source.rglob("*")):
        name = path.relative_to(source).as_posix()
        if (path.is_file() or path.is_symlink()) and name != MANIFEST and name not in listed:
            problems.append(f"{name}: in the backup but not in the manifest")
    return problems


def _refuse(problems: list[str], what: str) -> None:
    if not problems:
        return
    more = f"\n  … and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    raise BackupProblem(f"{what}; nothing was restored or changed:\n  "
                        + "\n  ".join(problems[:SHOWN]) + more)


class BackupKeyProblem(BackupProblem):
    """The backup is encrypted, and its key is not the one to be had here."""


class PlainOverEncrypted(BackupProblem):
    """A backup taken while the database was plain, restored in place of an encrypted one
    (or where `encrypt_database` is on): refused, exit 2, as a key problem is."""


def _refuse_plain_over_encrypted(source: Path, database: Path) -> None:
    """Refuse to put a plain backup in place of an encrypted database, or of any database
    where `encrypt_database` is on: it would turn encryption at rest off without a word, the
    names readable in the file again (found when tried, b16f F9). A new database (`--new`)
    is made from it all the same, and said to be plain (restore's notes)."""
    if cipher.is_encrypted(source / DATABASE):
        return
    here = (f"the database at {database} is encrypted" if cipher.is_encrypted(database)
            else "encrypt_database is on here")
    raise PlainOverEncrypted(
        f"this backup is not encrypted (it was taken while the database was plain), and {here}"
        ": restoring it in place would turn encryption at rest off, the names readable in the "
        "file again. Restore it with --new into a new database elsewhere (its own evidence "
        "and letters folders empty), run `crm-tui encryption encrypt --db` on that database, "
        "and use it, or restore a backup taken since encryption; nothing was restored or "
        "changed")


def plain_where_encrypted(source: Path) -> str:
    """What `restore --new` says of a plain backup where `encrypt_database` is on ('' when
    the backup is encrypted, or encryption is off)."""
    if not cipher.encrypt_new() or cipher.is_encrypted(source / DATABASE):
        return ""
    return ("This backup is not encrypted, and encrypt_database is on: the restored database "
            "and its evidence are NOT encrypted. Run `crm-tui encryption encrypt --db` on it "
            "now.")


class NoDatabaseThere(BackupProblem):
    """A restore into a path with no database that was not asked for one (`--new`): a
    mistyped path, typed wrong (exit 2); or `--new` where a database is."""


def _folder_problems(evidence: Path, letters: Path) -> list[str]:
    """A restore into a path where there is no database puts its documents and letters only
    in folders that are absent or empty: one holding files may be another database's (the
    installation's own evidence store, in use), which the restore would swap out from under
    it."""
    problems = []
    for folder, what, key in ((evidence, "evidence store", "evidence_folder"),
                              (letters, "letters folder", "letters_folder")):
        if folder.exists() and not (folder.is_dir() and not any(folder.iterdir())):
            problems.append(f"{folder} (the {what}) is not empty: another database may use "
                            f"it. Move it aside, or set {key} in the configuration to an "
                            "absent or empty folder")
    return problems


def _check_key(staged: Path, manifest: dict[str, Any]) -> bytes | None:
    """An encrypted backup is opened only with the key its manifest names; a plain one is
    not taken for encrypted (or the other way round: the manifest was edited)."""
    said = manifest.get("encryption")
    if not cipher.is_encrypted(staged):
        if said:
            raise BackupProblem("the manifest says the database is encrypted and it is not "
                                "(the manifest or the file was changed); nothing was "
                                "restored or changed")
        return None
    wanted = said.get("key_fingerprint") if isinstance(said, dict) else None
    if not isinstance(wanted, str):
        raise BackupProblem("the backup's database is encrypted and its manifest does not "
                            "name its key (it was edited); nothing was restored or changed")
    from crm_tui.services.core import database_key

    try:
        raw = cipher.key()
    except DatabaseError as exc:
        raise BackupKeyProblem(f"this backup is encrypted with the database key {wanted}, and "
                            f"that key cannot be had here: {exc}") from None
    here = database_key.fingerprint(raw)
    if here != wanted:
        raise BackupKeyProblem(f"this backup is encrypted with the database key {wanted}; the "
                            f"key here is {here}. Put the backup's key in your keyring "
                            "(crm-tui encryption import-key) or set CRM_TUI_DATABASE_KEY to "
                            "it; nothing was restored or changed")
    return raw


def sealed_problems(folder: Path, raw: bytes | None) -> list[str]:
    """Every encrypted document in a backup's evidence folder whose plain content is not the
    one its name says (or that does not open with the database's key)."""
    from crm_tui.services.core import database_key

    key = database_key.evidence_key(raw) if raw is not None else None
    problems = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if not (path.is_file() and is_sealed(path)):
            continue
        digest = hashlib.sha256()
        try:
            for chunk in plain_chunks(path, key):
                digest.update(chunk)
        except SealBroken as exc:
            problems.append(f"{EVIDENCE}/{path.relative_to(folder).as_posix()}: {exc}")
            continue
        if digest.hexdigest() != path.name:
            problems.append(f"{EVIDENCE}/{path.relative_to(folder).as_posix()}: its content "
                            "is not the one its name says")
    return problems


@dataclass(frozen=True)
class Checked:
    """What the check of the staged copy found, for the restore's report."""

    entries: int = 0
    known: Known = Known({}, set())
    last_entry_at: str = ""
    notes: tuple[str, ...] = ()
    put_back: tuple[PutBack, ...] = ()


def _naive(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=None)


def _manifest_facts(manifest: dict[str, Any], result: audit.VerifyResult,
                    last_at: str, latest_at: str) -> tuple[list[str], list[str]]:
    """The manifest's count of entries and its date, held to the copy: never repeated
    unchecked. Returns (problems, notes).

    The date is held to the copy's last entry *written* (`last_at`: the highest number), not
    to its latest date: a backup is taken after its last entry was written, whatever that
    entry's clock said, so a date before it was edited. An entry dated later still
    (`latest_at`) was written with the clock set ahead and then set back, as `audit verify`
    notes: said, not refused (found when tried: after one entry written with the clock
    ahead, every later backup was refused as "its date was changed"). A date not come yet
    is refused too (found when tried: 31 Dec 2026 was repeated as the backup's date on 5
    Dec)."""
    problems: list[str] = []
    notes: list[str] = []
    entries = manifest.get("audit_entries")
    if entries is not None and entries != result.checked:
        problems.append(f"the manifest says the copy holds {entries} audit entries; it holds "
                        f"{result.checked}")
    taken = str(manifest.get("taken_at", ""))
    try:
        when = _naive(taken)
    except ValueError:
        problems.append(f"the manifest's date ({quoted(taken)}) is not a date and time")
        return problems, notes
    now = clock.now().replace(tzinfo=None)
    if when > now:
        # Not necessarily tampering: a backup taken while the server's clock was ahead
        # carries that clock's date (found when tried: "its date was changed" was said).
        problems.append(f"the manifest dates the backup {taken}, after now "
                        f"({now.isoformat(timespec='seconds')}): the date was edited, or the "
                        "clock was ahead when it was taken")
    elif last_at and _naive(last_at) > when:
        problems.append(f"the manifest dates the backup {taken}, before the copy's last audit "
                        f"entry ({last_at}): its date was changed")
    elif latest_at and _naive(latest_at) > when:
        notes.append(f"Note: the copy's audit trail holds entries dated after the backup "
                     f"(the latest {latest_at}), written before its last entry "
                     f"({last_at}): the server's clock was set ahead when they were written, "
                     "then set back (`audit verify` notes it too). The backup's date is "
                     "held to its last entry written.")
    return problems, notes


def _check_copy(staged: Path, manifest: dict[str, Any], source: Path) -> Checked:
    """The staged database: the manifest's bytes, sound, its trail whole and ending where the
    manifest says; the backup's encrypted documents, each the one its name says. Returns the
    number of audit entries checked, and the files the database knows."""
    raw = _check_key(staged, manifest)
    _refuse(sealed_problems(source / EVIDENCE, raw), "the backup's documents do not hold")
    problems = []
    database_entry = next(f for f in manifest["files"] if f["path"] == DATABASE)
    if sha256_of(staged) != database_entry["sha256"]:
        problems.append(f"{DATABASE}: changed while it was being copied")
    problems += [f"integrity check: {p}" for p in copies.integrity_problems(staged)]
    _refuse(problems, "the backup's database is damaged")
    try:
        head, _ = copies.audit_head(staged)
    except cipher.failures() as exc:
        raise BackupProblem(f"the backup's database is not a crm-tui database ({exc}); "
                            "nothing was restored or changed") from None
    # What the manifest says that the copy does not bear out: refused under its own heading
    # when the database itself holds (found when tried: a manifest dated in the future was
    # refused as "the backup's database does not hold").
    disagreeing: list[str] = []
    if head != manifest["audit_head"]:
        disagreeing.append(f"its audit trail ends at {head.partition(':')[0]}:…, the manifest "
                        f"says {manifest['audit_head'].partition(':')[0]}:…")
    try:
        database = open_database(staged, migrate=False)
    except DatabaseError as exc:
        raise BackupProblem(f"the backup's database cannot be opened: {exc}; nothing was "
                            "restored or changed") from None
    checked = Checked()
    try:
        known = {m.name for m in migration_runner(database).migrations()}
        newer = sorted(set(migration_runner(database).applied()) - known)
        if newer:
            problems.append(f"it was written by a newer version of crm-tui (schema "
                            f"{newer[-1]}): upgrade crm-tui to restore it")
        else:
            try:
                # The same checks as `audit verify`: the chain, and the documents, letters
                # (the backup's own letters folder), decisions, restrictions, cases and
                # contacts it vouches for.
                result = audit.verify(letters=source / LETTERS, replace_copies=True)
                # The last entry written (the highest number), and the latest date any
                # entry holds (later, if the clock was once set back): _manifest_facts.
                last_at = str(AuditEntry.select(AuditEntry.at)
                              .order_by(AuditEntry.seq.desc()).limit(1).scalar() or "")
                latest_at = str(AuditEntry.select(fn.MAX(AuditEntry.at)).scalar() or "")
            except PeeweeError as exc:
                raise BackupProblem(f"the backup's audit trail cannot be read ({exc}); "
                                    "nothing was restored or changed") from None
            if not result.ok:
                problems.append(f"audit trail {result.broken}")
            problems += unreadable_rows()
            wrong, clock_notes = _manifest_facts(manifest, result, last_at, latest_at)
            disagreeing += wrong
            checked = Checked(result.checked, _known(), last_at,
                              tuple(n for n in (result.unvouched_note, result.letters_note,
                                                *clock_notes) if n),
                              to_put_back(result.replaceable))
    finally:
        database.close()
    if copies.in_use(staged):  # folds any log back into the file, which is all that moves
        problems.append("the staged copy is still open")
    if problems:
        _refuse(problems + disagreeing, "the backup's database does not hold")
    _refuse(disagreeing, "the backup's manifest does not agree with its database")
    return checked


def _what(problem: str) -> str:
    """What a not-whole line is about (a document by its hash, a letter by its number), so
    that a line worded by another version still matches."""
    found = re.search(r"SHA-256 [0-9a-f]{12}|letter \d+'s file", problem)
    return found.group(0) if found else problem


def _lacking_since(short: list[str], manifest: dict[str, Any]) -> list[str]:
    """What the copy lacks that the manifest does not list as lacking when the backup was
    taken: a file removed from the backup afterwards, with its manifest line (found when
    tried: a document so removed was restored as "not whole", the live store that held it
    replaced). A manifest without the list (an older format) is taken as it was."""
    when_taken = manifest.get("not_whole_when_taken")
    if not isinstance(when_taken, list):
        return []
    listed = {_what(str(line)) for line in when_taken}
    return [f"{problem}, but the manifest says the backup held it when it was taken (it is "
            "not in not_whole_when_taken): it was removed from the backup since"
            for problem in short if _what(problem) not in listed]


def _stage_database(source: Path, target: Path, stamp: str) -> Path:
    staged = target.with_name(f".{target.name}.restoring-{stamp}")
    copy_file(source / DATABASE, staged)
    return staged


def _stage_folder(source: Path, target: Path, stamp: str) -> Path:
    staged = target.with_name(f".{target.name}.restoring-{stamp}")
    staged.parent.mkdir(parents=True, exist_ok=True, mode=folder_mode())
    if source.is_dir():
        copy_folder(source, staged)
    else:
        staged.mkdir(mode=folder_mode())
    return staged


def _stage_letters(source: Path, database: Path, target: Path, stamp: str,
                   put_back: set[str]) -> Path:
    """The backup's letters folder staged beside `target`, its sealed files opened with the
    key of the (checked) staged `database` (sealed_letters). A file whose seal does not open
    is refused, unless it is a letter the register puts back."""
    staged = target.with_name(f".{target.name}.restoring-{stamp}")
    staged.parent.mkdir(parents=True, exist_ok=True, mode=folder_mode())
    key = None
    if cipher.is_encrypted(database):
        from crm_tui.services.core import database_key

        key = database_key.evidence_key(cipher.key())
    try:
        broken = open_folder(source / LETTERS, staged, key)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    broken = [name for name in broken if name not in put_back]
    if broken:
        shutil.rmtree(staged, ignore_errors=True)
    _refuse([f"{LETTERS}/{name}: its encrypted copy does not open: it was changed or cut "
             "short, or sealed with another key" for name in broken],
            "the backup's letters do not hold")
    return staged


def becomes_demo(source: Path, database: Path) -> bool:
    """Whether the database at `database` is, or after restoring the backup in `source`
    into a path with none will be, a demo: its letters then go in the `STEM-letters` folder
    beside it, where every command given a demo database looks (found when tried: `restore
    --new` of a demo's backup put them in the configured folder, and `audit verify` then said
    they were missing). Only which folder beside the new database is asked, never a path the
    backup names; the copy is checked in full before anything is put in place."""
    if database.exists():
        return copies.own_setting(database, DEMO_KEY) is not None
    return copies.own_setting(source / DATABASE, DEMO_KEY) is not None


def _destroyed_since(database: Path, staged: Path, bring_back: bool) -> str:
    """Refuse (BackupProblem) to bring back files destroyed since the backup was taken, as
    the trail of the database being replaced records them, unless `bring_back` says to;
    then what is said of them ("" if none). Found when tried (b16e F9): a restore brought a
    destroyed case's personal data back without a word. Refused by default: the council
    destroyed that data and recorded it; only someone who knows why (the database lost, the
    backup all there is) brings it back, and the next retention run destroys it again."""
    found = copies.destroyed_since(database, staged)
    if not found:
        return ""
    named = ", ".join(f"{reference} (destroyed on {in_prose(date.fromisoformat(day))})"
                      for reference, day in found)
    files = f"{len(found)} file{'s' if len(found) != 1 else ''}"
    if not bring_back:
        raise BackupProblem(
            f"this backup holds {files} destroyed since it was taken, as the trail of the "
            f"database it would replace records: {named}. Restoring it would bring their "
            "personal data back; nothing was restored or changed. If this backup must be "
            "restored all the same, give --bring-back-destroyed: the next retention run "
            "destroys them again")
    return (f"Brought back {files} destroyed since the backup was taken (as the trail "
            f"replaced records): {named}. Their retention has ended: the next `crm-tui "
            "retention run` destroys them again; run it now.")


def _new_evidence(source: Path, database: Path) -> str | None:
    """The evidence folder of a new database's own, by name beside it (the demo's), or None:
    the configured store. A demo restored with --new keeps its evidence in `STEM-evidence`
    beside it, as its letters are in `STEM-letters` (found when tried, b16e F2: its documents
    went into the data folder's default store, which the installation's own database uses,
    and a second --new of the same backup elsewhere was then refused)."""
    if settings.current().evidence_folder:  # one configured is used, as letters_folder is
        return None
    return f"{database.stem}-evidence" if becomes_demo(source, database) else None


def restore(source: Path, database: Path, evidence: Path, letters: Path,
            manifest_sha256: str | None = None, *, new: bool | None = None,
            bring_back_destroyed: bool = False) -> RestoreDone:
    """Check the backup in `source`, then put it in place of `database`, the evidence store
    (the folder the database there now names as its own, else `evidence`, the configured
    one: never one the backup names) and `letters`. Refuses,
    changing nothing, on any mismatch, or while the database is open elsewhere. Given the
    manifest's SHA-256 kept since the backup, the manifest must still be that one. Where there
    is no database, `new` must say one is wanted (None: not asked), and the evidence store and
    the letters folder must be absent or empty: never folders another database uses."""
    # Dated ahead (CRM_TUI_NOW), the copies kept of what was there were named for that day
    # and held past their 30 days, a destroyed file's data with them (v16g G0).
    ahead = audit.dated_ahead("a restore is never dated ahead of the computer's clock; "
                              "nothing was restored")
    if ahead:
        raise BackupProblem(ahead)
    settled = restore_swap.settle(database)  # a restore cut short before this one
    swept = leftovers.remove_restore_stages([database, evidence, letters])
    there = database.exists()
    if new is not None and new == there:
        raise NoDatabaseThere(
            f"there is a database at {database}: --new is for a path with none; nothing was "
            "restored or changed" if there else
            f"no database at {database} (a mistyped path?): give --new to restore into a new "
            "database there; nothing was restored or changed")
    # A new database's own folder is known now; an existing one's is read from it only
    # once the backup checks out (reading it opens the live database).
    own = None if there else _new_evidence(source, database)
    if not there:
        _refuse(_folder_problems((copies.beside(database, own) if own else None) or evidence,
                                 letters),
                "a new database's evidence store and letters folder must be absent or empty")
    manifest = _manifest(source, manifest_sha256)
    _refuse(file_problems(source, manifest), "the backup does not match its manifest")
    if there and (cipher.encrypt_new() or cipher.is_encrypted(database)):
        _refuse_plain_over_encrypted(source, database)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"
    database.parent.mkdir(parents=True, exist_ok=True, mode=folder_mode())
    staged: list[Path] = []
    try:
        staged.append(_stage_database(source, database, stamp))
        checked = _check_copy(staged[0], manifest, source)
        back = _destroyed_since(database, staged[0], bring_back_destroyed) if there else ""
        lacking = copies.entries_lacking(database, staged[0]) if there else 0
        known = checked.known
        replaced = {copy.file_name for copy in checked.put_back}
        short = not_whole(staged[0], source, EVIDENCE, LETTERS, manifest["files"], replaced)
        _refuse(_lacking_since(short, manifest), "the backup lacks what it held when it was "
                "taken")
        # Where this installation keeps its evidence (the database's own folder, the demo's,
        # else the configured one): never where the backup's database says, which a forged
        # backup could point at any folder. The restored database is told the same.
        if there:
            own = copies.own_setting(database, EVIDENCE_KEY)
        copies.put_setting(staged[0], EVIDENCE_KEY, own)
        evidence = (copies.beside(database, own) if own else None) or evidence
        swept += leftovers.remove_restore_stages([evidence])
        staged.append(_stage_folder(source / EVIDENCE, evidence, stamp))
        for document in staged[-1].rglob("*"):
            if document.is_file():  # the store's files are read-only, as the store keeps them
                document.chmod(file_mode(read_only=True))
        staged.append(_stage_letters(source, staged[0], letters, stamp,
                                     {copy.file_name for copy in checked.put_back}))
        put_back(staged[2], checked.put_back)
        # Without the manifest's own hash, a manifest recomputed around a file slipped in
        # would pass: every file restored must be one the database knows (break 16c, 7c).
        left_out = _strangers(staged[2], staged[1], known)
        with copies.held_alone(database) as alone:
            if not alone:
                raise BackupProblem(f"{database} is open (the app, or a command, is using "
                                    "it): close it everywhere, then restore; nothing was "
                                    "changed")
            aside = restore_swap.put_in_place(
                staged[0], database, [(staged[1], evidence), (staged[2], letters)], stamp)
    except BaseException:
        # Once its journal is written, a swap cut short is settled by the journal alone.
        for path in [] if restore_swap.journal_path(database).exists() else staged:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise
    plain = "" if there else plain_where_encrypted(source)
    if swept:
        settled = " ".join(filter(None, (
            settled, f"Cleaned up after a restore cut short: "
                     f"{counted(swept, 'copy', 'copies')} it had staged, removed.")))
    return RestoreDone(database, evidence, letters, checked.entries,
                       str(manifest.get("taken_at", "")), tuple(aside), settled,
                       tuple(left_out), checked.last_entry_at,
                       tuple(n for n in (*checked.notes, back, plain) if n), tuple(short),
                       tuple(copy.said for copy in checked.put_back), lacking)
