"""Encrypting an existing plain database and its evidence store, or decrypting them again
(`crm-tui encryption encrypt` / `decrypt`). All or nothing for the database: the whole file is
written anew beside it (SQLCipher's export, row for row, so that the audit trail still
verifies), the audit entry saying who did it is written into that new file, its trail
verified, and only then is it renamed over the old one: a run killed before the rename leaves
the old database as it was, and the half-written one is removed by the next run. The
evidence files are then sealed (or opened) one at a time, each written beside and renamed
over; the store reads both kinds, so a run killed among them leaves every file readable, and
running the command again finishes them. Decrypting does the files first, then the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from crm_tui.db import cipher, copies
from crm_tui.db.connection import DatabaseError, open_database
from crm_tui.db.models import database_proxy
from crm_tui.domain.errors import DomainError
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.files import fsync_folder
from crm_tui.private_files import secure_file
from crm_tui.services.core import audit, database_key
from crm_tui.services.core.evidence_store import evidence_store
from crm_tui.services.core.sealed_files import SealBroken, Sealer, is_sealed, plain_chunks

_SHA = re.compile(r"[0-9a-f]{64}")
STAGED = ".encryption-"


class EncryptionProblem(DomainError):
    """Encrypting or decrypting was refused, saying why; the database is as it was."""


@dataclass(frozen=True)
class EncryptionDone:
    database: Path
    encrypted: bool
    database_changed: bool  # False: it was already so, and only evidence files were left
    files_changed: int
    files_skipped: tuple[str, ...]  # not named by their content's hash: left as they were
    fingerprint: str
    audit_entries: int


def _staged(database: Path) -> Path:
    return database.with_name(f".{database.name}{STAGED}{os.getpid()}")


def _remove_leftovers(database: Path) -> None:
    """Half-written copies a killed run left beside the database."""
    for old in database.parent.glob(f".{database.name}{STAGED}*"):
        with contextlib.suppress(OSError):
            old.unlink()


def _store_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("??/*") if p.is_file() and not p.is_symlink()
                  and _SHA.fullmatch(p.name))


def _rewrite(root: Path, path: Path, key: bytes | None, seal: bool) -> bool:
    """Write `path`'s plain content anew, sealed or plain, and rename it over: only if that
    content is still the one its name says (else False, and it is left alone). The partial
    copy is named as the store's own, so that the next start's sweep removes one a kill
    left."""
    partial = root / f".incoming-encryption-{os.getpid()}-{path.name}"
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as writer:
            secure_file(partial)
            sealer = Sealer(writer, key) if seal and key is not None else None
            for chunk in plain_chunks(path, key):
                digest.update(chunk)
                (sealer or writer).write(chunk)
            if sealer is not None:
                sealer.close()
            writer.flush()
            os.fsync(writer.fileno())
        if digest.hexdigest() != path.name:
            return False
        partial.replace(path)
        secure_file(path, read_only=True)
        return True
    except SealBroken:
        return False
    finally:
        partial.unlink(missing_ok=True)


def _files(root: Path, key: bytes | None, seal: bool) -> tuple[int, tuple[str, ...]]:
    changed, skipped = 0, []
    for path in _store_files(root):
        if is_sealed(path) == seal:
            continue
        if _rewrite(root, path, key, seal):
            changed += 1
        else:
            skipped.append(path.name)
    if changed:
        fsync_folder(root)
    return changed, tuple(skipped)


def _switch(actor: Actor, database: Path, key: bytes, encrypt: bool,
            busy_timeout: float) -> int:
    """Write the database anew beside it, encrypted or plain, with the audit entry, verify
    its trail, and rename it over the old one. The number of audit entries checked."""
    database_proxy.close()
    if copies.in_use(database):
        raise EncryptionProblem(f"{database} is open (the app, or a command, is using it): "
                                "close it everywhere, then try again; nothing was changed")
    _remove_leftovers(database)
    staged = _staged(database)
    try:
        cipher.export(database, staged, source_key=None if encrypt else key,
                      target_key=key if encrypt else None)
        open_database(staged, migrate=False, busy_timeout=busy_timeout)
        action = "database encrypted" if encrypt else "database decrypted"
        audit.record(actor, action, payload={"key_fingerprint": database_key.fingerprint(key)})
        result = audit.verify()
        database_proxy.close()
        if not result.ok:
            raise EncryptionProblem(f"the new copy's audit trail does not verify "
                                    f"({result.broken}); nothing was changed")
        copies.in_use(staged)  # folds its write-ahead log back into the file
        with staged.open("rb+") as written:
            os.fsync(written.fileno())
        for side in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            side.unlink(missing_ok=True)  # emptied by in_use above; never applied to the new
        staged.replace(database)
        fsync_folder(database.parent)
    except BaseException:
        database_proxy.close()
        staged.unlink(missing_ok=True)
        for side in (Path(f"{staged}-wal"), Path(f"{staged}-shm")):
            side.unlink(missing_ok=True)
        raise
    return result.checked


def encrypt(actor: Actor, database: Path, busy_timeout: float = 30) -> EncryptionDone:
    """Encrypt the plain database at `database` (open, bound to the models) and seal its
    evidence store, with the database key (made and kept in the keyring if there is none).
    A database already encrypted: only evidence files left plain by a stopped run are sealed."""
    require(actor, Capability.ENCRYPT_DATABASE)
    root = evidence_store().root
    already = cipher.is_encrypted(database)
    try:
        cipher.require_available()
        key = database_key.key_in_use() if already else database_key.database_key(create=True)
    except DatabaseError as exc:
        raise EncryptionProblem(str(exc)) from None
    assert key is not None
    checked = 0
    if not already:
        checked = _switch(actor, database, key, True, busy_timeout)
        open_database(database, busy_timeout=busy_timeout)
    changed, skipped = _files(root, database_key.evidence_key(key), seal=True)
    return EncryptionDone(database, True, not already, changed, skipped,
                          database_key.fingerprint(key), checked)


def decrypt(actor: Actor, database: Path, busy_timeout: float = 30) -> EncryptionDone:
    """Open the seals of the evidence store, then write the database anew as a plain file.
    The key stays in the keyring: the backups taken while it was encrypted need it."""
    require(actor, Capability.ENCRYPT_DATABASE)
    root = evidence_store().root
    key = database_key.key_in_use()
    if key is None:
        raise EncryptionProblem(f"the database at {database} is not encrypted; nothing was "
                                "changed")
    changed, skipped = _files(root, database_key.evidence_key(key), seal=False)
    checked = _switch(actor, database, key, False, busy_timeout)
    open_database(database, busy_timeout=busy_timeout)
    return EncryptionDone(database, False, True, changed, skipped,
                          database_key.fingerprint(key), checked)


__all__ = ["EncryptionDone", "EncryptionProblem", "decrypt", "encrypt"]
