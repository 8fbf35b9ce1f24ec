"""Encryption at rest of the database file, through SQLCipher (the `sqlcipher3` package, the
`encrypted` extra). A file says itself whether it is encrypted: a plain SQLite file begins
with "SQLite format 3", an SQLCipher one with random bytes. Every place that opens the file
(the models' database, backups, restores, the demo's checks, the watcher of outside changes)
connects through `connect` here, so that each meets an encrypted file the same way.

The key is one random 256-bit key, given to SQLCipher raw (no passphrase stretching: it has
the entropy already). This layer does not know where it is kept: the services install a key
source (services/core/database_key.py: the OS keyring, or an environment variable), which
returns it or raises KeyUnavailable saying what to do.

SQLite only. On PostgreSQL nothing here is reached: connection.open_database makes a server
database without it, `crm-tui encryption` refuses a server URL (the server's own encryption at
rest does this there), and the watcher of outside changes watches a server by its own
connection (outside_changes._OnServer).
"""

from __future__ import annotations

import math
import os
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from crm_tui.db.errors import DatabaseError

_SQLCIPHER = "sqlcipher3.dbapi2"


@cache
def _sqlcipher() -> Any:
    """SQLCipher's module (the `encrypted` extra), or None where it is not installed: imported
    at the first encrypted file, not at every start (a plain file never needs it: perf7)."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:  # pragma: no cover - the test environment installs it
        return None
    return dbapi2

PLAIN_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
# An SQLCipher file is whole pages (4096 bytes by default, 512 at the least).
SMALLEST_PAGE = 512


def errors() -> tuple[type[Exception], ...]:
    """SQLite's errors, either module's: SQLCipher's once it is imported (none of its errors
    can be raised before it is). Asked for where an error is caught, not kept at import."""
    loaded = sys.modules.get(_SQLCIPHER)
    return (sqlite3.Error,) + ((loaded.Error,) if loaded is not None else ())


class KeyProblem(DatabaseError):
    """The database is encrypted and cannot be opened here. (Its own class between the two
    below and DatabaseError: peewee re-raises an error whose class or first base is named
    like a DB-API error as its own, which would lose the words.)"""


class KeyUnavailable(KeyProblem):
    """The database is encrypted and its key cannot be had here: the message says why and
    what to do. Nothing was opened or changed."""


class WrongKey(KeyProblem):
    """The key found does not open this encrypted database."""


KeySource = Callable[[bool], bytes]


def _no_source(create: bool = False) -> bytes:
    raise KeyUnavailable("this database is encrypted, and this program was not given a way to "
                         "find its key")


_source: KeySource = _no_source
_encrypt_new = False


def use_key(source: KeySource, *, encrypt_new: bool) -> None:
    """Where the key comes from, and whether a database made from now on is encrypted."""
    global _source, _encrypt_new
    _source = source
    _encrypt_new = encrypt_new


def encrypt_new() -> bool:
    return _encrypt_new


def key(create: bool = False) -> bytes:
    """The database key (KeyUnavailable when it cannot be had); made, if the source can,
    when `create` (a new encrypted database)."""
    found = _source(create)
    if len(found) != KEY_BYTES:
        raise KeyUnavailable(f"the database key found is not {KEY_BYTES} bytes long: it is "
                             "not a crm-tui database key")
    return found


def available() -> bool:
    """Whether SQLCipher is installed (the `encrypted` extra)."""
    return _sqlcipher() is not None


def require_available() -> None:
    if _sqlcipher() is None:
        raise KeyUnavailable("encryption needs SQLCipher, which is not installed here: "
                             "install crm-tui with its 'encrypted' extra "
                             "(pip install 'crm-tui[encrypted]')")


# A descriptor kept open for each database file whose header this process has read, never
# closed: closing ANY descriptor of a file drops every POSIX lock the process holds on it, and
# a command run beside the app then took itself for the database's last user and deleted
# the write-ahead log under the app (found when tried: the database was corrupted). Keyed by
# the file itself, so that a file renamed over the path is read through its own.
_readers: dict[tuple[int, int], int] = {}


def _reader(path: Path) -> int:
    """The descriptor kept open for the file at `path` (see `_readers`)."""
    found = path.stat()
    handle = _readers.get((found.st_dev, found.st_ino))
    if handle is None:
        handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        opened = os.fstat(handle)
        # Kept under the file opened, should the path have moved in between (a second
        # reader of one file, then, is kept open too rather than closed).
        _readers.setdefault((opened.st_dev, opened.st_ino), handle)
    return handle


def _header(path: Path) -> tuple[bytes, int]:
    """The file's first bytes and its size, read without ever closing a descriptor of it."""
    handle = _reader(path)
    return os.pread(handle, len(PLAIN_HEADER), 0), os.fstat(handle).st_size


# An SQLCipher file is random bytes from end to end (its salt, then pages encrypted and
# authenticated); a plain SQLite file whose first page was damaged is not, past that page. A
# few blocks are looked at, one at the start of each of the first pages: all must look random.
SAMPLE_BYTES = 1024
SAMPLES = 8
SAMPLE_STRIDE = 4096
# Six standard deviations above what random bytes give (255, deviation about 22.6).
RANDOM_SPREAD = 255 + 6 * math.sqrt(2 * 255)


