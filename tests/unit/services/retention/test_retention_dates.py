"""b16c F11: after `retention_years` changed, every file ended before the change was held for
ever ("its stored destruction date … is not its end plus N years") and nothing recalculated
its date. `retention run` now moves each stored date the app wrote to the end plus the years
configured now, with an entry on the file; a date moved by hand is left held."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.config import Config
from crm_tui.db.models import AuditEntry, Case, Tombstone
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, settings
from crm_tui.services.retention import schedule
from tests import builders, outside

# Ended on the suite's day, 28 Nov 2026: due on 28 Nov 2032 at 6 years, 28 Nov 2033 at 7.
SEVEN_YEARS_ON = "2033-12-01T09:00:00"


def _stored(ref: str) -> date:
    return Case.get(Case.reference == ref).destroy_after


def test_raising_the_retention_years_moves_the_stored_dates_with_an_entry(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    assert _stored(ref) == date(2032, 11, 28)
    settings.configure(Config(retention_years=7))
    dry = schedule.run(crm, dry_run=True)
    assert [moved.said for moved in dry.recalculated] == [
        f"{ref}: destruction date 28 Nov 2032 → 28 Nov 2033 (6 → 7 years' retention)"]
    assert _stored(ref) == date(2032, 11, 28)  # a dry run changes nothing
    done = schedule.run(crm)
    assert [moved.reference for moved in done.recalculated] == [ref]
    assert _stored(ref) == date(2033, 11, 28)
    entry = AuditEntry.select().where(AuditEntry.action == "recalculate_destroy_date").get()
    assert (entry.case_reference, entry.reason) == (
        ref, "Retention period changed from 6 to 7 years")
    assert audit.verify().ok
    assert schedule.run(crm).recalculated == []  # once
    # Due at its end plus 7 years, and destroyed then; the trail holds afterwards.
    monkeypatch.setenv("CRM_TUI_NOW", SEVEN_YEARS_ON)
    assert [row.reference for row in schedule.run(crm).destroyed] == [ref]
    assert Tombstone.select().where(Tombstone.case_reference == ref).exists()
    result = audit.verify()
    assert result.ok, result.problem


def test_a_date_changed_outside_the_app_is_not_recalculated_over(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    moved = builders.at_state(actors, CaseState.ARCHIVED)
    # By hand, a whole year earlier: a date the app could have written, but not as the entry
    # about the file left it.
    Case.update(destroy_after=date(2031, 11, 28)).where(Case.reference == moved).execute()
    settings.configure(Config(retention_years=7))
    done = schedule.run(crm)
    assert [one.reference for one in done.recalculated] == [ref]
    [skipped] = done.recalculation_skipped
    assert skipped.startswith(f"{moved} was skipped:") and "changed outside the app" in skipped
    assert _stored(moved) == date(2031, 11, 28)


def test_the_command_says_what_it_recalculated(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    config = tmp_path / "config.toml"
    config.write_text("retention_years = 7\n")
    monkeypatch.setenv("CRM_TUI_NOW", SEVEN_YEARS_ON)
    acting_as("crm")
    result = CliRunner().invoke(main, ["--config", str(config), "retention", "run", "--dry-run",
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Would recalculate the destruction date of 1 file to 7 years' retention " \
           "(retention_years changed since they ended):" in said
    assert f"{ref}: destruction date 28 Nov 2032 → 28 Nov 2033" in said
    # Destroyed by the run once its date is recalculated: the dry run says so, as of the
    # date the run would have saved (found when tried: it said the file was held).
    assert f"Would destroy: 1 file {ref}" in said and "Held" not in said


def _what(report: schedule.RunReport) -> dict[str, list[object]]:
    """What a run did (or, dry, would do), file by file, in its order."""
    return {"recalculated": [one.said for one in report.recalculated],
            "not recalculated": list(report.recalculation_skipped),
            "archived": [row.reference for row in report.archived],
            "destroyed": [row.reference for row in report.destroyed],
            "held": [(row.reference, row.held) for row in report.held],
            "refused": [(row.reference, why) for row, why in report.refused]}


@pytest.mark.parametrize(("years", "now"), [(7, SEVEN_YEARS_ON), (3, "2030-01-02T09:00:00")],
                         ids=["raised", "lowered"])
def test_the_dry_run_after_a_change_of_years_does_what_the_run_does(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch, years: int,
        now: str) -> None:
    """Found when tried: after `retention_years` changed, the dry run held a file ("its
    stored destruction date … is not its end plus N years") that the real run recalculated
    and destroyed in the same run. The dry run reads what is due from the dates the run
    would have recalculated first; a date moved by hand is skipped and held by both."""
    crm = actors[Role.CRM]
    archived = [builders.at_state(actors, CaseState.ARCHIVED) for _ in range(2)]
    closed = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)  # archived, then due
    by_hand = builders.at_state(actors, CaseState.ARCHIVED)
    Case.update(destroy_after=date(2031, 11, 28)).where(Case.reference == by_hand).execute()
    settings.configure(Config(retention_years=years))
    monkeypatch.setenv("CRM_TUI_NOW", now)
    dry = _what(schedule.run(crm, dry_run=True))
    assert dry["archived"] == [closed]
    assert sorted(dry["destroyed"]) == sorted([*archived, closed])
    assert [reference for reference, _why in dry["held"]] == [by_hand]
    done = _what(schedule.run(crm))
    assert done == dry
    assert not Case.select().where(Case.reference.in_([*archived, closed])).exists()
