"""How the bound database would run a query, for the tests that an index is used: SQLite's
EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN. A test's tables are small, and PostgreSQL reads a
small table whole rather than through an index; the plan is asked with sequential scans
turned off (for that transaction only), so that it shows whether the index can serve the query
as written, as it would on a table of thousands of entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import database_proxy


@contextmanager
def no_whole_table_reads() -> Iterator[Any]:
    """On PostgreSQL, a transaction in which the planner reads through an index wherever it
    can; on SQLite, only the database (its planner picks an index as the tests expect)."""
    db: Any = database_proxy.obj
    if is_sqlite(db):
        yield db
        return
    with db.atomic():
        db.execute_sql("SET LOCAL enable_seqscan = off")
        yield db


def plan(query: Any) -> str:
    """The plan of a peewee query (or of (sql, params)), its lines joined."""
    sql, params = query if isinstance(query, tuple) else query.sql()
    with no_whole_table_reads() as db:
        if is_sqlite(db):
            return " ".join(str(row[3]) for row in
                            db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
        return " ".join(str(row[0]) for row in db.execute_sql(f"EXPLAIN {sql}", params))


def uses_index(shown: str, name: str) -> bool:
    """Whether the plan reads through the index `name`."""
    if is_sqlite():
        return f"USING INDEX {name}" in shown
    return any(f"{way} {name}" in shown for way in
               ("Index Scan using", "Index Scan Backward using", "Index Only Scan using",
                "Index Only Scan Backward using", "Bitmap Index Scan on"))


def sorts(shown: str) -> bool:
    """Whether the plan sorts the rows it reads (SQLite's temporary B-tree; a Sort node)."""
    if is_sqlite():
        return "TEMP B-TREE" in shown
    return "Sort " in shown or shown.startswith("Sort")