def _looks_random(block: bytes) -> bool:
    """Whether the bytes are spread as random ones are (a chi-square test over the 256 byte
    values: about 255 for random bytes, a few thousand for a database page, text or zeros)."""
    expected = len(block) / 256
    counts = Counter(block)
    spread = sum((counts.get(value, 0) - expected) ** 2 for value in range(256)) / expected
    return spread < RANDOM_SPREAD


def _all_random(path: Path, size: int) -> bool:
    handle = _reader(path)
    offsets = range(0, min(size, SAMPLES * SAMPLE_STRIDE), SAMPLE_STRIDE)
    return all(_looks_random(os.pread(handle, min(SAMPLE_BYTES, size - at), at))
               for at in offsets)


def is_encrypted(path: Path) -> bool:
    """Whether the file at `path` is an SQLCipher database: not a plain SQLite file, whole
    pages long, and random-looking throughout (so that a stray text file, or an SQLite file
    whose first page was damaged, is told apart: SQLite then calls it no database)."""
    try:
        head, size = _header(path)
        # SQLCipher begins a file with its random salt: never the plain header, never zeros.
        return (size > 0 and size % SMALLEST_PAGE == 0 and head != PLAIN_HEADER
                and head.strip(b"\0") != b"" and _all_random(path, size))
    except OSError:
        return False


def damaged(exc: BaseException) -> bool:
    """Whether SQLite's error `exc` says the file is damaged or no database at all (what a
    file that is neither SQLite's nor an SQLCipher one we recognise is met with)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(exc)
    return "malformed" in text or "not a database" in text


SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26


def damaged_message(path: Path | str, exc: BaseException) -> str:
    return (f"the file at {path} is damaged, or is not a database at all (SQLite cannot "
            f"read it: {exc})")


def is_new(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def wanted(path: Path) -> bool:
    """Whether the file at `path` is opened with the key: it is encrypted, or it is about to
    be made and new databases are encrypted."""
    return is_encrypted(path) or (_encrypt_new and is_new(path))


def key_pragma(raw: bytes) -> str:
    """SQLCipher's raw-key form (x'…' inside the text): no key derivation at each open."""
    return f"x'{raw.hex()}'"


def unlock(connection: Any, raw: bytes, path: Path | str) -> None:
    """Give an SQLCipher connection its key and prove that it opens the file: WrongKey, in
    words, where SQLite would say "file is not a database"."""
    # SQLCipher would otherwise write its own log lines to the terminal on a wrong key.
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = \"{key_pragma(raw)}\"")
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except errors() as exc:
        raise WrongKey(wrong_key_message(path)) from exc


def wrong_key_message(path: Path | str) -> str:
    return (f"the database at {path} is encrypted, and the database key found here does not "
            "open it (it was encrypted with another key, or it is not a crm-tui database). "
            "Put its own key in your keyring (crm-tui encryption import-key), or set "
            "CRM_TUI_DATABASE_KEY; nothing was changed")


def connect(path: Path, *, uri: str | None = None, encrypted: bool | None = None,
            raw_key: bytes | None = None, **options: Any) -> Any:
    """A DB-API connection to the database file at `path` (or to the SQLite `uri` naming
    it), keyed when it is encrypted (`encrypted`: decided by the caller, for a new file)."""
    if encrypted is None:
        encrypted = is_encrypted(path)
    if not encrypted:
        if uri is not None:
            return sqlite3.connect(uri, uri=True, **options)
        return sqlite3.connect(str(path), **options)
    require_available()
    module = _sqlcipher()
    raw = raw_key if raw_key is not None else key()
    connection = (module.connect(uri, uri=True, **options) if uri is not None
                  else module.connect(str(path), **options))
    try:
        unlock(connection, raw, path)
    except BaseException:
        connection.close()
        raise
    return connection


def failures() -> tuple[type[Exception], ...]:
    """What opening a database file through `connect` may raise: SQLite's errors (either
    module's: errors) and a key problem."""
    return (*errors(), KeyProblem)


def export(source: Path, target: Path, *, source_key: bytes | None,
           target_key: bytes | None) -> None:
    """Write the whole database at `source` into the new file `target`, encrypted with
    `target_key` (None: plain), with SQLCipher's own export: every table, index, trigger and
    full-text index, row for row, so that the audit trail's hashes still hold. The caller
    makes sure nobody writes to `source` meanwhile, and puts `target` in its place."""
    require_available()
    connection = _sqlcipher().connect(str(source), isolation_level=None)
    try:
        if source_key is not None:
            unlock(connection, source_key, source)
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        target_text = key_pragma(target_key) if target_key is not None else ""
        connection.execute("ATTACH DATABASE ? AS target KEY ?", (str(target), target_text))
        connection.execute("SELECT sqlcipher_export('target')")
        connection.execute(f"PRAGMA target.user_version = {version}")
        connection.execute("DETACH DATABASE target")
    finally:
        connection.close()
    with target.open("rb+") as written:
        os.fsync(written.fileno())
