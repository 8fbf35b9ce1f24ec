"""Schema version 21: the tombstone of the file whose destruction removed the customer's record
(their last file) keeps the customer's reference (C000007), so that a subject access request
by it is answered as one by the file's reference: destroyed on that day, nothing held (issue
16: by the case, exit 1 "was destroyed"; by the customer, exit 2 "no customer or case"). A
reference the council gave, as the file's own is; no personal data."""

from peewee import SQL, CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("tombstone", "customer_reference", CharField(
        default="", constraints=[SQL("DEFAULT ''")])))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("tombstone", "customer_reference"))
