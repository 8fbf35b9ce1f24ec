"""Everything that is PostgreSQL's own dialect, beside `sqlite.py`: full-text search with a
`tsvector` column and a GIN index, date arithmetic, and the rest the two engines say apart.

Search: each document's words, accents taken off (`unaccent`) and split at every character
that is not a letter or digit (as SQLite's unicode61 tokenizer splits them), are indexed with
the `simple` configuration (no stemming, lower case); the user's words are each matched as a
prefix (`word:*`), all of them required, as FTS5's `"word"*` query does.
"""

from __future__ import annotations

from typing import Any

from peewee import SQL, Database, Expression, NodeList, Value, fn

# The search functions, the case documents and the contact log's search column. Created by
# migration 0004 (and again by 0020, which changes nothing here).
SEARCH_TEXT = (
    "CREATE OR REPLACE FUNCTION crm_search_text(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT lower(regexp_replace(public.unaccent('public.unaccent'::regdictionary, $1), "
    "'[^[:alnum:]]+', ' ', 'g')) $$")
PREFIX_QUERY = (
    "CREATE OR REPLACE FUNCTION crm_prefix_query(text) RETURNS tsquery "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT CASE WHEN btrim(crm_search_text($1)) = '' THEN NULL ELSE "
    "to_tsquery('simple'::regconfig, regexp_replace(btrim(crm_search_text($1)), '\\s+', "
    "':* & ', 'g') || ':*') END $$")
# The domain's deadline rule (domain.deadlines.deadline) in SQL, for the queries that count a
# deadline from a stored day: `days` calendar days, or working days skipping weekends and the
# bank holidays given. SQLite is lent the Python function instead (connection.lend_function).
DEADLINE = (
    "CREATE OR REPLACE FUNCTION crm_deadline(start date, days integer, working boolean, "
    "bank_holidays date[]) RETURNS date LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ "
    "DECLARE day date := start; counted integer := 0; "
    "BEGIN "
    "IF start IS NULL OR days IS NULL THEN RETURN NULL; END IF; "
    "IF days < 0 THEN RAISE EXCEPTION 'a deadline cannot be a negative number of days'; "
    "END IF; "
    "IF NOT working THEN RETURN start + days; END IF; "
    "WHILE counted < days LOOP "
    "day := day + 1; "
    "IF extract(isodow FROM day) < 6 AND NOT (day = ANY(bank_holidays)) THEN "
    "counted := counted + 1; END IF; "
    "END LOOP; "
    "RETURN day; "
    "END $$")
DOCUMENT = "to_tsvector('simple'::regconfig, crm_search_text({}))"


def _execute(db: Database, sql: str, params: tuple[Any, ...] = ()) -> Any:
    return db.execute_sql(sql, params)  # type: ignore[no-untyped-call]


