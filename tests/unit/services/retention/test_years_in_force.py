"""A destruction is judged by the retention years its entry records; a forged one could claim
fewer than were in force (issue 16, v15c review). `retention_years` is configuration, so the
years in force are recorded in the trail (an entry about no case) before a destruction or a
recalculation whenever they differ from the latest recorded, and `audit verify` holds every
later destruction to them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.config import Config
from crm_tui.db.models import AuditEntry, Case, EvidenceItem, Tombstone
from crm_tui.domain.audit_chain import ERASED
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, settings
from crm_tui.services.core.audit_records import tombstone_fields
from crm_tui.services.retention import schedule
from tests import builders, outside
from tests.conftest import FROZEN_NOW
from tests.unit.services.core.test_audit_forged_entries import _append

IN_FORCE = "retention_years_in_force"
# Six years and a few days after the suite's day (28 Nov 2026), when its files have ended.
LATER = "2032-12-01T09:00:00"


def _in_force() -> list[tuple[int, str, str]]:
    return [(int(row.seq), row.case_reference, row.reason) for row in
            AuditEntry.select().where(AuditEntry.action == IN_FORCE).order_by(AuditEntry.seq)]


def _destroyed_by_the_app(actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> str:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    assert [row.reference for row in schedule.run(actors[Role.CRM]).destroyed] == [ref]
    return ref


def test_a_destruction_records_the_years_in_force_before_it(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = _destroyed_by_the_app(actors, monkeypatch)
    recorded = _in_force()
    assert [(case, reason) for _, case, reason in recorded] == [
        ("", "Retention period in force: 6 years")]
    destroy = AuditEntry.get((AuditEntry.action == "destroy")
                             & (AuditEntry.case_reference == ref))
    assert recorded[0][0] == destroy.seq - 1
    result = audit.verify()
    assert result.ok, result.problem


def test_a_changed_setting_is_recorded_when_next_used_and_verifies(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    settings.configure(Config(retention_years=7))
    assert [row.reference for row in schedule.run(actors[Role.CRM]).recalculated] == [ref]
    settings.configure(Config(retention_years=5))
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    report = schedule.run(actors[Role.CRM])
    assert [row.reference for row in report.destroyed] == [ref]
    assert [reason for _, _, reason in _in_force()] == [
        "Retention period in force: 7 years", "Retention period in force: 5 years (was 7 years)"]
    result = audit.verify()
    assert result.ok, result.problem


def _forged_destruction(actor: Actor, ref: str, at: datetime, ended: date, years: int) -> int:
    """As a script on the database would: the case's entries blanked, its tombstone made, a
    hashed `destroy` entry claiming `years` of retention."""
    case = Case.get(Case.reference == ref)
    AuditEntry.update(reason=ERASED, payload=ERASED, erased=True).where(
        AuditEntry.case_reference == ref).execute()
    stone = Tombstone.create(case_reference=ref, service_area=case.service_area.name,
                             opened_on=case.opened_on, restrictions_ended_on=ended,
                             destroyed_on=at.date(), destroyed_by=actor.login)
    EvidenceItem.delete().where(EvidenceItem.case == case).execute()
    return _append(actor, at, "destroy", ref, {"tombstone": tombstone_fields(stone),
                                               "retention_years": years})


def test_a_destruction_claiming_fewer_years_than_in_force_is_named(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    _destroyed_by_the_app(actors, monkeypatch)
    in_force = _in_force()[0][0]
    monkeypatch.setenv("CRM_TUI_NOW", FROZEN_NOW)
    live = builders.at_state(actors, CaseState.RESTRICTED)
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-02T09:00:00")
    # Its restrictions "ended" a year and a half before: 1 year's retention would be over,
    # 6 years' not.
    forged = _forged_destruction(actors[Role.CRM], live, datetime(2032, 12, 2, 9, 0),
                                 date(2031, 6, 1), 1)
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == forged
    assert (f"entry {forged} destroyed {live} and claims 1 years' retention, but the "
            f"retention years in force were 6 (entry {in_force})") in result.problem


def test_a_destruction_before_any_record_of_the_years_is_judged_by_its_own(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """An older trail records no years in force: its destructions are judged by the years
    each records (what can be checked there), as before."""
    live = builders.at_state(actors, CaseState.RESTRICTED)
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-02T09:00:00")
    _forged_destruction(actors[Role.CRM], live, datetime(2032, 12, 2, 9, 0), date(2031, 6, 1), 6)
    result = audit.verify()
    assert not result.ok and "before its 6 years' retention ended" in result.problem


def test_a_changed_setting_is_recorded_as_the_team_starts_and_shown(
        actors: dict[Role, Actor], acting_as: Any, db_path: Path) -> None:
    """v16g: an edit of `retention_years` left no mark in the trail until the next
    destruction. The team's start (its housekeeping: archive_run) and `retention run` record
    the years configured whenever they differ from the latest recorded, by the person acting;
    the Retention area says where the trail records them."""
    builders.at_state(actors, CaseState.RESTRICTED)
    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    assert "not yet recorded in the audit trail" in schedule.due(crm).years_said
    schedule.archive_run(crm, job="the app's check at start-up")
    schedule.archive_run(crm, job="the app's check at start-up")  # unchanged: not again
    assert [reason for _, _, reason in _in_force()] == ["Retention period in force: 6 years"]
    first = _in_force()[0][0]
    assert schedule.due(crm).years_said == (
        f"as entry {first} of the audit trail records, by {crm.name} on 28 Nov 2026")
    settings.configure(Config(retention_years=7))
    said = schedule.due(crm).years_said
    assert said == (f"changed in the configuration: the audit trail records 6 years (entry "
                    f"{first}, by {crm.name} on 28 Nov 2026) until the next start of the "
                    "team's app or retention step records 7")
    report = schedule.archive_run(officer, job="the app's check at start-up")
    assert report.years_recorded == ("Recorded in the audit trail: Retention period in force: "
                                     "7 years (was 6 years)")
    last = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert (last.action, last.actor_login, last.case_reference) == (
        IN_FORCE, officer.login, "")
    # And `crm-tui expire` and `retention run`, as the command's user.
    acting_as("crm")
    config = db_path.parent / "years.toml"
    config.write_text("retention_years = 9\n")
    expired = CliRunner().invoke(main, ["--config", str(config), "expire", "--db",
                                        outside.target(db_path)])
    assert expired.exit_code == 0, expired.output
    assert ("Recorded in the audit trail: Retention period in force: 9 years (was 7 years)."
            in expired.output)
    config.write_text("retention_years = 8\n")
    result = CliRunner().invoke(main, ["--config", str(config), "retention", "run", "--db",
                                       outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert ("Recorded in the audit trail: Retention period in force: 8 years (was 9 years)."
            in result.output)
    dry = CliRunner().invoke(main, ["--config", str(config), "retention", "run", "--dry-run",
                                    "--db", outside.target(db_path)])
    assert dry.exit_code == 0 and "Recorded in the audit trail" not in dry.output
    assert [reason for _, _, reason in _in_force()][-1] == \
        "Retention period in force: 8 years (was 9 years)"
    result = audit.verify()
    assert result.ok, result.problem
