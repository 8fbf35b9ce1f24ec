"""The database key: 32 random bytes made by the app, kept in the operating system's keyring
through `keyring` under the same rules as signing passphrases (personal_keys.py: a keyring that
marks itself as insecure counts as none). Never written to a file, never logged.

Where no secure keyring can be had (a server's scheduled job, a machine whose keyring is a
plain-text file) the key may come from the environment, CRM_TUI_DATABASE_KEY (64 hexadecimal
characters), set by the council's own secret store for that job. No passphrase is derived
into a key: a passphrase shared by a team is written down and rarely changed, and would be
the whole strength of the encryption; a random key has its full strength wherever it is.

The evidence store's key is derived from it (HKDF-SHA256), so that one key opens both.
"""

from __future__ import annotations

import hashlib
import os
import secrets

from crm_tui.config import Config
from crm_tui.db import cipher
from crm_tui.db.cipher import KEY_BYTES, KeyUnavailable
from crm_tui.db.connection import EncryptedDatabase
from crm_tui.db.models import database_proxy
from crm_tui.services.core.personal_keys import _keyrings, keyring_problem

SERVICE = "crm-tui database key"
KEYRING_USER = "database"
ENVIRONMENT = "CRM_TUI_DATABASE_KEY"


def _key_from_hex(text: str, refusal: str) -> bytes:
    """A key written as 64 hexadecimal characters; KeyUnavailable(`refusal`) for anything
    else, so that a wrong value is never tried as a key."""
    try:
        raw = bytes.fromhex(text.strip())
    except ValueError:
        raw = b""
    if len(raw) != KEY_BYTES:
        raise KeyUnavailable(refusal)
    return raw


def _from_environment() -> bytes | None:
    text = os.environ.get(ENVIRONMENT, "").strip()
    if not text:
        return None
    return _key_from_hex(text, f"{ENVIRONMENT} is set, but not to a database key (64 "
                               "hexadecimal characters); nothing was opened")


def _from_keyring() -> bytes | None:
    from keyring.errors import KeyringError  # keyring loads when a key is looked for

    for backend in _keyrings()[0]:
        try:
            value = backend.get_password(SERVICE, KEYRING_USER)
        except KeyringError:
            return None
        if value is not None:
            return _key_from_hex(str(value), f"the keyring's entry \"{SERVICE}\" is not a "
                                             "database key; nothing was opened")
    return None


def _to_keyring(raw: bytes) -> bool:
    from keyring.errors import KeyringError

    for backend in _keyrings()[0]:
        try:
            backend.set_password(SERVICE, KEYRING_USER, raw.hex())
        except NotImplementedError:
            continue
        except KeyringError:
            return False
        return True
    return False


def found() -> bytes | None:
    """The key, from the environment or a secure keyring; None when neither holds one."""
    return _from_environment() or _from_keyring()


def _missing() -> str:
    why = keyring_problem()
    where = f"your keyring ({why})" if why else "your keyring"
    return (f"this database is encrypted; its key is not in {where}, and {ENVIRONMENT} is not "
            "set. Ask whoever keeps the council's copy of the key to put it in your keyring "
            "(crm-tui encryption import-key), or, for a scheduled job, set "
            f"{ENVIRONMENT} from the council's secret store; nothing was opened")


def database_key(create: bool = False) -> bytes:
    """The database key; made (and kept in the keyring) when `create` and there is none.
    KeyUnavailable, saying what to do, when it cannot be had."""
    raw = found()
    if raw is not None:
        return raw
    if not create:
        raise KeyUnavailable(_missing())
    raw = secrets.token_bytes(KEY_BYTES)
    if not _to_keyring(raw):
        why = keyring_problem() or "the keyring refused it"
        raise KeyUnavailable(f"an encrypted database needs its key kept in a secure keyring, "
                             f"and {why}: set {ENVIRONMENT} from the council's secret store "
                             "instead; nothing was made")
    return raw


def import_key(text: str) -> str:
    """Keep a key given as 64 hexadecimal characters in the keyring (a second officer of a
    team, a restored laptop); its fingerprint. Refused if another key is there already."""
    raw = _key_from_hex(text, "that is not a database key (64 hexadecimal characters); "
                              "nothing was kept")
    there = _from_keyring()
    if there is not None and there != raw:
        raise KeyUnavailable(f"your keyring holds another database key already "
                             f"({fingerprint(there)}); nothing was kept")
    if not _to_keyring(raw):
        why = keyring_problem() or "the keyring refused it"
        raise KeyUnavailable(f"the key cannot be kept: {why}")
    return fingerprint(raw)


def fingerprint(raw: bytes) -> str:
    """A short name for a key, safe to print and to write in a backup's manifest: it tells
    which key opens a file without telling the key."""
    text = hashlib.sha256(b"crm-tui database key fingerprint\0" + raw).hexdigest()[:16]
    return ":".join(text[i:i + 4] for i in range(0, 16, 4))


def evidence_key(raw: bytes) -> bytes:
    # cryptography loads when a key is used: a plain database never does at start.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"crm-tui evidence store 1").derive(raw)


def key_in_use() -> bytes | None:
    """The key of the database the models are bound to; None when it is not encrypted."""
    db = database_proxy.obj
    return db.raw_key if isinstance(db, EncryptedDatabase) else None


def evidence_key_in_use() -> bytes | None:
    raw = key_in_use()
    return evidence_key(raw) if raw is not None else None


def install(config: Config) -> None:
    """Open encrypted databases with this key; make new ones encrypted when configured."""
    cipher.use_key(database_key, encrypt_new=config.encrypt_database)
