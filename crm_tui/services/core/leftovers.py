"""What a run killed half-way leaves behind, cleaned up at the next start (the app, and every
command that writes): evidence copies cut short (`.incoming-*`), evidence files no record points
to, signed letters written out but never registered, what a destruction killed after its
commit had still to do (services.core.erasure), and the partial files of exports cut short
(a bundle, a subject access export, a letter's copy, a signing key) in the app's own folders.

Each run that copies files in or writes a letter out holds a lock file in the store's `.runs`
folder while it works (`running`); the operating system drops the lock when the process dies,
however it dies, so the next start tells a run still at work from one that was killed. Only what
is older than every run still at work is removed, and never a file a record points to: the check
and the removal are made holding the database's write lock, which every commit takes. Nor a file
the audit trail says was attached to a live case, whatever the records say now: a record
changed or deleted by hand is tampering (`audit verify` names it), and its file is the
evidence; it is kept where it is and reported at every start until a person deals with it.

A letter is announced before its file is written (`pending_letter`, a row committed on its own),
and the announcement goes in the transaction that registers it: an announcement left at the next
start is a letter that was never registered, and its file (found by the announced SHA-256, so
never another file) is removed.

An export is written under a partial name that its writer holds a lock on until it is named
(private_files.write_private): one whose lock is free and that is older than a minute was left
by a writer that died, and is removed; a user's own `--out` folder is not searched, but an
export announced there (`pending_export`) whose run died loses its partial files with its
name, wherever it was written."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crm_tui.db import dialect, server_roles
from crm_tui.db.models import AuditEntry, EvidenceItem, Letter, Setting, database_proxy
from crm_tui.domain.counting import counted
from crm_tui.domain.numbers import read_whole
from crm_tui.files import sha256_of
from crm_tui.private_files import abandoned_partials, partials_of, secure_folder
from crm_tui.services.core import erasure, settings
from crm_tui.services.core.audit_records import attaching_entry, unaccepted_destruction
from crm_tui.services.core.database import atomic
from crm_tui.services.core.evidence_store import EvidenceStore, evidence_store
from crm_tui.services.core.personal_keys import key_folder

RUNS = ".runs"
# A backup at work keeps BACKUP_MARKER, locked, in its folder until its manifest is written,
# and the database says where under BACKUP_IN_PROGRESS (services.retention.backup): a backup
# killed half-way (a whole copy of the personal data, with no manifest) is removed here.
BACKUP_MARKER = ".crm-tui-backup-in-progress"
BACKUP_IN_PROGRESS = "backup_in_progress:"
PENDING = "pending_letter:"
PENDING_EXPORT = "pending_export:"
log = logging.getLogger("crm_tui.leftovers")
log.addHandler(logging.NullHandler())  # the command line adds its log file (cli._log_to_file)


@dataclass(frozen=True)
class Swept:
    """What one start cleaned up: counts and hashes only, never a name (no personal data)."""

    partial: int = 0
    orphans: list[str] = field(default_factory=list)  # SHA-256 of each evidence file removed
    letters: list[str] = field(default_factory=list)  # SHA-256 of each letter file removed
    exports: int = 0  # exports cut short: partial files, and those written but not recorded
    destructions: int = 0  # destructions killed after their commit, finished
    restores: int = 0  # copies staged by a restore that was killed
    # SHA-256 of each evidence file no record points to that an entry attached to a live case:
    # kept, never removed (a record changed or deleted by hand).
    kept: list[str] = field(default_factory=list)
    # What the destructions finished removed: SHA-256 of each document and letter file.
    destroyed_documents: list[str] = field(default_factory=list)
    destroyed_letters: list[str] = field(default_factory=list)
    backups: int = 0  # backups killed before their manifest, removed
    # SHA-256 of each evidence file no record points to, kept because the trail records a
    # destruction the app could not have made: a forged one erases the entries that attached
    # the destroyed case's documents, so they cannot be told from leftovers.
    doubted: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.partial or self.orphans or self.letters or self.exports
                    or self.destructions or self.restores or self.kept or self.backups
                    or self.doubted)

    @property
    def said(self) -> str:
        parts = [*([counted(self.partial, "evidence copy") + " cut short"]
                   if self.partial else []),
                 *([counted(len(self.orphans), "evidence file") + " no record points to"]
                   if self.orphans else []),
                 *([counted(len(self.letters), "signed letter") + " never registered"]
                   if self.letters else []),
                 *([counted(self.exports, "export") + " cut short"]
                   if self.exports else []),
                 *([counted(self.destructions, "destruction") + " finished ("
                    + counted(len(self.destroyed_documents), "document") + " and "
                    + counted(len(self.destroyed_letters), "letter file") + " removed, "
                    "the search indexes rewritten)"] if self.destructions else []),
                 *([counted(self.restores, "copy", "copies") + " staged by a restore cut short"]
                   if self.restores else []),
                 *([counted(self.backups, "backup") + " cut short (no manifest), removed"]
                   if self.backups else [])]
        were = "it was" if len(self.kept) == 1 else "they were"
        kept = (f"{counted(len(self.kept), 'evidence file')} no record points to kept: the "
                f"audit trail says {were} attached to a case, so a record was changed or "
                "deleted (crm-tui audit verify names it).") if self.kept else ""
        if self.doubted:
            kept += ((" " if kept else "") + f"{counted(len(self.doubted), 'evidence file')} "
                     "no record points to kept: the audit trail records a destruction the "
                     "app could not have made, whose documents they may be (crm-tui audit "
                     "verify names it).")
        if not parts:
            return kept
        return ("Cleaned up after an interrupted run: " + "; ".join(parts) + "."
                + (" " + kept if kept else ""))


def _runs_folder(store: EvidenceStore) -> Path:
    return store.root / RUNS


@contextlib.contextmanager
def running(store: EvidenceStore | None = None) -> Iterator[str]:
    """Mark this run as at work (files being copied in or written out) until it ends; yields
    its token. Nothing it leaves meanwhile is taken for a leftover."""
    store = store or evidence_store()
    folder = _runs_folder(store)
    secure_folder(store.root)
    secure_folder(folder)
    token = f"{os.getpid()}-{secrets.token_hex(6)}"
    path = folder / token
    # Locked under a name the sweep passes over, then named: a sweep never finds it unlocked.
    making = folder / f".{token}"
    handle = os.open(making, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        making.rename(path)
        yield token
    finally:
        path.unlink(missing_ok=True)
        making.unlink(missing_ok=True)
        os.close(handle)


def _live_runs(store: EvidenceStore, *, tidy: bool = True) -> tuple[set[str], float | None]:
    """(tokens of the runs still at work, when the earliest of them began); the lock files
    of runs that died are removed (not with `tidy` False: a command that only reads)."""
    folder = _runs_folder(store)
    live: set[str] = set()
    earliest: float | None = None
    if not folder.is_dir():
        return live, earliest
    for entry in folder.iterdir():
        if entry.name.startswith("."):
            # A run locking its file; or one killed before it named it, left for good unless
            # its process is gone (the name starts with its process id).
            if tidy and not _alive(entry.name[1:].partition("-")[0]):
                entry.unlink(missing_ok=True)
            continue
        try:
            handle = os.open(entry, os.O_RDONLY)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                live.add(entry.name)
                began = entry.stat().st_mtime
                earliest = began if earliest is None else min(earliest, began)
                continue
            if tidy:
                entry.unlink(missing_ok=True)  # its run died: the lock came free
        finally:
            os.close(handle)
    return live, earliest


def _alive(pid: str) -> bool:
    try:
        os.kill(read_whole(pid, least=1, most=2**31 - 1), 0)
    except ValueError:
        return False
    except ProcessLookupError:
        return False
    except OSError:
        return True  # there, and another user's
    return True


def pending_letter(folder: Path, stem: str, sha256: str, token: str) -> str:
    """Announce a letter about to be written to `folder` (named from `stem`), committed at
    once; returns the key that the registering transaction deletes (`registered`)."""
    key = f"{PENDING}{token}:{sha256}"
    with atomic():
        Setting.create(key=key, value=json.dumps({"folder": str(folder), "stem": stem,
                                                  "sha256": sha256}))
    return key


def registered(key: str) -> None:
    """The announced letter is registered (call inside the registering transaction) or its
    file was removed: the announcement goes."""
    Setting.delete().where(Setting.key == key).execute()


def pending_export(path: Path, token: str, *, whole_kept: bool = False) -> str:
    """Announce an export about to be written at `path` (a bundle, a subject access export's
    folder), committed at once, before anything is written; returns the key that the
    transaction recording the export deletes (`registered`). Killed before that, the next
    start deletes what it wrote: personal data the audit trail would not know of. With
    `whole_kept` (a calendar: no entry records it, and its name only ever holds a whole one,
    perhaps the one written before), only its partial files."""
    key = f"{PENDING_EXPORT}{token}:{secrets.token_hex(4)}"
    announced: dict[str, object] = {"path": str(path.absolute())}
    if whole_kept:
        announced["whole_kept"] = True
    with atomic():
        Setting.create(key=key, value=json.dumps(announced))
    return key


def _sweep_announced_exports(live: set[str]) -> int:
    removed = 0
    for row in Setting.select().where(Setting.key.startswith(PENDING_EXPORT)):
        token = row.key[len(PENDING_EXPORT):].rpartition(":")[0]
        if token in live:
            continue  # still being written
        try:
            announced = json.loads(row.value)
            path = Path(str(announced["path"]))
            whole_kept = announced.get("whole_kept") is True
        except (ValueError, KeyError, TypeError, AttributeError):
            registered(row.key)
            continue
        # With its closing quote: `…-100000` is not taken as recorded by `…-100000-2`.
        recorded = AuditEntry.select().where(AuditEntry.payload.contains(
            json.dumps(str(path), ensure_ascii=False)[1:])).exists()
        if path.is_symlink() or not path.is_absolute():
            registered(row.key)
            continue
        if not recorded and path.is_dir() and path.name.startswith("subject-access-"):
            for inner in path.rglob("*"):
                with contextlib.suppress(OSError):
                    inner.chmod(0o700 if inner.is_dir() else 0o600)
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
        elif not path.is_dir():
            # The file is written under a partial name beside the one announced, and named
            # only when whole: killed while writing, the partial holds the whole export
            # (found when tried: a bundle in an `--out` folder kept for good as `….partial`,
            # while its name and announcement were removed). Its writer is dead (its run's
            # lock is free), so its partials go, in any folder, even beside a name an earlier
            # export recorded (a letter's copy written again over the very same file).
            partials = partials_of(path)
            for partial in partials:
                partial.unlink(missing_ok=True)
            named = not recorded and not whole_kept and path.is_file()
            if named:
                path.unlink(missing_ok=True)
            removed += bool(partials or named)
        registered(row.key)
    return removed


def _letter_files(folder: Path, stem: str) -> list[Path]:
    """Files a letter announced as `stem` may have been written as: the name itself, a free
    name after it (`-2`), or the private copy it was written to first (`stem.*.partial`)."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.name.startswith(stem)
            and (p.suffix == ".pdf" or p.suffix == ".partial") and p.is_file()
            and not p.is_symlink()]


