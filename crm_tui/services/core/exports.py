"""Writing an export of personal data (an evidence bundle, a copy of a document, the staff
register): under a name no other export has (`-2`, `-3`… when two are made in the same
second), announced before it is written and recorded in the audit trail with its path, so
that a destruction finds every copy the app wrote (services.core.erasure) and a run killed
half-way leaves nothing the trail does not know of (services.core.leftovers)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from crm_tui.domain.scope import DestroyedFile
from crm_tui.private_files import claim_new, write_private
from crm_tui.services.core import leftovers, places
from crm_tui.services.core.database import atomic


def write_export(target: Path, produce: Callable[[Path], object],
                 record: Callable[[Path], object]) -> Path:
    """Write `produce(path)` under `target`'s name or the first free one after it, then run
    `record(path)` (its audit entry, with the path) in one transaction; returns the path. A
    refused entry or a failed write leaves no file."""
    places.check_folder(target.parent)
    with leftovers.running() as token:
        path = claim_new(target)
        try:
            key = leftovers.pending_export(path, token)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        try:
            write_private(path, produce)
            with atomic():
                record(path)
                leftovers.registered(key)
        except BaseException as exc:
            path.unlink(missing_ok=True)
            with contextlib.suppress(Exception), atomic():
                leftovers.registered(key)
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
