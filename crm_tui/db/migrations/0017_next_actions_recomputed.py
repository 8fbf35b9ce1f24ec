"""Schema version 17: every case's stored next action is worked out again.

A database built before the next action was stored inside every change to a case kept each
case's old value until that case next changed (a decided case still saying "Decide", say).
This step only marks a database that holds cases (a `setting` row): the rule lives in the domain and its
facts in the services, which read the mark when the database is opened, work out and store
every case's next action, and remove the mark (services.core.next_step.recompute_if_marked).
A later change to the rule marks the database again with a step of its own.
"""

from peewee import CharField, Model, TextField

KEY = "next_actions_stale"


def _setting(db):
    class Setting(Model):
        key = CharField(unique=True)
        value = TextField()

        class Meta:
            database = db
            table_name = "setting"

    return Setting


def up(migrator, db):
    if db.execute_sql('SELECT 1 FROM "case" LIMIT 1').fetchone() is None:
        return  # a new database: no case has a stored next action to be wrong
    setting = _setting(db)
    setting.delete().where(setting.key == KEY).execute()
    setting.insert(key=KEY, value="0017").execute()


def down(migrator, db):
    setting = _setting(db)
    setting.delete().where(setting.key == KEY).execute()
