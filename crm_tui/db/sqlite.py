"""Everything that is SQLite's own dialect: connection pragmas and FTS5 full-text search.

Nothing else in the project writes SQLite-only SQL, so that a PostgreSQL database can be
served later by replacing this module's functions (tsvector in place of FTS5).
"""

from __future__ import annotations

import re
from typing import Any

from peewee import SQL, Database, Expression, SqliteDatabase, fn

# How long a writer waits for another person's write to finish before it gives up: long
# enough for a large import's one commit. `busy_timeout_seconds` in the configuration.
BUSY_TIMEOUT_SECONDS = 30

PRAGMAS: dict[str, Any] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_SECONDS * 1000,
    "synchronous": "normal",
    "cache_size": -64_000,
    # Deleted content is overwritten with zeros, not left in free pages: set on every
    # connection, not left to how this build of SQLite was compiled (retention: a destroyed
    # file's personal data must not stay readable in the file's bytes).
    "secure_delete": 1,
}


def pragmas(busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> dict[str, Any]:
    """The connection pragmas, with a writer's wait for the lock of `busy_timeout` seconds."""
    return {**PRAGMAS, "busy_timeout": int(busy_timeout * 1000)}


def write_transaction(db: Database) -> Any:
    """A transaction that takes the write lock when it begins (BEGIN IMMEDIATE), waiting up
    to the busy timeout for another writer to finish. A deferred one that reads first and
    writes later cannot wait: if another writer committed meanwhile, SQLite refuses it at
    once with "database is locked". Nested, it is a savepoint of the one around it."""
    if isinstance(db, SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def is_busy(error: BaseException) -> bool:
    """The database stayed locked by another writer for the whole busy timeout."""
    text = str(error).casefold()
    return "database is locked" in text or "database is busy" in text


_WORD = re.compile(r"\w+", re.UNICODE)


def _execute(db: Database, sql: str, params: tuple[Any, ...] = ()) -> Any:
    return db.execute_sql(sql, params)  # type: ignore[no-untyped-call]


def create_search_tables(db: Database) -> None:
    """One search document per case (reference, customer, referral text) and an index over
    the summaries of the contact log, kept current by triggers."""
    _execute(db,
        "CREATE VIRTUAL TABLE IF NOT EXISTS case_search USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 2')")
    _execute(db,
        "CREATE VIRTUAL TABLE IF NOT EXISTS contact_search USING fts5("
        "summary, content = 'contact_log_entry', content_rowid = 'id', "
        "tokenize = 'unicode61 remove_diacritics 2')")
    _execute(db,
        "CREATE TRIGGER IF NOT EXISTS contact_search_insert AFTER INSERT ON contact_log_entry "
        "BEGIN INSERT INTO contact_search (rowid, summary) VALUES (new.id, new.summary); END")
    _execute(db,
        "CREATE TRIGGER IF NOT EXISTS contact_search_delete AFTER DELETE ON contact_log_entry "
        "BEGIN INSERT INTO contact_search (contact_search, rowid, summary) "
        "VALUES ('delete', old.id, old.summary); END")
    _execute(db,
        "CREATE TRIGGER IF NOT EXISTS contact_search_update AFTER UPDATE OF summary "
        "ON contact_log_entry BEGIN "
        "INSERT INTO contact_search (contact_search, rowid, summary) "
        "VALUES ('delete', old.id, old.summary); "
        "INSERT INTO contact_search (rowid, summary) VALUES (new.id, new.summary); END")


def drop_search_tables(db: Database) -> None:
    for trigger in ("contact_search_insert", "contact_search_delete", "contact_search_update"):
        _execute(db, f"DROP TRIGGER IF EXISTS {trigger}")
    _execute(db, "DROP TABLE IF EXISTS contact_search")
    _execute(db, "DROP TABLE IF EXISTS case_search")


def rebuild_contact_search(db: Database) -> None:
    _execute(db, "INSERT INTO contact_search (contact_search) VALUES ('rebuild')")


def index_case(db: Database, case_id: int, body: str) -> None:
    _execute(db, "DELETE FROM case_search WHERE rowid = ?", (case_id,))
    _execute(db, "INSERT INTO case_search (rowid, body) VALUES (?, ?)", (case_id, body))


def forget_case(db: Database, case_id: int) -> None:
    _execute(db, "DELETE FROM case_search WHERE rowid = ?", (case_id,))


def purge_search(db: Database) -> None:
    """Rewrite both search indexes without what was deleted from them. FTS5 records a
    deletion as a marker in a new segment and keeps the words in the old one until segments
    merge; 'optimize' merges them all, so a destroyed file's words leave the index's data."""
    _execute(db, "INSERT INTO case_search (case_search) VALUES ('optimize')")
    _execute(db, "INSERT INTO contact_search (contact_search) VALUES ('optimize')")


# How long emptying the WAL waits for another connection's read to end (a read in the app is
# one query): not the writers' long busy timeout.
CHECKPOINT_WAIT_SECONDS = 2.0


def checkpoint(db: Database) -> bool:
    """Copy the WAL into the database file and empty it (TRUNCATE), so that pages written
    before a destruction do not stay in the WAL. False when another connection still reads
    an older moment and the WAL could not be emptied (the next checkpoint empties it)."""
    before = _execute(db, "PRAGMA busy_timeout").fetchone()[0]
    _execute(db, f"PRAGMA busy_timeout = {int(CHECKPOINT_WAIT_SECONDS * 1000)}")
    try:
        row = _execute(db, "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        _execute(db, f"PRAGMA busy_timeout = {int(before)}")
    return row is None or int(row[0]) == 0


def match_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must appear, each as a prefix. Quoting
    each word keeps FTS5 operators and punctuation in the input from being interpreted."""
    words = _WORD.findall(text)
    return " ".join(f'"{w}"*' for w in words)


# Contacts matching a common word can run to millions; the inbox needs the customers behind
# the first many of them, not all.
CONTACT_MATCH_LIMIT = 20_000


def cases_matching(case_id_column: Any, customer_id_column: Any, text: str) -> Expression:
    """A condition on cases: the case's document or one of its customer's contacts matches."""
    query = match_query(text)
    in_case = case_id_column.in_(SQL("(SELECT rowid FROM case_search WHERE case_search MATCH ?)",
                                     [query]))
    in_contacts = customer_id_column.in_(SQL(
        "(SELECT customer_id FROM contact_log_entry WHERE id IN (SELECT rowid FROM "
        f"contact_search WHERE contact_search MATCH ? LIMIT {CONTACT_MATCH_LIMIT}))", [query]))
    condition: Expression = in_case | in_contacts
    return condition


# Date arithmetic in SQL, for the evidence analysis (PostgreSQL: date_trunc / extract).
def week_start(column: Any) -> Any:
    """The Monday of the week of a timestamp, as 'YYYY-MM-DD'."""
    # coerce(False): peewee would otherwise read the result back as the column's type.
    return fn.date(column, "weekday 0", "-6 days").coerce(False)


def month(column: Any) -> Any:
    """'YYYY-MM' of a timestamp."""
    return fn.strftime("%Y-%m", column).coerce(False)


def hour(column: Any) -> Any:
    return fn.strftime("%H", column).cast("INTEGER")


def weekday(column: Any) -> Any:
    """0 for Sunday to 6 for Saturday."""
    return fn.strftime("%w", column).cast("INTEGER")


def day(column: Any) -> Any:
    """'YYYY-MM-DD' of a timestamp, to compare with a date column."""
    return fn.date(column).coerce(False)
