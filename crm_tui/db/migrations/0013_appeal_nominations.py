"""Schema version 13, for appeals that stand up: the Service Director's nominations of officers
to decide appeals (for one case or for a period, revocable), and on each appeal the state the
case was in when it was lodged (a confirmed appeal returns it there) and the nomination under
which it was decided.

Appeals recorded before this version were all lodged on restricted cases and decided by a
holder of the Service Director role: they keep "restricted" and no nomination."""

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Case(Model):
        class Meta:
            database = db
            table_name = "case"

    class Nomination(Model):
        nominee = ForeignKeyField(User)
        nominated_by = ForeignKeyField(User)
        nominated_at = DateTimeField()
        case = ForeignKeyField(Case, null=True, on_delete="CASCADE")
        valid_from = DateField(null=True)
        valid_until = DateField(null=True)
        reason = TextField()
        revoked_at = DateTimeField(null=True)
        revoked_by = ForeignKeyField(User, null=True)
        revoke_reason = TextField(default="")

        class Meta:
            database = db
            table_name = "nomination"

    db.create_tables([Nomination])
    migrator.migrate(
        migrator.add_column("appeal", "lodged_from", CharField(default="restricted")),
        migrator.add_column("appeal", "nomination_id",
                            ForeignKeyField(Nomination, null=True, field=Nomination.id)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("appeal", "appeal_nomination_id"),
        migrator.drop_column("appeal", "nomination_id"),
        migrator.drop_column("appeal", "lodged_from"),
        migrator.drop_table("nomination"),
    )
