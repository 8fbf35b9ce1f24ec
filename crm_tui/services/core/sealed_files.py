"""An evidence file's bytes encrypted at rest: AES-256-GCM in chunks of 1 MiB, each chunk
sealed with its own nonce (the file's random prefix and the chunk's number) and marked last or
not, so that a chunk cannot be dropped, reordered or cut off unnoticed. The key is the
evidence store's, derived from the database key (database_key.evidence_key). A file says
itself whether it is sealed (its first bytes), so that a store can hold both while one is
being encrypted or decrypted.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# cryptography loads when a file is sealed or a sealed one read, not at start.

MAGIC = b"crm-tui sealed evidence 1\n"
PREFIX = 8
TAG = 16
CHUNK = 1 << 20


class SealBroken(Exception):
    """A sealed file does not open with this key: changed, cut short, or sealed with another
    key."""


def is_sealed(path: Path) -> bool:
    try:
        with path.open("rb") as reader:
            return reader.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + number.to_bytes(4, "big")


def _aad(last: bool) -> bytes:
    return MAGIC + (b"\x01" if last else b"\x00")


class Sealer:
    """Writes plain chunks to `writer` sealed, one `CHUNK` at a time; `close` seals the last."""

    def __init__(self, writer: BinaryIO, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._writer = writer
        self._aead = AESGCM(key)
        self._prefix = os.urandom(PREFIX)
        self._number = 0
        self._pending = b""
        writer.write(MAGIC + self._prefix)

    def write(self, data: bytes) -> None:
        self._pending += data
        while len(self._pending) > CHUNK:
            self._seal(self._pending[:CHUNK], last=False)
            self._pending = self._pending[CHUNK:]

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        if self._number >= 1 << 32:
            raise ValueError("too large to seal")
        self._writer.write(self._aead.encrypt(_nonce(self._prefix, self._number), chunk,
                                              _aad(last)))
        self._number += 1

    def close(self) -> None:
        self._seal(self._pending, last=True)
        self._pending = b""


def plain_chunks(path: Path, key: bytes | None) -> Iterator[bytes]:
    """The plain content of a stored file, in chunks: read through the seal when it is
    sealed (SealBroken if it does not open), as it is when it is not."""
    with path.open("rb") as reader:
        head = reader.read(len(MAGIC))
        if head != MAGIC:
            if head:
                yield head
            while chunk := reader.read(CHUNK):
                yield chunk
            return
        if key is None:
            raise SealBroken("this document is encrypted, and the database key is not "
                             "available to open it")
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        aead = AESGCM(key)
        prefix = reader.read(PREFIX)
        if len(prefix) != PREFIX:
            raise SealBroken("the encrypted copy is cut short")
        number = 0
        sealed = reader.read(CHUNK + TAG)
        while True:
            following = reader.read(CHUNK + TAG)
            last = not following
            try:
                yield aead.decrypt(_nonce(prefix, number), sealed, _aad(last))
            except InvalidTag:
                raise SealBroken("the encrypted copy does not open: it was changed or cut "
                                 "short, or sealed with another key") from None
            if last:
                return
            sealed, number = following, number + 1
