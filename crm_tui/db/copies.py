"""A database file copied and checked as a whole, with SQLite's own means: the online backup
API (a consistent copy while others read and write), the integrity check, and whether anyone
has the file open. Used by backups and restores (services/retention/backup.py). An encrypted
database is opened with its key (cipher.py), and its copy is encrypted with the same key.

SQLite only, and never reached on PostgreSQL: every function opens the file itself. Its
callers are `crm-tui backup`, `restore` and `encryption` (which refuse a server URL before
anything is opened: cli_privacy.ON_SERVER, cli_encryption.ON_SERVER) and `beside`, which
database_facts uses only for a database that is a file (dialect.database_path)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from crm_tui.db import cipher
from crm_tui.db.errors import DatabaseError
from crm_tui.db.models import AuditEntry, AuditHead, EvidenceItem


def _read_only(path: Path) -> Any:
    return cipher.connect(path, uri=f"{path.resolve().as_uri()}?mode=ro")


def copy_online(source: Path, target: Path, busy_timeout: float) -> None:
    """Copy the database at `source` into a new file `target` while the app may be using it.
    The copy is taken in one step, so it is the database as it was at one moment (a read
    snapshot: writers carry on meanwhile); it is left a single self-contained file, with no
    write-ahead log beside it."""
    encrypted = cipher.is_encrypted(source)
    raw = cipher.key() if encrypted else None
    with closing(cipher.connect(source, encrypted=encrypted, raw_key=raw,
                                timeout=busy_timeout)) as live, \
            closing(cipher.connect(target, encrypted=encrypted, raw_key=raw)) as copy:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")


def integrity_problems(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` finds wrong with the database file (none: [])."""
    try:
        with closing(_read_only(path)) as db:
            rows = [str(row[0]) for row in db.execute("PRAGMA integrity_check")]
    except DatabaseError as exc:  # encrypted, and no key here opens it
        return [str(exc)]
    except cipher.errors() as exc:
        return [f"it cannot be read as a database ({exc})"]
    return [] if rows == ["ok"] else rows


def audit_head(path: Path) -> tuple[str, int]:
    """The audit trail's recorded head (`SEQ:HASH`, as `audit anchor` prints it) and how
    many entries the file holds."""
    head_table = AuditHead._meta.table_name
    entry_table = AuditEntry._meta.table_name
    with closing(_read_only(path)) as db:
        head = db.execute(f'SELECT seq, entry_hash FROM "{head_table}" WHERE id = 1').fetchone()
        count = db.execute(f'SELECT count(*) FROM "{entry_table}"').fetchone()[0]
    return (f"{head[0]}:{head[1]}" if head else f"0:{'0' * 64}"), int(count)


def document_hashes(path: Path) -> set[str]:
    """The SHA-256 of every document the database at `path` records."""
    table = EvidenceItem._meta.table_name
    with closing(_read_only(path)) as db:
        return {str(sha) for (sha,) in db.execute(f'SELECT DISTINCT sha256 FROM "{table}"')}


def destroyed_since(replaced: Path, backup: Path) -> list[tuple[str, str]]:
    """The files the trail of the database at `replaced` records destroying (reference, and
    the day of its entry) that the database at `backup` still holds as cases: a restore of
    `backup` in place of `replaced` would bring them back. Empty if `replaced` cannot be
    read (a damaged database, about to be restored over)."""
    entry_table = AuditEntry._meta.table_name
    try:
        # Not read-only: a read-only connection to a database in WAL mode leaves its -wal and
        # -shm files behind, and a refused restore must leave the folder as it was; the last
        # connection to close removes them.
        with closing(cipher.connect(replaced)) as db:
            destroyed = db.execute(
                f'SELECT case_reference, MAX("at") FROM "{entry_table}" WHERE action = '
                "'destroy' GROUP BY case_reference ORDER BY case_reference").fetchall()
    except cipher.failures():
        return []
    except DatabaseError:
        return []
    if not destroyed:
        return []
    days = {str(reference): str(at)[:10] for reference, at in destroyed}
    marks = ", ".join("?" for _ in days)
    with closing(_read_only(backup)) as db:
        held = {str(row[0]) for row in db.execute(
            f'SELECT reference FROM "case" WHERE state != \'destroyed\' AND reference IN '
            f"({marks})", list(days)).fetchall()}
    return [(reference, day) for reference, day in days.items() if reference in held]


