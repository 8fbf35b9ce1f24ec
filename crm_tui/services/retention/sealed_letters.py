"""A backup's copy of the letters folder, sealed when the database is encrypted.

The letters folder holds every signed letter in plain PDF (names, addresses, reasons,
restrictions), and its accessible copies beside them: files for people to read where the
installation keeps them. A backup of an encrypted database is said to be encrypted, and is
what travels to another disk: its copies of those files are sealed with the evidence
store's key (sealed_files, the same seal and key as the store's documents), and a restore
opens them again into the letters folder. Found when tried (b16f F3): a backup printed
"Encrypted, as the database is" while its letters/ held every letter in plain.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from crm_tui.files import sha256_of
from crm_tui.private_files import file_mode, folder_mode
from crm_tui.services.core.sealed_files import SealBroken, Sealer, is_sealed, plain_chunks


def _private_parents(target: Path, into: Path) -> None:
    for parent in reversed(into.relative_to(target).parents[:-1]):
        folder = target / parent
        if not folder.is_dir():
            folder.mkdir(mode=folder_mode())
            folder.chmod(folder_mode())


def _sealed_copy(source: Path, target: Path, key: bytes) -> str:
    """Write `source` sealed into the new file `target` (private, fsynced); the SHA-256 of
    its plain content."""
    plain = hashlib.sha256()
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode())
    with os.fdopen(handle, "wb") as writer:
        sealer = Sealer(writer, key)
        with source.open("rb") as reader:
            while chunk := reader.read(1 << 20):
                plain.update(chunk)
                sealer.write(chunk)
        sealer.close()
        writer.flush()
        os.fsync(writer.fileno())
    return plain.hexdigest()


def seal_folder(source: Path, target: Path, key: bytes,
                kept: list[Path]) -> list[dict[str, Any]]:
    """Copy the files `kept` (relative to `source`) into `target` (made private), each
    sealed; their manifest entries: the sealed file's SHA-256 and size (what `restore`
    checks the backup's bytes against) and the plain content's (`plain_sha256`: what the
    register's hash is held to)."""
    target.mkdir(mode=folder_mode())
    target.chmod(folder_mode())
    entries = []
    for relative in kept:
        into = target / relative
        _private_parents(target, into)
        try:
            plain = _sealed_copy(source / relative, into, key)
        except FileNotFoundError:
            into.unlink(missing_ok=True)
            continue  # removed meanwhile (a destroyed file's letter): not in the copy
        entries.append({"path": f"{target.name}/{relative.as_posix()}",
                        "sha256": sha256_of(into), "size": into.stat().st_size,
                        "plain_sha256": plain})
    return entries


def open_folder(source: Path, target: Path, key: bytes | None) -> list[str]:
    """Copy every file of the backup's letters folder `source` into the new private folder
    `target`, opening each sealed one with `key`; a plain one (a backup taken before
    encryption, or of a plain database) as it is. Returns the files (relative to `source`)
    whose seal does not open, left out: the caller decides (a letter the register puts
    back, or a refusal)."""
    target.mkdir(mode=folder_mode())
    target.chmod(folder_mode())
    broken = []
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        if path.is_symlink() or not path.is_file():
            continue
        into = target / path.relative_to(source)
        _private_parents(target, into)
        handle = os.open(into, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode())
        try:
            with os.fdopen(handle, "wb") as writer:
                for chunk in plain_chunks(path, key if is_sealed(path) else None):
                    writer.write(chunk)
                writer.flush()
                os.fsync(writer.fileno())
        except SealBroken:
            into.unlink()
            broken.append(path.relative_to(source).as_posix())
    return broken
