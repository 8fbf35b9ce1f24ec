"""Schema version 3: a table of facts about the database itself (e.g. that it holds demo
data, so that the app offers to act as any demo user)."""

from peewee import CharField, Model, TextField


def up(migrator, db):
    class Setting(Model):
        key = CharField(unique=True)
        value = TextField()

        class Meta:
            database = db
            table_name = "setting"

    db.create_tables([Setting])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("setting"))
