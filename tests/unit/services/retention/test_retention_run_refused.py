"""b16e F1 and F7: `retention run` from a scheduled job set up wrongly fails, and says why.
As the user administrator (who sees no case) it said "nothing due" and exited 0, so a cron
job under that account would succeed every morning while nothing was ever destroyed; a
mistyped `--passphrase-file` was a bare OS error and exit 1 (a refused step), not the
usage error (exit 2) that names the option and the path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Case
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.retention import schedule
from tests import builders, outside

LATER = "2032-12-01T09:00:00"
ADMIN_REFUSED = ("The User administrator does not archive or destroy files: run it as the "
                 "Complaints Resolution Manager.")


def test_the_user_administrator_is_refused_up_front_dry_or_not(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)  # due for destruction
    assert schedule.run_refusal(actors[Role.USER_ADMIN]).startswith(
        "the User administrator does not archive or destroy files")
    assert schedule.run_refusal(actors[Role.CRM]) == ""
    assert schedule.run_refusal(actors[Role.OFFICER]) == ""  # archives
    entries = AuditEntry.select().count()
    acting_as("admin")
    for args in (["--dry-run"], []):
        result = CliRunner().invoke(main, ["retention", "run", *args,
                                           "--db", outside.target(db_path)])
        assert result.exit_code == 1, result.output
        assert ADMIN_REFUSED in result.output
        assert "nothing due" not in result.output and "0 files" not in result.output
    assert Case.get(Case.reference == old).state == CaseState.ARCHIVED.value
    assert AuditEntry.select().count() == entries


@pytest.mark.parametrize("command", [
    ["retention", "run"],
    ["users", "change-role", "officer", "--role", "crm", "--reason", "Promoted to the post"],
    ["signing", "revoke", "--user", "crm", "--reason", "The laptop holding it was stolen"],
    ["appeals", "revoke-nomination", "1", "--reason", "The nominee has left the council"],
])
def test_a_passphrase_file_that_is_not_there_is_a_usage_error_naming_it(
        db: object, db_path: Path, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "no-such-pass"
    result = CliRunner().invoke(main, [*command, "--passphrase-file", str(missing),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 2, result.output
    assert f'--passphrase-file: no file "{missing}": give a file that exists' in result.output
