"""Schema version 16, for letters a council would post as they are.

- A letter is a record: it belongs to the event it is about (`source`, e.g. "decision:12"),
  carries its own date and appeal-by date worked out at issue, the content it was issued with
  (JSON), and the signed bytes themselves (`letter_file`), so an export of an issued letter is
  a copy of the very same file. A lost letter is re-sent as a marked duplicate of the original.
- Posting: when, which class of post, a recorded-delivery number, who, and the print pack.
- Words for the customer kept apart from the internal record: each decision, restriction,
  appeal outcome, proposal and local resolution has what the customer is told, in the second
  person, beside the internal reasons.
- The customer's preferred form of address, language (an interpreter or translation is
  offered in it) and large-print size; each user's direct telephone and email (a single point
  of contact or a named officer is a user the letter can give the details of).
"""

from peewee import (
    BlobField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    def table(name):
        class Existing(Model):
            class Meta:
                database = db
                table_name = name
        return Existing

    Letter, User = table("letter"), table("user")

    class LetterFile(Model):
        letter = ForeignKeyField(Letter, unique=True, on_delete="CASCADE")
        pdf = BlobField()

        class Meta:
            database = db
            table_name = "letter_file"

    db.create_tables([LetterFile])
    migrator.migrate(
        migrator.add_column("customer", "form_of_address", CharField(default="")),
        migrator.add_column("customer", "language", CharField(default="")),
        migrator.add_column("customer", "large_print_pt", IntegerField(null=True)),
        migrator.add_column("user", "telephone", CharField(default="")),
        migrator.add_column("user", "email", CharField(default="")),
        migrator.add_column("local_resolution", "spoc_id",
                            ForeignKeyField(User, null=True, field=User.id)),
        migrator.add_column("local_resolution", "customer_summary", TextField(default="")),
        migrator.add_column("decision", "customer_reason", TextField(default="")),
        migrator.add_column("restriction", "customer_reason", TextField(default="")),
        migrator.add_column("appeal", "customer_reason", TextField(default="")),
        migrator.add_column("extension_proposal", "customer_reason", TextField(default="")),
        migrator.add_column("letter", "source", CharField(default="", index=True)),
        migrator.add_column("letter", "written_on", DateField(null=True)),
        migrator.add_column("letter", "content", TextField(default="")),
        migrator.add_column("letter", "edits", TextField(default="")),
        migrator.add_column("letter", "appeal_by", DateField(null=True)),
        migrator.add_column("letter", "duplicate_of_id",
                            ForeignKeyField(Letter, null=True, field=Letter.id)),
        migrator.add_column("letter", "posted_on", DateField(null=True)),
        migrator.add_column("letter", "post_class", CharField(default="")),
        migrator.add_column("letter", "tracking", CharField(default="")),
        migrator.add_column("letter", "posted_by_id",
                            ForeignKeyField(User, null=True, field=User.id)),
        migrator.add_column("letter", "print_pack", CharField(default="")),
        migrator.add_column("letter", "posted_at", DateTimeField(null=True)),
    )


def down(migrator, db):
    # SQLite will not drop a column an index still names.
    migrator.migrate(*[migrator.drop_index(t, name) for t, name in (
        ("local_resolution", "local_resolution_spoc_id"), ("letter", "letter_source"),
        ("letter", "letter_duplicate_of_id"), ("letter", "letter_posted_by_id"))])
    migrator.migrate(*[migrator.drop_column(t, c) for t, c in (
        ("customer", "form_of_address"), ("customer", "language"),
        ("customer", "large_print_pt"), ("user", "telephone"), ("user", "email"),
        ("local_resolution", "spoc_id"), ("local_resolution", "customer_summary"),
        ("decision", "customer_reason"), ("restriction", "customer_reason"),
        ("appeal", "customer_reason"), ("extension_proposal", "customer_reason"),
        ("letter", "source"), ("letter", "written_on"), ("letter", "content"),
        ("letter", "edits"), ("letter", "appeal_by"), ("letter", "duplicate_of_id"),
        ("letter", "posted_on"), ("letter", "post_class"), ("letter", "tracking"),
        ("letter", "posted_by_id"), ("letter", "print_pack"), ("letter", "posted_at"))])
    migrator.migrate(migrator.drop_table("letter_file"))
