"""Schema 13: a database with an appeal recorded before nominations existed is upgraded with
the appeal intact (lodged on a restricted case, decided under no nomination), and the step
down removes only what it added."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from crm_tui.db.connection import migration_runner, open_database
from crm_tui.db.models import Appeal, Nomination


def _with_an_appeal(path: Path) -> None:
    old = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    migration_runner(old).up(target="0010_key_revocation")
    old.execute_sql("INSERT INTO service_area (name) VALUES ('Housing Services')")
    old.execute_sql('INSERT INTO "user" (login, name, title, role, active, staff_id) '
                    "VALUES ('d', 'Dee', '', 'service_director', 1, 'S1')")
    old.execute_sql(
        'INSERT INTO "case" (reference, service_area_id, state, opened_on, state_changed_at, '
        "next_action, categories, no_local_resolution_reason) VALUES ('UPV-2025-0001', 1, "
        "'under_appeal', '2025-03-01', '2025-03-01 10:00:00', '', 0, '')")
    old.execute_sql("INSERT INTO decision (case_id, action, decided_by_id, decided_at, reason, "
                    "review_period_reason, review_period_note) VALUES (1, "
                    "'impose_restrictions', 1, '2025-03-01 10:00:00', 'r', '', '')")
    old.execute_sql("INSERT INTO appeal (case_id, decision_id, received_on, grounds, due_on, "
                    "recorded_by_id, outcome, reason) VALUES (1, 1, '2025-03-05', 'Unfair', "
                    "'2025-04-02', 1, '', '')")
    old.close()


def test_an_appeal_from_before_nominations_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _with_an_appeal(path)
    db = open_database(path)
    appeal = Appeal.get()
    assert (appeal.grounds, appeal.lodged_from, appeal.nomination) == ("Unfair", "restricted",
                                                                       None)
    assert Nomination.select().count() == 0
    runner = migration_runner(db)
    runner.down()  # 0023, the index of a case's entries in their order
    runner.down()  # 0022, the index of the entries holding the team's seal
    runner.down()  # 0021, a tombstone's customer reference
    runner.down()  # 0020, the contact search's triggers made again
    runner.down()  # 0019, tombstone outcomes
    runner.down()  # 0018, edit versions
    runner.down()  # 0017, next actions worked out again
    runner.down()  # 0016, letters as records
    runner.down()  # 0015, when drafts changed
    runner.down()  # 0014, the screening queue
    runner.down()  # 0013, this step
    columns = {row[1] for row in db.execute_sql("PRAGMA table_info('appeal')").fetchall()}
    tables = set(db.get_tables())
    assert "lodged_from" not in columns and "nomination" not in tables
    assert db.execute_sql("SELECT grounds FROM appeal").fetchone()[0] == "Unfair"
    db.close()
