"""Schema version 18: a version on every record a person edits from a view that can be
stale: the customer's details, a prepared letter, a logged contact (a drafted restriction has
had one since it was first drafted). Each change raises it; a save from a view of an earlier
version is refused with what changed, so that nobody overwrites another's change unseen."""

from peewee import SQL, IntegerField

TABLES = ("customer", "letter", "contact_log_entry")


def up(migrator, db):
    # A default in the schema too: rows written by plain SQL (the benchmark seed) start at 1.
    migrator.migrate(*(migrator.add_column(table, "version", IntegerField(
        default=1, constraints=[SQL("DEFAULT 1")])) for table in TABLES))


def down(migrator, db):
    migrator.migrate(*(migrator.drop_column(table, "version") for table in TABLES))
