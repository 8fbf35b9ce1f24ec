"""b16e F1: `retention run` from a scheduled job set up wrongly fails, and says why. As the
user administrator (who sees no case) it said "nothing due" and exited 0, so a cron job
under that account would succeed every morning while nothing was ever destroyed."""

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
from tests import builders

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
        result = CliRunner().invoke(main, ["retention", "run", *args, "--db", str(db_path)])
        assert result.exit_code == 1, result.output
        assert ADMIN_REFUSED in result.output
        assert "nothing due" not in result.output and "0 files" not in result.output
    assert Case.get(Case.reference == old).state == CaseState.ARCHIVED.value
    assert AuditEntry.select().count() == entries

