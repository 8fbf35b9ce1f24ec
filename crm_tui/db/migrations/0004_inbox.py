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

from crm_tui.db import postgres
from crm_tui.db.dialect import (
    create_search_tables,
    drop_search_tables,
    is_sqlite,
    rebuild_contact_search,
)


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
    create_search_tables(db)  # SQLite: FTS5 tables; PostgreSQL: tsvector columns, GIN indexes
    if not is_sqlite(db):
        postgres.create_functions(db)
    rebuild_contact_search(db)
    joined = ("group_concat(r.behaviour_details, ' ')" if is_sqlite(db)
              else "string_agg(r.behaviour_details, ' ' ORDER BY r.id)")
    rows = db.execute_sql(
        'SELECT c.id, c.reference, COALESCE(cu.reference, \'\'), COALESCE(cu.name, \'\'), '
        f"COALESCE((SELECT {joined} FROM referral r "
        'WHERE r.case_id = c.id), \'\') FROM "case" c LEFT JOIN customer cu '
        "ON cu.id = c.customer_id").fetchall()
    key = "rowid" if is_sqlite(db) else "case_id"
    for case_id, *parts in rows:
        db.execute_sql(f"INSERT INTO case_search ({key}, body) VALUES ({db.param}, {db.param})",
                       (case_id, " ".join(parts)))


def down(migrator, db):
    drop_search_tables(db)
    db.execute_sql("DROP TABLE IF EXISTS case_note")
    migrator.migrate(
        migrator.drop_index("case", "case_received_on"),
        migrator.drop_column("case", "categories"),
        migrator.drop_column("case", "received_on"),
    )
