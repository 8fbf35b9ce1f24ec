"""A backup's copy of the database held to its own audit trail, as `restore` will hold it
(`audit verify`: the chain and the records it vouches for). Found when tried (issue 16, X2):
a backup of a database whose trail was BROKEN exited 0 without a word, and every backup a
nightly job wrote from then on was refused by `restore`; nobody learnt it until a restore
was needed."""

from __future__ import annotations

from pathlib import Path

from peewee import PeeweeException as PeeweeError

from crm_tui.db import cipher, copies
from crm_tui.db.connection import DatabaseError, open_database
from crm_tui.db.models import database_proxy
from crm_tui.services.core import audit

UNREADABLE: tuple[type[Exception], ...] = (PeeweeError, *cipher.ERRORS)


def trail_problem(copy: Path, letters: Path) -> str:
    """What is wrong with the copy's audit trail, in `audit verify`'s words ("BROKEN at entry
    907: …"), or '' when it holds. `letters`: the backup's own letters folder; a letter file
    there that is not the issued one, while the register keeps it, is a restore's to put back
    (and the backup's not-whole list names it), not a broken trail. The copy is left a single
    file with no log beside it, and the connection bound before is bound again."""
    previous = database_proxy.obj
    try:
        database = open_database(copy, migrate=False)
    except DatabaseError as exc:
        return f"its audit trail cannot be read ({exc})"
    try:
        result = audit.verify(letters=letters, replace_copies=True)
    except UNREADABLE as exc:
        return f"its audit trail cannot be read ({exc})"
    finally:
        database.close()
        if previous is not None:
            database_proxy.initialize(previous)
        copies.in_use(copy)  # folds back any log the check left, so that the copy is one file
    return "" if result.ok else result.broken
