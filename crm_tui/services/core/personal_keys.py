"""Each person's own key file and the keyring that may hold its passphrase. The key signs
their letters and confirms their decisions of consequence; it is kept in a passphrase-protected
file readable by its owner only. The passphrase lives in the operating system's keyring through
`keyring`; with no secure keyring the app says so and asks for it each time — it never writes it
to a file. A keyring that marks itself as insecure (keyrings.alt's plain-text file, say) counts
as none."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crm_tui.config import data_dir
from crm_tui.services.core.database_facts import signing_folder

if TYPE_CHECKING:  # keyring loads when a passphrase or key is first looked for, not at start
    from keyring.backend import KeyringBackend

SERVICE = "crm-tui signing key"


def key_folder() -> Path:
    return signing_folder() or data_dir() / "signing"


def key_file(login: str) -> Path:
    return key_folder() / f"{login}.p12"


def _keyring_user(login: str) -> str:
    # The key file's path tells a demo key from a real one with the same login.
    return f"{login} ({key_file(login)})"


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(backend.priority)
    except Exception:  # a backend that cannot work here may raise, keyring says
        return 0.0


def _keyrings() -> tuple[list[KeyringBackend], list[KeyringBackend]]:
    """The keyrings a passphrase may be kept in, and those found here but not secure. keyring's
    own rule: a priority of 1 or more is a recommended backend; below 1 (keyrings.alt's
    plain-text file is 0.5) merely "suitable"; 0 or less, no keyring at all. A chain is judged
    by its members, so that one holding only insecure backends is not used either."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    chosen = keyring.get_keyring()
    members = list(chosen.backends) if isinstance(chosen, ChainerBackend) else [chosen]
    secure = [b for b in members if _priority(b) >= 1]
    insecure = [b for b in members if 0 < _priority(b) < 1]
    return secure, insecure


def keyring_usable() -> bool:
    """Whether this computer offers a secure keyring to keep passphrases in."""
    return bool(_keyrings()[0])


def keyring_problem() -> str | None:
    """Why passphrases are not kept in a keyring here, in a few words; None when they are."""
    secure, insecure = _keyrings()
    if secure:
        return None
    if insecure:
        return "the keyring here is not a secure one, so it is not used"
    return "this computer has no keyring to keep it in"


_insecure_keyring_told = False  # one notice per process


def keyring_notice() -> str | None:
    """The first time in this process that a keyring is found and not used because it marks
    itself as insecure: a sentence saying so, for the user. None every other time."""
    global _insecure_keyring_told
    secure, insecure = _keyrings()
    if secure or not insecure or _insecure_keyring_told:
        return None
    _insecure_keyring_told = True
    names = ", ".join(f"{type(b).__module__}.{type(b).__name__} (priority {_priority(b):g})"
                      for b in insecure)
    return (f"The keyring found here, {names}, marks itself as insecure (a secure keyring "
            "has priority 1 or more; a plain-text file, for one, does not), so no passphrase "
            "is ever kept in it: you are asked for your signing key's passphrase when you sign.")


def store_passphrase(login: str, passphrase: str) -> bool:
    """Keep the passphrase in a secure keyring; False (and nothing written) if there is none."""
    from keyring.errors import KeyringError

    for backend in _keyrings()[0]:
        try:
            backend.set_password(SERVICE, _keyring_user(login), passphrase)
        except NotImplementedError:  # this backend cannot store (keyring's chain does the same)
            continue
        except KeyringError:
            return False
        return True
    return False


def stored_passphrase(login: str) -> str | None:
    """The passphrase kept for `login` in a secure keyring, if any."""
    from keyring.errors import KeyringError

    for backend in _keyrings()[0]:
        try:
            value = backend.get_password(SERVICE, _keyring_user(login))
        except KeyringError:
            return None
        if value is not None:
            return str(value)
    return None


