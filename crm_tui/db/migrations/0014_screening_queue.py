"""Schema version 14, for screened post: contacts filed without reply are queued to be read,
and each is given one outcome, by whom and when."""

from peewee import CharField, DateTimeField, ForeignKeyField, Model, SqliteDatabase, TextField


def up(migrator, db):
    def table(name):
        class Existing(Model):
            class Meta:
                database = db
                table_name = name
        return Existing

    ContactLogEntry, Case, Matter, User = (table(name) for name in (
        "contact_log_entry", "case", "matter", "user"))

    class ScreeningItem(Model):
        contact = ForeignKeyField(ContactLogEntry, unique=True, on_delete="CASCADE")
        case = ForeignKeyField(Case, on_delete="CASCADE")
        arrived_at = DateTimeField()
        reasons = TextField()
        advice = TextField(default="")
        queued_at = DateTimeField()
        outcome = CharField(default="")
        note = TextField(default="")
        matter = ForeignKeyField(Matter, null=True, on_delete="SET NULL")
        passed_to = CharField(default="")
        passed_how = TextField(default="")
        screened_by = ForeignKeyField(User, null=True)
        screened_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "screening_item"
            indexes = ((("outcome", "arrived_at"), False),)

    db.create_tables([ScreeningItem])
    # Breaches recorded before this version were filed without any record that they were read:
    # they join the queue, unread, rather than pass as screened.
    # Each contact's reasons, one a line (SQLite's group_concat, PostgreSQL's string_agg).
    reasons = ("group_concat(b.reason, char(10))" if isinstance(db, SqliteDatabase)
               else "string_agg(b.reason, chr(10) ORDER BY b.id)")
    db.execute_sql(
        "INSERT INTO screening_item (contact_id, case_id, arrived_at, reasons, advice, "
        "queued_at, outcome, note, passed_to, passed_how) "
        f"SELECT b.contact_id, MIN(b.case_id), e.at, {reasons}, '', "
        "MIN(b.recorded_at), '', '', '', '' FROM breach b "
        "JOIN restriction r ON r.id = b.restriction_id "
        "JOIN contact_log_entry e ON e.id = b.contact_id "
        "WHERE r.kind IN ('form_of_contact', 'telephone_times', 'new_issues_only', "
        "'block_electronic') GROUP BY b.contact_id, e.at")


def down(migrator, db):
    migrator.migrate(migrator.drop_table("screening_item"))
