"""Writing an export of personal data (an evidence bundle, a copy of a document, the staff
register, a letter's copy or accessible copies) or a calendar: announced before it is written
(`announced`) and, but for the calendar, recorded in the audit trail with its path, so that a
destruction finds every copy the app wrote (services.core.erasure) and a run killed half-way
leaves nothing the trail does not know of, nor a `.partial` file, in whatever folder it was
written to (services.core.leftovers). A new export takes a name no other export has (`-2`,
`-3`… when two are made in the same second: `write_export`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from crm_tui.domain.scope import DestroyedFile
from crm_tui.private_files import claim_new, write_private
from crm_tui.services.core import leftovers, places
from crm_tui.services.core.database import atomic


@contextlib.contextmanager
def announced(*paths: Path, whole_kept: bool = False) -> Iterator[Callable[[], None]]:
    """Announce the exports about to be written at `paths` (committed at once, before a byte
    is written: call outside any transaction); yields `done`, to be called in the transaction
    that records them, which takes the announcements away. Killed before that, the next start
    removes their partial files and the named files the trail does not record; with
    `whole_kept` (a calendar, which no entry records and whose name only ever holds a whole
    one), only the partial files. Failed, the announcements go with the failure."""
    with leftovers.running() as token:
        keys: list[str] = []

        def done() -> None:
            for key in keys:
                leftovers.registered(key)

        try:
            for path in paths:
                keys.append(leftovers.pending_export(path, token, whole_kept=whole_kept))
            yield done
        except BaseException:
            with contextlib.suppress(Exception), atomic():
                done()
            raise


def write_export(target: Path, produce: Callable[[Path], object],
                 record: Callable[[Path], object]) -> Path:
    """Write `produce(path)` under `target`'s name or the first free one after it, then run
    `record(path)` (its audit entry, with the path) in one transaction; returns the path. A
    refused entry or a failed write leaves no file."""
    places.check_folder(target.parent)
    path = claim_new(target)
    try:
        with announced(path) as done:
            try:
                write_private(path, produce)
                with atomic():
                    record(path)
                    done()
            except BaseException:
                path.unlink(missing_ok=True)  # before its announcement goes
                raise
    except BaseException as exc:
        path.unlink(missing_ok=True)
        if isinstance(exc, DestroyedFile):
            raise destroyed_meanwhile(exc, path) from None
        raise
    return path


def destroyed_meanwhile(refused: DestroyedFile, path: Path) -> DestroyedFile:
    """Why an export finished after its file's destruction was refused, and that what it had
    written was removed."""
    said = DestroyedFile(refused.reference)
    said.args = (f"{refused.reference} was destroyed while this export was written: the "
                 f"export is not kept, and what it wrote was removed ({path})",)
    return said
