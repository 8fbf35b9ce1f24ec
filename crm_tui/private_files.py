"""Files the app writes hold personal data or secrets: each is readable by its owner only —
or, where the configuration names a team group (`team_group`), by that group as well, so that
a team shares one database file, each person under their own account. Never by everyone.
Each file appears whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

_group: int | None = None  # the team's group id, when the database is shared


def share_with_group(gid: int | None) -> None:
    """From now on, what the app writes is the team group's too (None: the owner's alone)."""
    global _group
    _group = gid


def file_mode(read_only: bool = False) -> int:
    own = 0o400 if read_only else 0o600
    return own | (own >> 3) if _group is not None else own


def folder_mode() -> int:
    # setgid on a shared folder: files SQLite makes there (-wal, -shm) take the team's group.
    return 0o2770 if _group is not None else 0o700


def secure_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if _group is not None and folder.stat().st_uid == os.geteuid():
        os.chown(folder, -1, _group)
        folder.chmod(folder_mode())


def secure_file(path: Path, *, read_only: bool = False) -> None:
    if _group is not None and path.stat().st_uid == os.geteuid():
        os.chown(path, -1, _group)
    path.chmod(file_mode(read_only))


def write_private(target: Path, produce: Callable[[Path], object]) -> Path:
    """`produce` writes to a private name beside `target`, which then replaces it."""
    secure_folder(target.parent)
    partial = target.with_suffix(".partial")
    partial.touch(mode=0o600)  # private before a byte is written
    try:
        secure_file(partial)
        produce(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    secure_file(target)
    return target


def write_private_bytes(target: Path, data: bytes) -> Path:
    return write_private(target, lambda path: path.write_bytes(data))
