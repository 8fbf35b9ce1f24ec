"""Schema version 8, for the review calendar: review sessions that can be paused and resumed,
and indexes on the dates the calendar reads."""

from peewee import BooleanField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class ReviewSession(Model):
        created_by = ForeignKeyField(User)
        created_at = DateTimeField()
        until = DateField()
        references = TextField()
        position = IntegerField(default=0)
        finished = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "review_session"

    db.create_tables([ReviewSession])
    migrator.migrate(
        migrator.add_index("case", ("restrictions_end",), False),
        migrator.add_index("case", ("reply_by",), False),
        migrator.add_index("case", ("appeal_due",), False),
        migrator.add_index("case", ("ended_on",), False),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table("review_session"))
