"""Files the app writes hold personal data or secrets: each is readable by its owner only,
and appears whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def write_private(target: Path, produce: Callable[[Path], object]) -> Path:
    """`produce` writes to a private name beside `target`, which then replaces it."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_suffix(".partial")
    partial.touch(mode=0o600)  # private before a byte is written
    try:
        produce(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    target.chmod(0o600)
    return target


def write_private_bytes(target: Path, data: bytes) -> Path:
    return write_private(target, lambda path: path.write_bytes(data))
