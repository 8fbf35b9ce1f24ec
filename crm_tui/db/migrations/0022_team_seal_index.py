"""Schema version 22: the audit entries holding the team's seal, indexed on their own (a
partial index). Each step holds the acting person's user record to the latest seal; finding it
scanned every payload written since the team last changed, some 0.4 s a step on a trail of
200,000 entries. The index holds only the entries whose payload has the seal's key."""


from peewee import SqliteDatabase


def up(migrator, db):
    # The term must be the query's own (models.TEAM_SEALED): instr on SQLite, strpos on
    # PostgreSQL.
    find = "instr" if isinstance(db, SqliteDatabase) else "strpos"
    db.execute_sql("CREATE INDEX IF NOT EXISTS \"audit_entry_team_seal\" ON \"audit_entry\" "
                   f"(\"seq\") WHERE {find}(payload, '\"team\": {{') > 0")


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS \"audit_entry_team_seal\"")
