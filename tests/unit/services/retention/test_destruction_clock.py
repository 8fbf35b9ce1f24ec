"""b16f F0: `CRM_TUI_NOW=2033-01-01 crm-tui retention run` destroyed files years before their
date. A destruction cannot be undone: it is refused while the app's "today" is ahead of the
computer's own clock, or while the computer's clock is behind the trail's last entry (put
back), by the service itself, so that the run, its dry run and the Retention area all hold.
The suite's computer follows its frozen clock (tests/conftest.py); here it is set apart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Case, Tombstone
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.retention import archive, destruction_clock, schedule
from tests import builders, outside

LATER = "2032-12-01T09:00:00"  # the archived file is due then
AHEAD = ("the app's clock says 1 Dec 2032 but the computer's clock says 28 Nov 2026: "
         "CRM_TUI_NOW is set; nothing is destroyed")


def _computer_at(monkeypatch: pytest.MonkeyPatch, moment: str) -> None:
    monkeypatch.setattr(clock, "computer_now", lambda: datetime.fromisoformat(moment))


def _written() -> tuple[int, int]:
    return AuditEntry.select().count(), Tombstone.select().count()


def test_the_service_refuses_a_destruction_on_a_today_ahead_of_the_computer(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    old = builders.at_state(actors, CaseState.ARCHIVED)
    _computer_at(monkeypatch, "2026-11-28T10:00:00")
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    before = _written()
    for attempt in (lambda: archive.destroy(actors[Role.CRM], old),
                    lambda: schedule.destruction_due(actors[Role.CRM], old)):
        with pytest.raises(destruction_clock.ClocksDisagree, match=AHEAD):
            attempt()
    assert _written() == before
    assert Case.get(Case.reference == old).state == CaseState.ARCHIVED.value
    # The computer's clock there too: destroyed.
    _computer_at(monkeypatch, LATER)
    archive.destroy(actors[Role.CRM], old)
    assert Tombstone.select().where(Tombstone.case_reference == old).exists()
    assert audit.verify().ok


def test_retention_run_and_its_dry_run_refuse_and_exit_1(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = builders.at_state(actors, CaseState.ARCHIVED)
    ended = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)
    _computer_at(monkeypatch, "2026-11-28T10:00:00")
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    acting_as("crm")
    before = _written()
    for args in (["--dry-run"], []):
        result = CliRunner().invoke(main, ["retention", "run", *args,
                                           "--db", outside.target(db_path)])
        assert result.exit_code == 1, result.output
        said = "dry run" if args else "run"
        assert f"Retention {said} refused: {AHEAD}." in result.stderr
        assert "Destroy" not in result.output and old not in result.output
    assert _written() == before
    assert Case.get(Case.reference == old).state == CaseState.ARCHIVED.value
    assert Case.get(Case.reference == ended).state == CaseState.CLOSED_NO_ACTION.value


def test_a_computer_clock_behind_the_trails_last_entry_refuses_too(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    _computer_at(monkeypatch, LATER)
    other = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)  # written on 1 Dec 2032
    last = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    # Then the clock is put back a day, app and computer alike (the file still due).
    monkeypatch.setenv("CRM_TUI_NOW", "2032-11-30T09:00:00")
    _computer_at(monkeypatch, "2032-11-30T09:00:00")
    said = (f"the computer's clock says 30 Nov 2032 but the audit trail's last entry (entry "
            f"{last.seq}) is dated 1 Dec 2032: the clock was put back, or was ahead when that "
            "entry was written; nothing is destroyed until an entry is written with the clock "
            "right")
    assert destruction_clock.refusal() == said
    before = _written()
    with pytest.raises(destruction_clock.ClocksDisagree, match="the clock was put back"):
        archive.destroy(actors[Role.CRM], old)
    acting_as("crm")
    result = CliRunner().invoke(main, ["retention", "run", "--db", outside.target(db_path)])
    assert result.exit_code == 1, result.output
    assert f"Retention run refused: {said}." in result.stderr
    assert _written() == before
    assert Case.get(Case.reference == other).state == CaseState.CLOSED_NO_ACTION.value


def test_no_environment_variable_moves_the_computers_clock(tmp_path: Path) -> None:
    """`CRM_TUI_NOW` moves the app's clock, never the one a destruction is held to (the suite
    moves that by monkeypatch, so it is read here in a process of its own)."""
    import os
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-c", "from crm_tui import clock; "
         "print(clock.today().year, clock.computer_now().year)"],
        env={**os.environ, "CRM_TUI_NOW": "2099-06-01"}, cwd=tmp_path,
        capture_output=True, text=True, check=True).stdout.split()
    assert shown[0] == "2099" and shown[1] != "2099", shown


def test_no_step_is_recorded_dated_ahead_of_the_computers_clock(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """b16f F0, the rest: the app opened with CRM_TUI_NOW=2033-01-01 ended restrictions that
    ran into 2027 and archived the files, every entry dated 2033. No entry is written dated
    ahead of the computer's clock, whatever the step: the housekeeping's expiry here."""
    from crm_tui.services.restrictions import decisions

    restricted = builders.at_state(actors, CaseState.RESTRICTED)
    _computer_at(monkeypatch, "2026-11-28T10:00:00")
    monkeypatch.setenv("CRM_TUI_NOW", "2033-01-01T09:00:00")
    before = _written()
    with pytest.raises(audit.DatedAhead, match=(
            "the app's clock says 1 Jan 2033 but the computer's clock says 28 Nov 2026: "
            "CRM_TUI_NOW is set, and a step is never recorded dated ahead of the computer's "
            "clock; nothing was recorded")):
        decisions.expire_due(actors[Role.CRM])
    assert _written() == before
    assert Case.get(Case.reference == restricted).state == CaseState.RESTRICTED.value
    # The same day on both clocks: recorded.
    _computer_at(monkeypatch, "2033-01-01T18:00:00")
    decisions.expire_due(actors[Role.CRM])
    assert Case.get(Case.reference == restricted).state != CaseState.RESTRICTED.value


@pytest.mark.sqlite_only("backup and restore are the SQLite file's: on a PostgreSQL "
                         "database they are refused, the server's own backups do them "
                         "(test_postgresql_commands.py)")
def test_backup_and_restore_refuse_a_clock_ahead(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """v16g G0: with CRM_TUI_NOW ahead, `backup` dated its manifest 2033 (a backup restore
    then refused at the real clock) and `restore` named the copies it kept 2033, so a
    retention run held a destroyed file's data in them six more years. Both refuse now."""
    builders.at_state(actors, CaseState.RESTRICTED)
    acting_as("crm")
    tmp_path = tmp_path_factory.mktemp("backups")  # outside the database's folder
    taken = CliRunner().invoke(main, ["backup", str(tmp_path / "taken"),
                                      "--db", outside.target(db_path)])
    assert taken.exit_code == 0, taken.output
    _computer_at(monkeypatch, "2026-11-28T10:00:00")
    monkeypatch.setenv("CRM_TUI_NOW", "2033-01-01T09:00:00")
    ahead = ("the app's clock says 1 Jan 2033 but the computer's clock says 28 Nov 2026: "
             "CRM_TUI_NOW is set, and a ")
    refused = CliRunner().invoke(main, ["backup", str(tmp_path / "ahead"), "--db",
                                        outside.target(db_path)])
    assert refused.exit_code != 0
    said = " ".join(refused.output.split())
    assert ahead + "backup is never dated ahead of the computer's clock" in said, said
    assert not (tmp_path / "ahead").exists() or not any((tmp_path / "ahead").iterdir())
    before = db_path.read_bytes()
    refused = CliRunner().invoke(main, ["restore", str(tmp_path / "taken"), "--db",
                                        outside.target(db_path)])
    assert refused.exit_code != 0
    said = " ".join(refused.output.split())
    assert ahead + "restore is never dated ahead of the computer's clock" in said, said
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("*before-restore*"))


def test_demo_and_seed_refuse_a_clock_ahead_before_anything_is_thrown_away(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """v16g G13: `crm-tui demo --fresh` with CRM_TUI_NOW ahead threw the demo away, then
    stopped half-built on a traceback (DatedAhead); `seed` likewise."""
    _computer_at(monkeypatch, "2026-11-28T10:00:00")
    monkeypatch.setenv("CRM_TUI_NOW", "2033-01-01T09:00:00")
    path = tmp_path / "demo.sqlite3"
    for args in (["demo", "--db", str(path), "--no-launch"],
                 ["demo", "--fresh", "--yes", "--db", str(path), "--no-launch"],
                 ["seed", "--customers", "1", "--contacts", "0", "--db", str(path)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        said = " ".join(result.output.split())
        assert "The app's clock says 1 Jan 2033 but the computer's clock says 28 Nov 2026" \
            in said and "nothing was changed" in said, said
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            result.exception
        assert not path.exists()
