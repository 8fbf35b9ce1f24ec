"""Schema version 7, for signed letters: the register records each letter's status, the
certificate it was signed with and its text; signing certificates are kept as trust roots."""

from peewee import BooleanField, CharField, DateTimeField, Model, TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("letter", "status", CharField(default="issued")),
        migrator.add_column("letter", "cert_fingerprint", CharField(default="")),
        migrator.add_column("letter", "body", TextField(default="")),
        migrator.add_column("letter", "note", TextField(default="")),
    )

    class SigningCertificate(Model):
        login = CharField(index=True)
        fingerprint = CharField(unique=True)
        pem = TextField()
        subject = CharField()
        demo = BooleanField(default=False)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "signing_certificate"

    db.create_tables([SigningCertificate])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("signing_certificate"),
                     *[migrator.drop_column("letter", c)
                       for c in ("status", "cert_fingerprint", "body", "note")])
