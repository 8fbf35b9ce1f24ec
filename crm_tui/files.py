"""Facts about files on disk that several stages need: a file's SHA-256 read in chunks (never
whole into memory), and a folder's entries made durable (a rename is on disk only once its
folder is synced)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def within(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or inside it (links followed, as the write would)."""
    try:
        path.expanduser().resolve().relative_to(folder.expanduser().resolve())
    except (OSError, ValueError):
        return False
    return True


def beside(path: Path, own: Path) -> bool:
    """Whether `path` is one of `own`'s companions: its SQLite sidecars (`-wal`, `-shm`,
    `-journal`) or the copies a restore keeps or stages beside it (`.before-restore-…`,
    `.NAME.restoring-…`)."""
    try:
        target, mine = path.expanduser().resolve(), own.expanduser().resolve()
    except OSError:
        return False
    if target.parent != mine.parent:
        return False
    name = target.name.lstrip(".")
    return name == mine.name or name.startswith((mine.name + "-", mine.name + "."))


def place_problem(path: Path, own: Sequence[tuple[str, Path]], *,
                  files: Sequence[tuple[str, Path]] = ()) -> str | None:
    """Why a command must not write `path` (a file, or a folder it writes into): it is in
    one of the app's own folders (`own`: what each is called, where), or is one of its own
    files or beside one (`files`: the database and its sidecars). None when it may. The one
    rule every `--out`, `--to`, `--ics` and backup destination meets."""
    for what, folder in own:
        if within(path, folder):
            return (f"{path} is inside {what} ({folder}), which only the app writes: give a "
                    "place outside the app's own folders")
    for what, file in files:
        if beside(path, file):
            return f"{path} is {what} ({file}) or beside it: give a place elsewhere"
    return None
