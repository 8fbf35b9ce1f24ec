"""Schema 17: a database from before the next action was stored with every change keeps each
case's old value until that case changes; on open it is worked out again for every case, once
(the step marks the database; the services recompute and remove the mark)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.connection import migration_runner, open_database
from crm_tui.db.models import Case, Setting, database_proxy
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import next_step
from tests import builders, outside


def test_a_stale_stored_next_action_is_worked_out_again_on_open(
        actors: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    right = Case.get(Case.reference == ref).next_action
    assert right == "Sign the decision letter"
    # As a database from before: the decision made, the stored value never worked out again.
    Case.update(next_action="Decide", next_action_due=None).where(
        Case.reference == ref).execute()
    migration_runner(database_proxy.obj).down(target="0017_next_actions_recomputed")  # to 16
    database_proxy.obj.close()

    acting_as("crm")
    listed = CliRunner().invoke(main, ["cases", "--db", outside.target(db_path)])
    assert listed.exit_code == 0, listed.output
    [line] = [line for line in listed.output.splitlines() if line.startswith(ref)]
    assert right in line and "Decide" not in line
    assert Case.get(Case.reference == ref).next_action == right
    assert not Setting.select().where(Setting.key == next_step.STALE_MARK).exists()
    assert next_step.recompute_if_marked() == 0  # done once: the next open has nothing to do
    database_proxy.obj.close()


def test_a_new_database_is_not_marked(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3")
    assert not Setting.select().where(Setting.key == next_step.STALE_MARK).exists()
    db.close()