def setting(path: Path, key: str) -> str | None:
    """One of the database's own settings (the demo keeps its evidence folder there). Not
    read-only, as in destroyed_since: a read-only connection to a database in WAL mode leaves
    its -wal and -shm files behind, and a restore refused after asking whether the database
    is a demo must leave its folder as it was (found when tried)."""
    with closing(cipher.connect(path)) as db:
        row = db.execute('SELECT "value" FROM setting WHERE "key" = ?', (key,)).fetchone()
    return str(row[0]) if row else None


def entries_lacking(replaced: Path, backup: Path) -> int:
    """How many entries of the trail of the database at `replaced` the trail of the one at
    `backup` does not hold (the same number with the same hash): what a restore of `backup` in
    its place leaves out. 0 if `replaced` cannot be read (a damaged database, about to be
    restored over). Found when tried (v16g G6): every restore said entries were left out,
    also into a new database and over a trail whose head was the backup's."""
    entry_table = AuditEntry._meta.table_name
    query = f'SELECT seq, entry_hash FROM "{entry_table}"'
    try:
        # Not read-only, as in destroyed_since: a refused restore leaves no -wal or -shm.
        with closing(cipher.connect(replaced)) as db:
            live = {(int(seq), str(entry_hash)) for seq, entry_hash in db.execute(query)}
    except cipher.failures():
        return 0
    except DatabaseError:
        return 0
    if not live:
        return 0
    with closing(_read_only(backup)) as db:
        kept = {(int(seq), str(entry_hash)) for seq, entry_hash in db.execute(query)}
    return len(live - kept)


def own_setting(path: Path, key: str) -> str | None:
    """`setting`, or None for a file that is not there or cannot be read as a database (a
    damaged one, about to be restored over)."""
    if not path.is_file():
        return None
    try:
        return setting(path, key)
    except cipher.failures():
        return None
    except DatabaseError:
        return None


def beside(database: Path, name: str) -> Path | None:
    """A database's own folder (the demo's evidence, its signing keys), which its settings
    name: always beside the database, by name, so that a copied or moved demo uses its own
    folders, never the original's. A setting from before (an absolute path) counts by its
    last part alone; one that names no folder ("", "..") counts as none."""
    last = Path(name).name
    return database.parent / last if last not in ("", ".", "..") else None


def evidence_folder(path: Path, key: str, configured: Path) -> Path:
    """Where the database at `path` keeps its evidence: its own folder (the demo's, named in
    its settings under `key`, beside it), else the configured one. Backup and restore both ask
    this; a restore never asks the backup's database."""
    own = own_setting(path, key)
    return (beside(path, own) if own else None) or configured


def put_setting(path: Path, key: str, value: str | None, busy_timeout: float = 5) -> None:
    """Set one of the database's own settings (None: remove it): in a copy being restored, or
    (waiting up to `busy_timeout` for another person's save) one the app may have open."""
    with closing(cipher.connect(path, timeout=busy_timeout)) as db, db:
        if value is None:
            db.execute('DELETE FROM setting WHERE "key" = ?', (key,))
        else:
            db.execute('INSERT OR REPLACE INTO setting ("key", "value") VALUES (?, ?)',
                       (key, value))


def in_use(path: Path) -> bool:
    """Whether another connection (the app, a command) has the database open. The app keeps
    it in WAL mode; leaving WAL mode needs every other connection closed, so the attempt tells,
    at once. Done, it also folds the write-ahead log back into the file and removes it (and
    the shared-memory file), so that a stale log can never be applied to another file put in
    its place. A database not in WAL mode is not known to be in use."""
    if not path.exists():
        return False
    with closing(cipher.connect(path, timeout=0)) as db:
        try:
            db.execute("PRAGMA journal_mode = DELETE").fetchone()
        except cipher.errors() as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return True
            raise
    return False


@contextmanager
def held_alone(path: Path) -> Iterator[bool]:
    """Whether no one else has the database open (as `in_use`, the other way round); and if
    so, the file kept locked against everyone (an exclusive lock) until the block ends, so
    that no program opening it meanwhile reads or writes it while it is being replaced: one
    that tries waits (its busy timeout) instead."""
    if not path.exists():
        yield True
        return
    with closing(cipher.connect(path, timeout=0, isolation_level=None)) as db:
        try:
            db.execute("PRAGMA journal_mode = DELETE").fetchone()
            db.execute("BEGIN EXCLUSIVE")
        except cipher.errors() as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                yield False
                return
            raise
        try:
            yield True
        finally:
            db.execute("ROLLBACK")