def _sweep_letters(live: set[str]) -> list[str]:
    removed: list[str] = []
    for row in Setting.select().where(Setting.key.startswith(PENDING)):
        token = row.key[len(PENDING):].rpartition(":")[0]
        if token in live:
            continue  # still being written
        try:
            facts = json.loads(row.value)
            folder, stem, sha = Path(facts["folder"]), str(facts["stem"]), str(facts["sha256"])
        except (ValueError, KeyError, TypeError):
            registered(row.key)
            continue
        if not Letter.select().where(Letter.sha256 == sha).exists():
            for path in _letter_files(folder, stem):
                with contextlib.suppress(OSError):
                    if sha256_of(path) == sha:
                        path.unlink()
                        removed.append(sha)
            # Killed in the middle of the write, its partial file is not yet the announced
            # SHA-256, but its writer is dead (the lock is free): it goes too, in a folder of
            # the user's (`--out`) as in the letters folder.
            cut_short = partials_of(folder / f"{stem}.pdf")
            for partial in cut_short:
                partial.unlink(missing_ok=True)
            if cut_short and sha not in removed:
                removed.append(sha)
        registered(row.key)
    return removed


def unregistered_letters() -> list[Path]:
    """The files of signed letters a run killed before registering them left (their run is
    dead), found as the sweep finds them, removing nothing: for `audit verify`, which only
    reads and so sweeps nothing, to name (found when tried, b16f F5: a `letters export --out`
    killed after signing left a signed letter to the customer in the user's folder, and
    `audit verify` said nothing until the next export removed it)."""
    rows = list(Setting.select().where(Setting.key.startswith(PENDING)))
    if not rows:
        return []
    live, _ = _live_runs(evidence_store(), tidy=False)
    found: list[Path] = []
    for row in rows:
        if row.key[len(PENDING):].rpartition(":")[0] in live:
            continue  # still being written
        try:
            facts = json.loads(row.value)
            folder, stem, sha = Path(facts["folder"]), str(facts["stem"]), str(facts["sha256"])
        except (ValueError, KeyError, TypeError):
            continue
        if Letter.select().where(Letter.sha256 == sha).exists():
            continue  # registered after all: the announcement is only left over
        for path in _letter_files(folder, stem):
            with contextlib.suppress(OSError):
                if path.suffix == ".pdf" and sha256_of(path) == sha:
                    found.append(path)
        found.extend(partials_of(folder / f"{stem}.pdf"))
    return found


