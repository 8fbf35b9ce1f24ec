"""Schema version 2: each case carries its next action and due date, so that the inbox can
sort and flag overdue work without working it out per row; contacts are indexed by service
area and time for the evidence analysis."""

from peewee import CharField, DateField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("case", "next_action", CharField(default="")),
        migrator.add_column("case", "next_action_due", DateField(null=True)),
        migrator.add_index("case", ("next_action_due",), False),
        migrator.add_index("contact_log_entry", ("service_area_id", "at"), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("contact_log_entry", "contact_log_entry_service_area_id_at"),
        migrator.drop_index("case", "case_next_action_due"),
        migrator.drop_column("case", "next_action_due"),
        migrator.drop_column("case", "next_action"),
    )
