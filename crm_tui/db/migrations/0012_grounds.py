"""Schema version 12, for the policy's safeguards on the grounds of a decision: the behaviour
each restriction answers, a description when a referral names "other" behaviour, escalation
records (police involvement, legal action, risk to staff), the warning given during local
resolution, and the CRM's decision to restrict without a prior warning.

Existing restrictions answer no behaviour until someone says which: a draft decided after the
upgrade must name it first (nothing is guessed from the referral on the CRM's behalf). A
local-resolution letter issued by an earlier version told the customer that continuing "could
lead to restrictions": where the register holds one, it is recorded as the warning it was,
given on the day it was signed, by its signer."""

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("referral", "other_behaviour", TextField(default="")),
        migrator.add_column("restriction", "behaviours", IntegerField(default=0)),
    )

    class Case(Model):
        class Meta:
            database = db
            table_name = "case"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class LocalResolution(Model):
        class Meta:
            database = db
            table_name = "local_resolution"

    class Escalation(Model):
        case = ForeignKeyField(Case, backref="escalations", on_delete="CASCADE")
        kind = CharField()
        occurred_on = DateField()
        reference = CharField(default="")
        note = TextField()
        recorded_by = ForeignKeyField(User)
        recorded_at = DateTimeField()

        class Meta:
            database = db
            table_name = "escalation"

    class PriorWarning(Model):
        case = ForeignKeyField(Case, backref="warnings", on_delete="CASCADE")
        given_on = DateField()
        means = CharField()
        summary = TextField()
        local_resolution = ForeignKeyField(LocalResolution, null=True, on_delete="CASCADE")
        recorded_by = ForeignKeyField(User)
        recorded_at = DateTimeField()

        class Meta:
            database = db
            table_name = "prior_warning"

    class NoPriorWarning(Model):
        case = ForeignKeyField(Case, backref="no_prior_warning", on_delete="CASCADE")
        escalation = ForeignKeyField(Escalation, on_delete="CASCADE")
        reasons = TextField()
        decided_by = ForeignKeyField(User)
        decided_at = DateTimeField()

        class Meta:
            database = db
            table_name = "no_prior_warning"

    db.create_tables([Escalation, PriorWarning, NoPriorWarning])
    # The day of a timestamp: SQLite's date() of its text, PostgreSQL's cast.
    day = "date(l.signed_at)" if isinstance(db, SqliteDatabase) else "CAST(l.signed_at AS DATE)"
    db.execute_sql(
        "INSERT INTO prior_warning (case_id, given_on, means, summary, local_resolution_id, "
        "recorded_by_id, recorded_at) "
        f"SELECT l.case_id, {day}, 'local_resolution_letter', {db.param}, "
        "(SELECT MAX(lr.id) FROM local_resolution lr WHERE lr.case_id = l.case_id), "
        "l.signed_by_id, l.signed_at FROM letter l "
        "WHERE l.kind = 'local_resolution' AND l.status = 'issued' "
        "AND l.signed_by_id IS NOT NULL AND l.signed_at IS NOT NULL "
        f"AND l.body LIKE {db.param}",
        ("The local-resolution letter issued on this date said that continuing could lead to "
         "restrictions (recorded from the register of letters by the upgrade to schema 12)",
         "%could lead to restrictions%"))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table("no_prior_warning"),
        migrator.drop_table("prior_warning"),
        migrator.drop_table("escalation"),
        migrator.drop_column("restriction", "behaviours"),
        migrator.drop_column("referral", "other_behaviour"),
    )
