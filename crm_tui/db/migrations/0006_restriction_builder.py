"""Schema version 6, for the restriction builder: the customer's contact needs (for the
equality check), each restriction's equality justification, and breaches of restrictions."""

from peewee import CharField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("customer", "contact_needs", CharField(default="")),
        migrator.add_column("restriction", "equality_note", TextField(default="")),
    )

    class Case(Model):
        class Meta:
            database = db
            table_name = "case"

    class ContactLogEntry(Model):
        class Meta:
            database = db
            table_name = "contact_log_entry"

    class Restriction(Model):
        class Meta:
            database = db
            table_name = "restriction"

    class Breach(Model):
        contact = ForeignKeyField(ContactLogEntry, backref="breaches", on_delete="CASCADE")
        restriction = ForeignKeyField(Restriction, backref="breaches", on_delete="CASCADE")
        case = ForeignKeyField(Case, backref="breaches", on_delete="CASCADE")
        reason = TextField()
        recorded_at = DateTimeField()

        class Meta:
            database = db
            table_name = "breach"

    db.create_tables([Breach])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("breach"),
                     migrator.drop_column("restriction", "equality_note"),
                     migrator.drop_column("customer", "contact_needs"))
