"""The copies a restore keeps of what it replaced (`NAME.before-restore-STAMP` beside the
database, the evidence store and the letters folder: services/retention/restore_swap.py).
They hold whatever was there, a destroyed file's personal data included, so they are not kept
for ever: `restore_copies_days` after the restore (30 by default) they are deleted by
`retention run` (the scheduled job); until then every destruction's report names them as
places that still hold the destroyed files' data (README, "Security and privacy")."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from crm_tui import clock
from crm_tui.db import dialect
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import settings
from crm_tui.services.core.evidence_store import evidence_store

_STAMP = re.compile(r"\.before-restore-(\d{8}-\d{6})-\d+")


@dataclass(frozen=True)
class KeptCopy:
    path: Path
    made: datetime
    deleted_on: date  # deleted by the first `retention run` on or after that day


def _places() -> list[Path]:
    config = settings.current()
    places = [config.letters_path(), evidence_store().root]
    database = dialect.database_path()  # none on a server: nothing of it is beside a file
    if database is not None:
        places.append(database)
    return places


def kept_copies() -> list[KeptCopy]:
    """Every copy a restore kept beside this database's files, oldest first."""
    days = settings.current().restore_copies_days
    found: list[KeptCopy] = []
    for place in _places():
        try:
            entries = list(place.parent.iterdir())
        except OSError:
            continue
        for entry in entries:
            if not entry.name.startswith(place.name):
                continue
            match = _STAMP.fullmatch(entry.name[len(place.name):])
            if match is None or entry.is_symlink():
                continue
            try:
                made = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            except ValueError:
                continue
            found.append(KeptCopy(entry, made, (made + timedelta(days=days)).date()))
    return sorted(found, key=lambda copy: (copy.made, str(copy.path)))


def _delete(path: Path) -> None:
    if path.is_dir():
        for inner in path.rglob("*"):  # the store's files are read-only
            if inner.is_dir():
                inner.chmod(0o700)
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def due_now() -> list[Path]:
    """The kept copies whose time is up: those the next `retention run` deletes (a dry run
    lists them as such, not as copies still holding the data until a day already past)."""
    today = clock.today()
    return [copy.path for copy in kept_copies() if copy.deleted_on <= today]


def expire() -> list[Path]:
    """Delete the kept copies whose time is up; returns those deleted."""
    gone = due_now()
    for path in gone:
        _delete(path)
    return gone


def still_holding(copies: list[KeptCopy] | tuple[KeptCopy, ...]) -> str:
    """The kept copies, said before and after a destruction ("" when there are none)."""
    if not copies:
        return ""
    listed = "; ".join(f"{copy.path} (deleted by the first retention run on or after "
                       f"{in_prose(copy.deleted_on)})" for copy in copies)
    return (" These copies a restore kept of what it replaced still hold the file's data "
            f"until they are deleted: {listed}.")
