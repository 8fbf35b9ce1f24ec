"""A keyring that keeps secrets in a plain file, as keyrings.alt's PlaintextKeyring does, and
rates itself accordingly (priority 0.5, below keyring's 1 for a recommended backend). The app
must treat it as no keyring. Its file lives in the test's tmp_path; the developer's own keyring
is never asked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
import keyring.backend
from keyring.backends.chainer import ChainerBackend

from crm_tui.services.core import personal_keys


class PlainFileKeyring(keyring.backend.KeyringBackend):
    priority = 0.5  # type: ignore[assignment]

    def __init__(self, file: Path) -> None:
        super().__init__()
        self.file = file

    def get_password(self, service: str, username: str) -> str | None:
        if not self.file.exists():
            return None
        for line in self.file.read_text().splitlines():
            kept_service, kept_user, password = line.split("\t")
            if (kept_service, kept_user) == (service, username):
                return password
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        with self.file.open("a") as out:
            out.write(f"{service}\t{username}\t{password}\n")

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError


def chain(*members: keyring.backend.KeyringBackend) -> ChainerBackend:
    """keyring's chain over exactly these backends (not those installed on this computer)."""
    chained = type("Chain", (ChainerBackend,), {"backends": list(members)})
    return chained()  # type: ignore[no-any-return]


@contextmanager
def keyring_in_use(backend: keyring.backend.KeyringBackend) -> Iterator[None]:
    """Use `backend` as the keyring, as if this were a new process (nothing said yet)."""
    previous = keyring.get_keyring()
    told = personal_keys._insecure_keyring_told
    keyring.set_keyring(backend)
    personal_keys._insecure_keyring_told = False
    try:
        yield
    finally:
        keyring.set_keyring(previous)
        personal_keys._insecure_keyring_told = told
