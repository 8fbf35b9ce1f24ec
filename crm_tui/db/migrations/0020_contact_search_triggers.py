"""Schema version 20: the contact log's search index kept current again. Version 18 added a
column to contact_log_entry, which SQLite's migrator does by rebuilding the table, and that
dropped the triggers that keep `contact_search` current: contacts logged since were not found
by search, and a destroyed customer's contacts logged before stayed in the index's data (its
'delete' entry was never written). The triggers are made again, and the index is rebuilt from
the contact log (which also drops the entries of contacts deleted meanwhile)."""

from crm_tui.db.dialect import create_search_tables, rebuild_contact_search


def up(migrator, db):
    # PostgreSQL's search column is computed with each row: nothing was lost there, and
    # making the (existing) column and index again changes nothing.
    create_search_tables(db)
    rebuild_contact_search(db)


def down(migrator, db):
    pass  # the triggers are version 4's: nothing to take back
