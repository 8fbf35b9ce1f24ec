"""Schema version 9, for identity: a user is a person with a staff identifier, bound to an
operating-system account, whose roles are kept as a history of grants.

Existing users keep their login as their staff identifier until an administrator records the
real one, are bound to no account (an administrator binds them), and their present role is
recorded as a grant made by the upgrade itself."""

import datetime as dt

from peewee import CharField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    class ServiceArea(Model):
        class Meta:
            database = db
            table_name = "service_area"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class RoleGrant(Model):
        user = ForeignKeyField(User, backref="grants")
        role = CharField()
        service_area = ForeignKeyField(ServiceArea, null=True)
        granted_at = DateTimeField()
        granted_by = ForeignKeyField(User, null=True)
        ended_at = DateTimeField(null=True)
        reason = TextField(default="")

        class Meta:
            database = db
            table_name = "role_grant"

    migrator.migrate(
        migrator.add_column("user", "staff_id", CharField(default="")),
        migrator.add_column("user", "os_account", CharField(null=True)),
    )
    db.execute_sql('UPDATE "user" SET staff_id = login')
    migrator.migrate(
        migrator.add_index("user", ("staff_id",), True),
        migrator.add_index("user", ("os_account",), True),
    )
    db.create_tables([RoleGrant])
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    db.execute_sql(
        "INSERT INTO role_grant (user_id, role, service_area_id, granted_at, reason) "
        f'SELECT id, role, service_area_id, {db.param}, {db.param} FROM "user"',
        (now, "held when the role history began (schema version 9)"))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table("role_grant"),
        migrator.drop_index("user", "user_staff_id"),
        migrator.drop_index("user", "user_os_account"),
        migrator.drop_column("user", "staff_id"),
        migrator.drop_column("user", "os_account"),
    )
