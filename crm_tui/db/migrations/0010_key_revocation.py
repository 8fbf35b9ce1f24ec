"""Schema version 10, for signing keys that belong to their holder: a replaced or revoked
certificate stays registered, with when it was revoked."""

from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("signing_certificate", "revoked_at", DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("signing_certificate", "revoked_at"))
