"""Schema version 4, for the referral inbox: each case carries its received date and
behaviour categories; triage notes; full-text search over cases and contact summaries."""

import datetime

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from crm_tui.db.sqlite import create_search_tables, drop_search_tables


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("case", "received_on", DateField(null=True)),
        migrator.add_column("case", "categories", IntegerField(default=0)),
        migrator.add_index("case", ("received_on",), False),
    )
    db.execute_sql(
        'UPDATE "case" SET received_on = (SELECT MAX(r.received_on) FROM referral r '
        'WHERE r.case_id = "case".id), categories = COALESCE((SELECT r.categories FROM '
        'referral r WHERE r.case_id = "case".id ORDER BY r.id DESC LIMIT 1), 0)')

    class Case(Model):
        class Meta:
            database = db
            table_name = "case"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class CaseNote(Model):
        case = ForeignKeyField(Case, on_delete="CASCADE")
        kind = CharField()
        text = TextField()
        recorded_by = ForeignKeyField(User)
        recorded_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "case_note"

    db.create_tables([CaseNote])
    create_search_tables(db)
    db.execute_sql("INSERT INTO contact_search (contact_search) VALUES ('rebuild')")
    rows = db.execute_sql(
        'SELECT c.id, c.reference, COALESCE(cu.reference, \'\'), COALESCE(cu.name, \'\'), '
        "COALESCE((SELECT group_concat(r.behaviour_details, ' ') FROM referral r "
        'WHERE r.case_id = c.id), \'\') FROM "case" c LEFT JOIN customer cu '
        "ON cu.id = c.customer_id").fetchall()
    for case_id, *parts in rows:
        db.execute_sql("INSERT INTO case_search (rowid, body) VALUES (?, ?)",
                       (case_id, " ".join(parts)))


def down(migrator, db):
    drop_search_tables(db)
    db.execute_sql("DROP TABLE IF EXISTS case_note")
    migrator.migrate(
        migrator.drop_index("case", "case_received_on"),
        migrator.drop_column("case", "categories"),
        migrator.drop_column("case", "received_on"),
    )
