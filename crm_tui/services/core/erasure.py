"""What a destruction does after its commit, done so that a crash cannot leave it half-done:
the destroyed file's documents leave the evidence store, its letters' files and the exports
made of it that are still in the app's own folders are deleted, and the search indexes are
rewritten without its words.

The destruction announces this work in its own transaction (a `pending_destruction:` setting
naming files by hash and name only: no personal data), and the announcement goes only once
the work is done (`finish`). A run killed between the two leaves the announcement, and the
next start (services.core.leftovers) finishes it. A retention run destroying many files
rewrites the indexes once, after the last (`finish` with every announcement at once)."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from crm_tui.db import dialect
from crm_tui.db.models import AuditEntry, Case, EvidenceItem, Letter, Setting, database_proxy
from crm_tui.domain.counting import counted
from crm_tui.domain.typed_dates import in_prose
from crm_tui.files import sha256_of
from crm_tui.services.core import settings
from crm_tui.services.core.audit_records import attaching_entry
from crm_tui.services.core.database import atomic
from crm_tui.services.core.evidence_store import evidence_store

PENDING = "pending_destruction:"
# The log the start's clean-up writes to (crm-tui.log, services.core.leftovers): counts and
# hashes only.
log = logging.getLogger("crm_tui.leftovers")
log.addHandler(logging.NullHandler())
# Every file the app writes that holds a case's personal data, by what the audit entry that
# records it is called. Each entry names the case (its own, or `cases` in its payload for a
# file of several: a print pack, the staff register) and the path written (`path`, or
# `paths`). The one rule: a destruction lists them all (exports_of), deletes those in the
# app's own folders that hold no live case but this one, and names the others to be deleted
# by hand.
EXPORTS = {"export_evidence_bundle": "Evidence bundle",
           "subject_access_request": "Subject access export",
           "export_letter": "Copy of a letter",
           "export_evidence_copy": "Copy of a document",
           "export_accessible_copy": "Accessible copy of a letter",
           "issue_letter": "Letter",
           "resend_letter": "Re-sent copy of a letter",
           "make_print_pack": "Print pack",
           "export_staff_register": "Staff register"}
# A letter in the letters folder goes with its register row (by its hash, _remove_letters):
# listed among the exports only when it was written elsewhere.
LETTERS = frozenset({"issue_letter", "resend_letter"})


@dataclass(frozen=True)
class ExportMade:
    """An export of a file written to disk: what, when, by whom, where (as recorded)."""

    what: str
    at: str  # ISO 8601, as the audit trail keeps it
    by: str  # login
    path: str  # the file or folder written (only its name, in entries older than the path)
    deleted: bool = False  # deleted at destruction: it was in the app's own folders
    # The live cases other than the destroyed one whose personal data the file holds too (a
    # print pack, the staff register): it is not deleted, but named to be dealt with by hand.
    others: tuple[str, ...] = ()

    @property
    def day(self) -> str:
        when = datetime.fromisoformat(self.at)
        return in_prose(when)

    @property
    def said(self) -> str:
        return self.named + (" — deleted" if self.deleted else "")

    @property
    def named(self) -> str:
        """What it is and where, without whether it was deleted (a dry run's list)."""
        where = self.path if Path(self.path).is_absolute() else \
            f"{self.path} (its folder not recorded)"
        shared = (f" (it also holds {', '.join(self.others)}: delete it by hand, or make it "
                  "again)") if self.others else ""
        return f"{self.what} of {self.day} by {self.by}: {where}{shared}"


def _paths(payload: dict[str, Any]) -> list[str]:
    many = payload.get("paths")
    if isinstance(many, list):
        return [str(path) for path in many if path]
    one = payload.get("path") or payload.get("file") or payload.get("folder") or ""
    return [str(one)] if one else []


def exports_of(reference: str) -> list[ExportMade]:
    """Every file the app wrote holding the case's personal data (read from the audit trail,
    before the case's entries are erased), each once, with the live cases it also holds."""
    made: dict[str, ExportMade] = {}
    rows = (AuditEntry.select(AuditEntry.action, AuditEntry.at, AuditEntry.actor_login,
                              AuditEntry.case_reference, AuditEntry.payload)
            .where(((AuditEntry.case_reference == reference)
                    | AuditEntry.payload.contains(f'"{reference}"'))
                   & AuditEntry.action.in_(list(EXPORTS)) & ~AuditEntry.erased)
            .order_by(AuditEntry.seq))
    letters = settings.current().letters_path().resolve()
    for row in rows:
        try:
            payload = json.loads(row.payload) if row.payload else {}
        except ValueError:
            payload = {}
        if not isinstance(payload, dict):
            payload = {}
        cases = payload.get("cases")
        held = {str(c) for c in cases} if isinstance(cases, list) else set()
        if row.case_reference != reference and reference not in held:
            continue
        for path in _paths(payload):
            if path in made or (str(row.action) in LETTERS and _in_letters(path, letters)):
                continue
            made[path] = ExportMade(EXPORTS[str(row.action)], str(row.at),
                                    str(row.actor_login), path, others=_live(held - {reference}))
    return list(made.values())


def _in_letters(recorded: str, letters: Path) -> bool:
    """A letter in the letters folder (or, the database moved with its folders, one of that
    name there): it goes with its register row, by its hash (_remove_letters)."""
    path = Path(recorded)
    return (not path.is_absolute() or path.parent.resolve() == letters
            or (letters / path.name).is_file())


def _live(references: set[str]) -> tuple[str, ...]:
    if not references:
        return ()
    return tuple(sorted(str(ref) for ref in Case.select(Case.reference)
                        .where(Case.reference.in_(sorted(references))).scalars()))


def goes_with_file(export: ExportMade) -> bool:
    """Whether a destruction deletes this export itself: it is there, directly in one of the
    app's own folders (not a link; a folder only as a subject access export), and holds no
    other live file. The one rule the destruction follows and its dry run, the question
    before `D` and the audit entry's list to delete by hand say (found when tried: the dry
    run listed a print pack to delete by hand, which the run then deleted itself)."""
    path = Path(export.path)
    return not export.others and _deletable(path) and path.exists()


def as_planned(exports: list[ExportMade] | tuple[ExportMade, ...]) -> list[ExportMade]:
    """The exports as a destruction would leave them (`deleted`: it deletes it), for a dry
    run, which says what the run will do."""
    return [replace(export, deleted=goes_with_file(export)) for export in exports]


def announce(reference: str, documents: set[str], letters: list[tuple[str, str]],
             exports: list[ExportMade]) -> None:
    """Inside the destroying transaction: what is to go once it is committed."""
    Setting.create(key=f"{PENDING}{reference}", value=json.dumps({
        "documents": sorted(documents), "letters": letters,
        "exports": [export.path for export in exports if goes_with_file(export)]}))


def pending() -> bool:
    return bool(Setting.select().where(Setting.key.startswith(PENDING)).exists())


def interrupted() -> list[str]:
    """The references of the destructions committed whose files and index words are still to
    go (killed after the commit, or the database busy): the next start that writes finishes
    them; a dry run or a check only says so."""
    return sorted(str(key)[len(PENDING):] for key in Setting.select(Setting.key).where(
        Setting.key.startswith(PENDING)).scalars())


@dataclass(frozen=True)
class Removed:
    """What finishing one destruction removed: its documents and letter files (by SHA-256)
    and the exports still in the app's own folders (their paths)."""

    documents: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return len(self.documents) + len(self.letters)

    @property
    def said(self) -> str:
        """"2 documents and 1 letter file removed" (the exports are said on their own)."""
        return (f"{counted(len(self.documents), 'document')} and "
                f"{counted(len(self.letters), 'letter file')} removed")


def finish(*, purge: bool = True) -> dict[str, Removed]:
    """Do what every announced destruction left to do, holding the write lock (so that no
    record comes to point at a file while it is removed): remove each document no record
    holds, each letter file no register row holds (by its hash), each export still in the
    app's own folders; then (`purge`) rewrite the search indexes and drop the announcements.
    Returns what was removed, by the destroyed file's reference, and says it in the log.
    Not purged, the announcements stay for a later `finish` (which finds nothing more to
    remove)."""
    removed: dict[str, Removed] = {}
    with atomic():
        rows = list(Setting.select().where(Setting.key.startswith(PENDING)))
        if not rows:
            return removed
        for row in rows:
            try:
                facts: dict[str, Any] = json.loads(row.value)
            except ValueError:
                facts = {}
            done = Removed(
                _remove_documents([str(sha) for sha in facts.get("documents", [])]),
                _remove_letters([(str(n), str(s)) for n, s in facts.get("letters", [])]),
                [str(path) for path in facts.get("exports", []) if _remove_export(str(path))])
            removed[str(row.key)[len(PENDING):]] = done
        if purge:
            # 'optimize' merges every segment of each index into one: the destroyed file's
            # words leave the index's pages (a 'delete' only adds a marker beside them), and
            # secure_delete zeroes the pages freed. It rewrites the whole index, so it is run
            # once for all the destructions announced, not inside each one.
            dialect.purge_search(database_proxy.obj)
            Setting.delete().where(Setting.id.in_([row.id for row in rows])).execute()
    # Said only now, the files removed and the announcements' end committed: a run killed
    # before this point leaves no line saying a destruction finished that the next start
    # still has to finish (break 16a F14).
    for reference, done in removed.items():
        _log_removed(reference, done, finished=purge)
    return removed


def _log_removed(reference: str, done: Removed, *, finished: bool) -> None:
    """One destruction's line in the log: what it removed (hashes only), and "finished" only
    once its announcement is dropped (a retention run's files removed before its last
    destruction rewrites the indexes: said then, as finished)."""
    if not (done.files or done.exports):
        if finished:
            log.warning("Destruction of %s finished: the search indexes rewritten.", reference)
        return
    log.warning("Destruction of %s %s: %s, %s deleted. Evidence files (SHA-256): %s. Letter "
                "files (SHA-256): %s.", reference,
                "finished" if finished else "files removed (it is finished once the search "
                "indexes are rewritten, after the run's last destruction)",
                done.said, counted(len(done.exports), "export"),
                ", ".join(done.documents) or "none", ", ".join(done.letters) or "none")


def to_remove(documents: set[str], letters: list[tuple[str, str]]) -> dict[str, int]:
    """Inside the destroying transaction, once its records are gone: how many of its
    documents and letter files the destruction removes (those no other record holds), for
    its audit entry."""
    held = {str(r.sha256) for r in EvidenceItem.select(EvidenceItem.sha256)
            .where(EvidenceItem.sha256.in_(sorted(documents)))} if documents else set()
    shared = {str(r.sha256) for r in Letter.select(Letter.sha256)
              .where(Letter.sha256.in_([sha for _, sha in letters]))} if letters else set()
    return {"documents": len(documents - held),
            "letters": len({sha for _, sha in letters} - shared)}


def _remove_documents(shas: list[str]) -> list[str]:
    """Remove the documents no record holds (nor a live case's entry names); returns the
    SHA-256 of each file removed."""
    removed: list[str] = []
    if not shas:
        return removed
    held = {str(r.sha256) for r in EvidenceItem.select(EvidenceItem.sha256)
            .where(EvidenceItem.sha256.in_(shas))}
    store = evidence_store()
    for sha in shas:
        # Nor one a live case's entry attached (its record deleted by hand): evidence.
        if sha not in held and attaching_entry(sha) is None:
            path = store.path_for(sha)
            with contextlib.suppress(OSError):
                path.chmod(0o600)  # stored files are read-only
            if path.is_file():
                path.unlink(missing_ok=True)
                removed.append(sha)
    return removed


def _remove_letters(letters: list[tuple[str, str]]) -> list[str]:
    """Remove the letter files no register row holds; returns the SHA-256 of each removed."""
    removed: list[str] = []
    folder = settings.current().letters_path()
    for name, sha in letters:
        path = folder / Path(name).name
        if Letter.select().where(Letter.sha256 == sha).exists():
            continue
        # Only the file the register issued (its hash): a file of the same name put there
        # by someone else is not ours to delete.
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink() and sha256_of(path) == sha:
                path.unlink()
                removed.append(sha)
    return removed


def own_folders() -> list[Path]:
    """The folders the app writes exports into by default: what is there is the app's."""
    config = settings.current()
    return [config.exports_path(), config.letters_path(), config.print_path()]


def in_own_folder(path: Path) -> bool:
    """A file or folder directly in one of the app's own folders (never a folder itself)."""
    if not path.is_absolute():
        return False
    with contextlib.suppress(OSError):
        parent = path.parent.resolve()
        return any(parent == folder.resolve() for folder in own_folders())
    return False


def left_by_hand(exports: list[ExportMade]) -> list[str]:
    """The paths of the exports a destruction cannot delete (outside the app's own folders,
    or holding another live file too): for its audit entry, where the list is read once the
    message saying it has gone (paths only, never what is in them)."""
    return [export.path for export in exports if not goes_with_file(export)]


def _deletable(path: Path) -> bool:
    return (in_own_folder(path) and not path.is_symlink()
            and (not path.is_dir() or path.name.startswith("subject-access-")))


def _remove_export(recorded: str) -> bool:
    """Delete an export if it is still in the app's own folders; True if it was there."""
    path = Path(recorded)
    if not in_own_folder(path) or path.is_symlink():
        return False
    if path.is_dir():
        # A subject access export's folder, as the app names it.
        if not path.name.startswith("subject-access-"):
            return False
        for inner in path.rglob("*"):
            with contextlib.suppress(OSError):
                inner.chmod(0o700 if inner.is_dir() else 0o600)
        shutil.rmtree(path, ignore_errors=True)
        return not path.exists()
    if path.is_file():
        path.unlink(missing_ok=True)
        return True
    return False


def before_destruction(exports: list[ExportMade] | tuple[ExportMade, ...]) -> str:
    """The exports of a file, as the question before its destruction lists them ("" if
    none)."""
    if not exports:
        return ""
    # Those to delete by hand first: they are what the person must act on, and a long list
    # scrolls (found when tried: at 80x24 only the first three, all deleted with the file,
    # were in sight before `y`).
    by_hand = [export for export in exports if not goes_with_file(export)]
    going = [export for export in exports if goes_with_file(export)]
    lines = [f"\n\nExports were made of this file ({len(exports)}): those still in the app's "
             "own folders are deleted with it; the others hold its personal data after it is "
             "gone: delete them by hand or confirm they were sent"
             + (f" ({len(by_hand)}, listed first)." if by_hand and going else ".")]
    lines += [f"  • {export.said}" for export in by_hand]
    lines += [f"  • {export.said} (deleted with the file)" for export in going]
    return "\n".join(lines)


def after_destruction(exports: list[ExportMade]) -> str:
    """What was done with a destroyed file's exports, after it ("" if none)."""
    deleted = [export for export in exports if export.deleted]
    left = [export for export in exports if not export.deleted]
    said = ""
    if deleted:
        said += (f" {len(deleted)} export{'s' if len(deleted) != 1 else ''} of it deleted "
                 "from the app's folders.")
    if left:
        said += (" These exports were made of this file: delete them by hand or confirm they "
                 "were sent: " + "; ".join(export.said for export in left) + ". The list "
                 "stays on the destruction's entry in the audit trail.")
    return said
