"""The whole content of the bound database as lines, to check that a refusal changed nothing:
SQLite's own dump (schema and rows), or on PostgreSQL every table's rows in key order.

PostgreSQL's sequences are left out: a refused insert rolled back still used a number of its
table's sequence, where SQLite's rollback takes the number back too.
"""

from __future__ import annotations

from typing import Any

from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import database_proxy


def dump() -> list[str]:
    db: Any = database_proxy.obj
    if is_sqlite(db):
        return list(db.connection().iterdump())
    lines: list[str] = []
    tables = [row[0] for row in db.execute_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name")]
    for table in tables:
        lines.append(f"TABLE {table}")
        lines.extend(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                     for row in db.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1'))
    return lines


def fingerprint(path: Any) -> str:
    """What shows that nothing at all was written: the SQLite file's bytes hashed, or on
    PostgreSQL (the path is then the unused SQLite file's) the whole dump of the server
    database bound now, hashed."""
    import hashlib
    from pathlib import Path

    if is_sqlite():
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return hashlib.sha256("\n".join(dump()).encode()).hexdigest()
