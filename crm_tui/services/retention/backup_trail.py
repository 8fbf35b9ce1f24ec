"""A backup's copy of the database held to its own audit trail, as `restore` will hold it
(`audit verify`: the chain and the records it vouches for). Found when tried (issue 16, X2):
a backup of a database whose trail was BROKEN exited 0 without a word, and every backup a
nightly job wrote from then on was refused by `restore`; nobody learnt it until a restore
was needed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from peewee import PeeweeException as PeeweeError

from crm_tui.db import cipher, copies
from crm_tui.db.connection import DatabaseError, open_database
from crm_tui.db.models import AuditEntry, database_proxy
from crm_tui.services.core import audit


def _unreadable() -> tuple[type[Exception], ...]:
    return (PeeweeError, *cipher.errors())


def trail_problem(copy: Path, letters: Path, taken_at: datetime) -> str:
    """Why `restore` will refuse the copy for its trail, or '' when it holds: the trail in
    `audit verify`'s words ("its audit trail is BROKEN at entry 907: …"), or its last entry
    dated after the backup. `letters`: the backup's own letters folder; a letter file there
    that is not the issued one, while the register keeps it, is a restore's to put back (and
    the backup's not-whole list names it), not a broken trail. The copy is left a single file
    with no log beside it, and the connection bound before is bound again."""
    previous = database_proxy.obj
    try:
        database = open_database(copy, migrate=False)
    except DatabaseError as exc:
        return f"its audit trail cannot be read ({exc})"
    try:
        result = audit.verify(letters=letters, replace_copies=True)
        last_at = str(AuditEntry.select(AuditEntry.at).order_by(AuditEntry.seq.desc())
                      .limit(1).scalar() or "")
    except _unreadable() as exc:
        return f"its audit trail cannot be read ({exc})"
    finally:
        database.close()
        if previous is not None:
            database_proxy.initialize(previous)
        copies.in_use(copy)  # folds back any log the check left, so that the copy is one file
    if not result.ok:
        return f"its audit trail is {result.broken}"
    return _dated_ahead(last_at, taken_at)


def _dated_ahead(last_at: str, taken_at: datetime) -> str:
    """A backup is never older than its last entry written (restore holds its date to it, so
    that an edited date is refused): a last entry written while the clock was ahead makes
    every backup refused until an entry is written with the clock right (found when tried:
    such a backup exited 0, and its restore said "its date was changed")."""
    try:
        last = datetime.fromisoformat(last_at).replace(tzinfo=None)
    except ValueError:
        return ""
    when = taken_at.replace(tzinfo=None)
    if last <= when:
        return ""
    return (f"its last audit entry is dated {last_at}, after the backup "
            f"({when.isoformat(timespec='seconds')}): the clock was ahead when it was written, "
            "and a backup older than its last entry is taken for one whose date was changed. "
            "Once anyone writes an entry with the clock right (the next change to any file), "
            "back up again: that backup restores, with a note of the clock")