def unregistered_said(path: Path) -> str:
    """A letter file `unregistered_letters` found, in words (a note of `audit verify`)."""
    return f"Note: {unregistered_line(path)[:1].lower()}{unregistered_line(path)[1:]}"


def unregistered_line(path: Path) -> str:
    """The same, as its own line: the Letters area and the audit screen show it too (found
    when tried: `audit verify` named the file, the app said nothing)."""
    return (f"A signed letter never registered was left at {path} by an interrupted "
            "export; it is not a letter of the register: delete it (the next start of the "
            "app, or the next command that writes, removes it).")


def _sweep_store(store: EvidenceStore,
                 before: float | None) -> tuple[int, list[str], list[str], list[str]]:
    """Remove partial copies and files no record points to, older than `before` (when the
    earliest run still at work began; None: no run is at work), but for those the audit
    trail attached to a case, and for all of them while the trail records a destruction the
    app could not have made (its erased entries may have attached them): (partial copies
    removed, files removed, files kept as attached, files kept as doubted)."""
    if not store.root.is_dir():
        return 0, [], [], []

    def old(path: Path) -> bool:
        try:
            return before is None or path.lstat().st_mtime < before
        except OSError:
            return False

    held = {str(row[0]) for row in
            EvidenceItem.select(EvidenceItem.sha256).distinct().tuples().iterator()}
    partial = 0
    orphans: list[str] = []
    kept: list[str] = []
    doubted: list[str] = []
    forged: bool | None = None  # asked once, at the first file no record points to
    for entry in store.root.iterdir():
        if entry.name.startswith(".incoming-") and old(entry):
            _remove(entry)
            partial += 1
        elif len(entry.name) == 2 and entry.is_dir() and not entry.is_symlink():
            for file in entry.iterdir():
                # Only what the store itself names (a SHA-256 under its first two letters):
                # anything else put there by hand is for a person to look at.
                if (file.name not in held and len(file.name) == 64
                        and file.name.startswith(entry.name) and file.is_file() and old(file)):
                    if attaching_entry(file.name) is not None:
                        kept.append(file.name)
                        continue
                    if forged is None:
                        forged = bool(unaccepted_destruction())
                    if forged:
                        doubted.append(file.name)
                        continue
                    _remove(file)
                    orphans.append(file.name)
    return partial, orphans, kept, doubted


