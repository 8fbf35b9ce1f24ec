"""The evidence store: files copied in under their SHA-256, read-only, so that a changed or
missing file can be detected and a copy can be proven to be the one relied on. With an
encrypted database the files are sealed (sealed_files.py) with a key derived from its key;
they are still named and verified by the SHA-256 of their plain content, and read through
the store (`chunks`, `read_bytes`), never from the path."""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from crm_tui.domain.characters import shown_bytes, undecodable_problem
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.typed_dates import quoted
from crm_tui.private_files import secure_file, secure_folder
from crm_tui.services.core import database_facts, database_key, settings
from crm_tui.services.core.sealed_files import SealBroken, Sealer, plain_chunks

CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str
    original_name: str
    newly_stored: bool  # False when the same content was already in the store


class EvidenceStore:
    def __init__(self, root: Path, max_bytes: int, key: bytes | None = None) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.key = key  # files stored from now on are sealed with it; None: kept plain

    def holds(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _check(self, source: Path) -> os.stat_result:
        field = shown_bytes(source.name or str(source))
        # Bytes in its name that are not UTF-8 (issue 16: a folder's `note\\xff.txt` ended in a
        # UnicodeEncodeError when its name was stored, and left the app's I "Working…").
        undecodable = undecodable_problem(str(source), "rename the file in UTF-8")
        if undecodable:
            raise ValidationError(field, f"its name {undecodable}")
        try:
            info = source.lstat()
        except FileNotFoundError:
            raise ValidationError(field, "the file does not exist (was it moved?)") from None
        except OSError as exc:
            raise ValidationError(field, f"cannot be read: {exc.strerror}") from None
        if stat.S_ISLNK(info.st_mode):
            raise ValidationError(field, "is a link; choose the file itself")
        if not stat.S_ISREG(info.st_mode):
            raise ValidationError(field, "is not an ordinary file (a folder or a device)")
        if info.st_size == 0:
            raise ValidationError(field, "is empty (0 bytes)")
        if info.st_size > self.max_bytes:
            raise ValidationError(field, f"is {info.st_size / 1e6:.1f} MB; the limit is "
                                  f"{self.max_bytes / 1e6:.0f} MB (evidence_max_mb)")
        return info

    def check(self, source: Path) -> None:
        """Refuse a file as `store` would before reading it (missing, empty, too large…),
        so that every file's problem can be told before any is copied."""
        self._check(source)

    def store(self, source: Path) -> StoredFile:
        """Copy a file in. Raises ValidationError naming the file when it is refused; a file
        that changes or vanishes while it is read is refused too, and nothing is left."""
        info = self._check(source)
        secure_folder(self.root)
        digest = hashlib.sha256()
        partial = self.root / f".incoming-{os.getpid()}-{id(source)}"
        try:
            with source.open("rb") as reader, partial.open("wb") as writer:
                secure_file(partial)
                sealer = Sealer(writer, self.key) if self.key is not None else None
                size = 0
                while chunk := reader.read(CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise ValidationError(source.name, "grew past the size limit while "
                                              "it was being read")
                    digest.update(chunk)
                    (sealer or writer).write(chunk)
                if sealer is not None:
                    sealer.close()
                # On the disk before it takes its name: a crash never leaves a stored file
                # shorter than its hash says.
                writer.flush()
                os.fsync(writer.fileno())
            if size != info.st_size:
                raise ValidationError(source.name, "changed while it was being read; try again")
            sha = digest.hexdigest()
            target = self.path_for(sha)
            new = not target.exists()
            if new:
                secure_folder(target.parent)
                partial.replace(target)
                secure_file(target, read_only=True)
            else:
                # Already there (perhaps left by a run that was killed): made as new as this
                # copy, so that the next start's sweep does not take it for a leftover while
                # this run records it.
                with contextlib.suppress(OSError):
                    os.utime(target)
        except FileNotFoundError:
            raise ValidationError(source.name, "vanished while it was being read") from None
        finally:
            partial.unlink(missing_ok=True)
        media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        return StoredFile(sha, size, media_type, source.name, new)

    def discard(self, stored: StoredFile) -> None:
        """Remove a file this import copied in, when the import as a whole fails."""
        if stored.newly_stored:
            target = self.path_for(stored.sha256)
            if target.exists():
                target.chmod(0o600)
                target.unlink()

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The stored file's plain content, in chunks (opened through its seal, if sealed).
        SealBroken when a sealed file does not open; FileNotFoundError when it is missing."""
        return plain_chunks(self.path_for(sha256), self.key)

    def read_bytes(self, sha256: str) -> bytes:
        """The stored file's plain content, whole (a document to read or copy out)."""
        return b"".join(self.chunks(sha256))

    def verify(self, sha256: str) -> str:
        """'ok', 'missing' or 'changed' (a sealed file that does not open is changed)."""
        target = self.path_for(sha256)
        if not target.exists():
            return "missing"
        digest = hashlib.sha256()
        try:
            for chunk in self.chunks(sha256):
                digest.update(chunk)
        except SealBroken:
            return "changed"
        return "ok" if digest.hexdigest() == sha256 else "changed"


def require_whole(documents: Iterable[tuple[str, str]], written: str) -> None:
    """Refuse, before anything is written, an export that would vouch for a document (its
    name, its SHA-256) whose file is missing from the store or changed in it: `written` says
    what was not ("no answer", "no bundle"). Each file is read: an evidence bundle listed the
    recorded SHA-256 of a document rewritten in the store (t16 F5), as a subject access
    answer once released one."""
    store = evidence_store()
    problems = [f"{quoted(name)} is {said}" for name, sha256 in documents
                if (said := store.verify(sha256)) != "ok"]
    if problems:
        raise ValidationError("documents", (
            f"the evidence store is not whole, so {written} was written: "
            + "; ".join(problems) + ". `crm-tui evidence verify` lists what is wrong; put the "
            "documents back from a backup, then export again"))


def evidence_store() -> EvidenceStore:
    """This database's evidence store: its own folder if it has one (the demo's), else the
    configured one; sealing what it stores when the database is encrypted."""
    config = settings.current()
    root = database_facts.evidence_folder() or config.evidence_path()
    return EvidenceStore(root, config.evidence_max_mb * 1_000_000,
                         database_key.evidence_key_in_use())
