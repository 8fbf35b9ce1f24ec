"""Schema version 19: a destroyed file's tombstone keeps its outcome categories (issue 16):
how the file ended (closed with no action, restrictions lifted, ended on their date, removed
on appeal), the kinds of restriction imposed and the appeal outcomes. No personal data."""

from peewee import SQL, CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("tombstone", "outcome", CharField(
        default="", constraints=[SQL("DEFAULT ''")])))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("tombstone", "outcome"))