def app_folders() -> list[tuple[Path, int]]:
    """The folders the app writes its own files into, each with how deep its subfolders go
    (a subject access export's folder and its documents/): the letters folder, the exports
    folder and the signing keys' folder."""
    config = settings.current()
    return [(config.letters_path(), 0), (config.exports_path(), 2), (key_folder(), 0)]


def abandoned_exports() -> list[Path]:
    """The partial files of exports cut short in the app's own folders (none being
    written)."""
    return [path for folder, depth in app_folders()
            for path in abandoned_partials(folder, depth=depth)]


def _sweep_exports() -> int:
    removed = 0
    for path in abandoned_exports():
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def _restore_stages() -> list[Path]:
    """The copies a restore killed half-way staged beside the database, the evidence store
    and the letters folder (`.NAME.restoring-DATE-TIME-PID`, services.retention.restore),
    whose process is gone: a whole copy of the backup's personal data, no longer needed;
    with the staged database's SQLite sidecars (`-journal`, `-wal`, `-shm`), which hold its
    pages too, whether or not the copy itself is still there."""
    # A server database's name is no file: a stage beside a file of that name in the
    # current folder is no copy of it, and is never removed.
    database = dialect.database_path()
    targets = [settings.current().letters_path(), evidence_store().root]
    if database is not None:
        targets.append(database)
    return _stages_beside(targets)


def _stages_beside(targets: list[Path]) -> list[Path]:
    """`_restore_stages` of these targets (a database, an evidence store, a letters
    folder)."""
    found: list[Path] = []
    for target in targets:
        pattern = re.compile(rf"\.{re.escape(target.name)}\.restoring-\d{{8}}-\d{{6}}-(\d+)"
                             r"(-journal|-wal|-shm)?")
        try:
            entries = list(target.parent.iterdir())
        except OSError:
            continue
        for entry in entries:
            match = pattern.fullmatch(entry.name)
            if match and not entry.is_symlink() and not _alive(match.group(1)):
                found.append(entry)
    return found


def _remove(path: Path) -> None:
    """A file, or a folder and all in it: the evidence store's files are read-only, so they
    are made the owner's to remove first. A link is removed, never followed."""
    if path.is_dir() and not path.is_symlink():
        for inner in path.rglob("*"):
            with contextlib.suppress(OSError):
                inner.chmod(0o700 if inner.is_dir() else 0o600)
        shutil.rmtree(path, ignore_errors=True)
    else:
        if not path.is_symlink():
            with contextlib.suppress(OSError):
                path.chmod(0o600)  # stored files are read-only
        path.unlink(missing_ok=True)