def create_search_tables(db: Database) -> None:
    _execute(db, "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    _execute(db, SEARCH_TEXT)
    _execute(db, PREFIX_QUERY)
    _execute(db,
        "CREATE TABLE IF NOT EXISTS case_search (case_id INTEGER PRIMARY KEY, "
        "body TEXT NOT NULL, "
        f"document tsvector GENERATED ALWAYS AS ({DOCUMENT.format('body')}) STORED)")
    _execute(db, "CREATE INDEX IF NOT EXISTS case_search_document ON case_search "
                 "USING gin (document)")
    _execute(db,
        "ALTER TABLE contact_log_entry ADD COLUMN IF NOT EXISTS summary_search tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT.format('summary')}) STORED")
    _execute(db, "CREATE INDEX IF NOT EXISTS contact_log_entry_summary_search "
                 "ON contact_log_entry USING gin (summary_search)")


def create_functions(db: Database) -> None:
    """The SQL functions the services' queries call (created by migration 0004)."""
    _execute(db, DEADLINE)


def deadline(start: Any, days: int, working: bool, bank_holidays: list[Any]) -> Any:
    """The deadline `days` (working) days after the day `start`, as a date."""
    return fn.crm_deadline(_cast(start, "DATE"), days, working,
                           _cast(Value(bank_holidays, unpack=False), "DATE[]"))


def drop_search_tables(db: Database) -> None:
    _execute(db, "DROP INDEX IF EXISTS contact_log_entry_summary_search")
    _execute(db, "ALTER TABLE contact_log_entry DROP COLUMN IF EXISTS summary_search")
    _execute(db, "DROP TABLE IF EXISTS case_search")
    _execute(db, "DROP FUNCTION IF EXISTS crm_prefix_query(text)")
    _execute(db, "DROP FUNCTION IF EXISTS crm_search_text(text)")


def index_case(db: Database, case_id: int, body: str) -> None:
    _execute(db, "INSERT INTO case_search (case_id, body) VALUES (%s, %s) "
                 "ON CONFLICT (case_id) DO UPDATE SET body = EXCLUDED.body", (case_id, body))


def forget_case(db: Database, case_id: int) -> None:
    _execute(db, "DELETE FROM case_search WHERE case_id = %s", (case_id,))


def cases_matching(case_id_column: Any, customer_id_column: Any, text: str,
                   contact_limit: int) -> Expression:
    in_case = case_id_column.in_(SQL(
        "(SELECT case_id FROM case_search WHERE document @@ crm_prefix_query(%s))", [text]))
    in_contacts = customer_id_column.in_(SQL(
        "(SELECT customer_id FROM contact_log_entry WHERE summary_search @@ "
        f"crm_prefix_query(%s) LIMIT {int(contact_limit)})", [text]))
    condition: Expression = in_case | in_contacts
    return condition


def _cast(node: Any, to: str) -> Any:
    return NodeList((SQL("CAST("), node, SQL(f" AS {to})")), glue="")


def week_start(column: Any) -> Any:
    return fn.to_char(fn.date_trunc("week", column), "YYYY-MM-DD").coerce(False)


def month(column: Any) -> Any:
    return fn.to_char(column, "YYYY-MM").coerce(False)


def hour(column: Any) -> Any:
    return _cast(fn.date_part("hour", column), "INTEGER")


def weekday(column: Any) -> Any:
    return _cast(fn.date_part("dow", column), "INTEGER")


def day(column: Any) -> Any:
    return _cast(column, "DATE")


# The advisory lock every write transaction takes first: one writer at a time, as on SQLite.
WRITE_LOCK = 0x63726D_747569  # "crm tui"


def take_write_lock(db: Database) -> None:
    """Wait (up to lock_timeout) for the database's write lock, held until the transaction
    ends; taken again inside it (a savepoint), it is already held."""
    _execute(db, "SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))


# What `dialect.checkpoint` vacuums after a destruction: the search documents and the log
# sheet with its search column, whose words a destroyed file leaves in dead rows and in the
# GIN indexes' entries until they are vacuumed.
VACUUMED = ("case_search", "contact_log_entry")


def vacuum_search(db: Database) -> bool:
    """VACUUM the search tables, outside any transaction (VACUUM cannot run inside one):
    the dead rows a destruction left are removed from the tables' pages and their index
    entries from the indexes, so no later read, search or page of the index holds them.
    PostgreSQL does not zero the space freed, as SQLite's secure_delete does: it is written
    over as it is reused. A login that does not own the tables is skipped by the server
    with a warning (its autovacuum does the same in time): True either way; False when the
    server refused (a lock held past the busy timeout), for the next checkpoint to try."""
    if db.in_transaction():
        return False
    try:
        _execute(db, "VACUUM " + ", ".join(VACUUMED))
    except Exception:  # the next destruction's checkpoint vacuums again
        return False
    return True


def is_busy(error: BaseException) -> bool:
    """Another writer held what this one needed for the whole wait (lock_timeout), or the
    two could not both go on (a deadlock or serialization failure, one of them refused)."""
    # peewee's error wraps the driver's (its first argument, and its context).
    for cause in (error, error.__cause__, error.__context__, *error.args[:1]):
        if getattr(cause, "pgcode", None) in {"55P03", "40P01", "40001"}:
            return True
    return False


def server_refusal(error: BaseException) -> str | None:
    """What the server said in refusing a write to this login (insufficient privilege: a
    row-level policy, a grant, or a guard of server_roles saying why), in the app's words;
    None for any other error."""
    for cause in (error, error.__cause__, error.__context__, *error.args[:1]):
        if getattr(cause, "pgcode", None) != "42501":
            continue
        diag = getattr(cause, "diag", None)
        said = str(getattr(diag, "message_primary", "") or "").strip()
        table = str(getattr(diag, "table_name", "") or "")
        if not said or said.startswith(("new row violates", "permission denied")):
            where = f" ({table.replace('_', ' ')})" if table else ""
            return f"this login's role may not make this change{where}"
        return said
    return None
