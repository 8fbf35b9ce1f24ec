"""Schema version 23: a case's audit entries indexed in their order (case reference, then
seq). Each step checks the case's records against the latest entry about the case
(audit_seals.as_left); with only the reference indexed, SQLite read every entry about the case
and sorted them to find the latest, some 10-50 ms a step on a case with 7,000 entries. In
this order the latest is the last of the case's run in the index."""


def up(migrator, db):
    db.execute_sql("CREATE INDEX IF NOT EXISTS \"audit_entry_case_seq\" ON \"audit_entry\" "
                   "(\"case_reference\", \"seq\")")


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS \"audit_entry_case_seq\"")
