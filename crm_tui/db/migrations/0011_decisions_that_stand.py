"""Schema version 11, for decisions that stand up: each restriction's version, what a Head of
Service's view was about and how it was given, the view a decision went on (and the CRM's
reasons for going against it), and what a customer was invited to comment on.

Views recorded before this version name no drafts, so no decision can rest on them: the Head
of Service is consulted again on the restrictions as they stand."""

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    def table(name):
        class Table(Model):
            class Meta:
                database = db
                table_name = name
        return Table

    # Named apart from the columns below: a class body does not see a function's names it
    # assigns itself.
    case_t, user_t, review_t = table("case"), table("user"), table("review")
    decision_t, consultation_t, evidence_t = (table("decision"), table("consultation"),
                                              table("evidence_item"))

    migrator.migrate(
        migrator.add_column("restriction", "version", IntegerField(default=1)),
        migrator.add_column("consultation", "proposal", TextField(default="")),
        migrator.add_column("consultation", "method", CharField(default="")),
        migrator.add_column("consultation", "evidence_document_id", ForeignKeyField(
            evidence_t, field=evidence_t.id, null=True, on_delete="SET NULL")),
        migrator.add_column("decision", "consultation_id", ForeignKeyField(
            consultation_t, field=consultation_t.id, null=True, on_delete="SET NULL")),
        migrator.add_column("decision", "against_view_reason", TextField(default="")),
    )

    class ExtensionProposal(Model):
        case = ForeignKeyField(case_t, backref="proposals", on_delete="CASCADE")
        review = ForeignKeyField(review_t, null=True, on_delete="SET NULL")
        reason = TextField()
        proposal = TextField()
        ends_on = DateField()
        reply_by = DateField()
        proposed_by = ForeignKeyField(user_t)
        proposed_at = DateTimeField()
        decision = ForeignKeyField(decision_t, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "extension_proposal"

    db.create_tables([ExtensionProposal])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table("extension_proposal"),
        migrator.drop_column("decision", "against_view_reason"),
        migrator.drop_column("decision", "consultation_id"),
        migrator.drop_column("consultation", "evidence_document_id"),
        migrator.drop_column("consultation", "method"),
        migrator.drop_column("consultation", "proposal"),
        migrator.drop_column("restriction", "version"),
    )
