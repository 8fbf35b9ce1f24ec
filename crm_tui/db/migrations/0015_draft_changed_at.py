"""Schema version 15: when each restriction last changed, so that a Head of Service's view
cannot be dated before the restrictions it is about were set out as they now stand. Rows from
before keep their drafting time as their last change."""

from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("restriction", "changed_at",
                                         DateTimeField(null=True)))
    db.execute_sql("UPDATE restriction SET changed_at = drafted_at")


def down(migrator, db):
    migrator.migrate(migrator.drop_column("restriction", "changed_at"))