def _sweep_restore_stages() -> int:
    return _remove_stages(_restore_stages())


def remove_restore_stages(targets: list[Path]) -> int:
    """Remove what a restore killed half-way staged beside these targets (the database,
    evidence store and letters folder a restore is about to put in place): the next restore
    cleans up after the one cut short, as the next start does (found when tried: t16 F4, a
    second restore left the first one's whole copy of the database beside the new one).
    Returns how many copies were removed."""
    return _remove_stages(_stages_beside(targets))


def _remove_stages(stages: list[Path]) -> int:
    removed = 0
    for path in stages:
        _remove(path)
        # A copy counted once: its sidecars go with it, uncounted.
        removed += not path.exists() and not path.name.endswith(("-journal", "-wal", "-shm"))
    return removed


def _backup_at_work(marker: Path) -> bool:
    try:
        handle = os.open(marker, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True  # its backup holds it
    finally:
        os.close(handle)
    return False


def _sweep_backups() -> int:
    """Backups killed before their manifest was written: what they copied is removed (and
    their folder, if they made it); only a folder holding the backup's own marker, unlocked."""
    removed = 0
    for row in Setting.select().where(Setting.key.startswith(BACKUP_IN_PROGRESS)):
        try:
            said = json.loads(row.value)
            dest, made = Path(str(said["path"])), bool(said.get("made"))
        except (ValueError, KeyError, TypeError):
            registered(row.key)
            continue
        marker = dest / BACKUP_MARKER
        if dest.is_symlink() or marker.is_symlink() or not marker.is_file():
            registered(row.key)  # finished (or cleaned) meanwhile
            continue
        if _backup_at_work(marker):
            continue
        if not (dest / "manifest.json").exists():  # a whole backup kept, but its marker
            for child in dest.iterdir():
                if child.name != BACKUP_MARKER:
                    _remove(child)
            removed += 1
        marker.unlink(missing_ok=True)
        if made:
            with contextlib.suppress(OSError):
                dest.rmdir()
        registered(row.key)
    return removed


def _finish_destructions() -> dict[str, erasure.Removed]:
    """Destructions committed but killed before their files went and the search indexes were
    rewritten (services.core.erasure): finished now; what each removed, by reference. A
    destruction still finishing in another process is finished twice, harmlessly."""
    if not erasure.pending():
        return {}
    finished = erasure.finish()
    if not database_proxy.in_transaction():
        dialect.checkpoint(database_proxy.obj)
    return finished


def sweep() -> Swept:
    """Clean up what interrupted runs left (see the module's docstring); says what it removed
    in the log, by hash only. Holds the write lock while it checks and removes, so that no
    record can come to point at a file between the check and the removal."""
    store = evidence_store()
    exports = _sweep_exports()
    finished = _finish_destructions()
    destructions = len(finished)
    destroyed = (
        [sha for removed in finished.values() for sha in removed.documents],
        [sha for removed in finished.values() for sha in removed.letters])
    restores = _sweep_restore_stages()
    with atomic():
        backups = _sweep_backups()
    swept = Swept(exports=exports, destructions=destructions, restores=restores,
                  destroyed_documents=destroyed[0], destroyed_letters=destroyed[1],
                  backups=backups)
    if store.root.is_dir() or Setting.select().where(
            Setting.key.startswith(PENDING) | Setting.key.startswith(PENDING_EXPORT)).exists():
        with atomic():
            live, earliest = _live_runs(store)
            letters = _sweep_letters(live)
            exports += _sweep_announced_exports(live)
            # A service area manager's login on a server reads its own area's evidence
            # records alone (row-level security): every other file would look like one no
            # record points to. The store is swept by a login that reads them all.
            partial, orphans, kept, doubted = _sweep_store(store, earliest) \
                if dialect.is_sqlite() or server_roles.sees_every_area(database_proxy.obj) \
                else (0, [], [], [])
        swept = Swept(partial, orphans, letters, exports, destructions, restores, kept,
                      *destroyed, backups=backups, doubted=doubted)
    if swept:
        # (The files a destruction removed are logged by it: services.core.erasure.)
        log.warning("%s Evidence files removed (SHA-256): %s. Evidence files kept "
                    "(SHA-256): %s. Letter files (SHA-256): %s.",
                    swept.said, ", ".join(swept.orphans) or "none",
                    ", ".join(swept.kept + swept.doubted) or "none",
                    ", ".join(swept.letters) or "none")
    return swept
