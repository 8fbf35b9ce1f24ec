"""The contact log's search index as it stands, read directly (not through the services'
search): SQLite's contact_search table, kept by triggers, or on PostgreSQL the contact log's
own `summary_search` column (computed with each row)."""

from __future__ import annotations

from peewee import SQL

from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import ContactLogEntry, database_proxy


def contacts_found(word: str) -> list[int]:
    """The contacts (their ids) the index finds by `word`."""
    if is_sqlite():
        return [int(row[0]) for row in database_proxy.obj.execute_sql(
            "SELECT rowid FROM contact_search WHERE contact_search MATCH ?", (word,)).fetchall()]
    return [int(i) for (i,) in ContactLogEntry.select(ContactLogEntry.id).where(
        SQL("summary_search @@ crm_prefix_query(%s)", [word])).tuples()]
