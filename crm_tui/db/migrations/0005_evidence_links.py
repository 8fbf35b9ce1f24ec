"""Schema version 5, for weighing evidence: the matters a customer has raised (and when each
was closed), each contact's matter, and links from evidence to the referral and restrictions
that rest on it."""

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    class Case(Model):
        class Meta:
            database = db
            table_name = "case"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class ContactLogEntry(Model):
        class Meta:
            database = db
            table_name = "contact_log_entry"

    class EvidenceItem(Model):
        class Meta:
            database = db
            table_name = "evidence_item"

    class Referral(Model):
        class Meta:
            database = db
            table_name = "referral"

    class Restriction(Model):
        class Meta:
            database = db
            table_name = "restriction"

    class Matter(Model):
        case = ForeignKeyField(Case, backref="matters", on_delete="CASCADE")
        title = CharField()
        closed_on = DateField(null=True)
        outcome = TextField(default="")
        recorded_by = ForeignKeyField(User)
        recorded_at = DateTimeField()

        class Meta:
            database = db
            table_name = "matter"

    class EvidenceLink(Model):
        case = ForeignKeyField(Case, on_delete="CASCADE")
        contact = ForeignKeyField(ContactLogEntry, null=True, on_delete="CASCADE")
        document = ForeignKeyField(EvidenceItem, null=True, on_delete="CASCADE")
        referral = ForeignKeyField(Referral, null=True, on_delete="CASCADE")
        restriction = ForeignKeyField(Restriction, null=True, on_delete="CASCADE")
        linked_by = ForeignKeyField(User)
        linked_at = DateTimeField()

        class Meta:
            database = db
            table_name = "evidence_link"

    db.create_tables([Matter, EvidenceLink])
    # Adding a nullable column is a schema-only change in SQLite: instant on millions of rows.
    migrator.migrate(migrator.add_column(
        "contact_log_entry", "matter_id",
        ForeignKeyField(Matter, null=True, field=Matter.id, on_delete="SET NULL")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("contact_log_entry", "matter_id"),
                     migrator.drop_table("evidence_link"), migrator.drop_table("matter"))
