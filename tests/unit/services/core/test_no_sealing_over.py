"""A save never seals over an edit made in the database (b16c F0): before, the next ordinary
change to the case (a contact logged, a log-sheet import, `expire`, the start-up archive,
`retention run`) hashed the edited records into its entry, and `audit verify` passed for
good. Now the save is refused with nothing written, naming the case, and the housekeeping
skips the case, saying so, and does the others; `audit verify` still names the edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Case, ContactLogEntry, Decision, database_proxy
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.core.audit_seals import OutsideChange
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.restrictions import decisions
from crm_tui.services.retention import schedule
from tests import builders, outside
from tests.builders import TOLD

# After the end date builders.propose gives a decision (28 Nov 2028).
AFTER_THE_END = datetime(2028, 11, 29, 9, 0)
REWORDED = "Tampered: the customer was violent"


def _call(when: datetime) -> ContactInput:
    return ContactInput(at=when, channel=Channel.TELEPHONE, direction=Direction.INBOUND,
                        service_area="Housing Services", officer_name="Sam Okafor",
                        summary="Rang about the repair again")


def _decision(ref: str) -> int:
    return int(Decision.select(Decision.id).join(Case).where(Case.reference == ref)
               .order_by(Decision.id.desc()).scalar())


def _reword(ref: str) -> int:
    """The latest decision's reason rewritten in the database, as the tester did: through
    the app's own connection outside any transaction (the file's key, if encrypted)."""
    decision = _decision(ref)
    mark = database_proxy.obj.param
    database_proxy.obj.execute_sql(f"UPDATE decision SET reason = {mark} WHERE id = {mark}",
                                   (REWORDED, decision))
    return decision


def _entries() -> int:
    return int(AuditEntry.select().count())


def test_a_contact_logged_after_an_edit_is_refused_and_nothing_is_written(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    contacts.log_contact(actors[Role.OFFICER], ref, _call(datetime(2026, 11, 27, 10, 15)))
    decision = _reword(ref)
    broken = audit.verify()
    assert not broken.ok and f"decision {decision} of {ref}" in broken.problem
    entries, logged = _entries(), ContactLogEntry.select().count()
    with pytest.raises(OutsideChange) as refused:
        contacts.log_contact(actors[Role.OFFICER], ref, _call(datetime(2026, 11, 27, 11, 0)))
    said = str(refused.value)
    assert said.startswith(f"Nothing was saved to {ref}: decision {decision} of {ref}")
    assert "`crm-tui audit verify`" in said
    assert (_entries(), ContactLogEntry.select().count()) == (entries, logged)
    assert Decision.get_by_id(decision).reason == REWORDED
    again = audit.verify()
    assert not again.ok and again.problem == broken.problem


def test_other_cases_still_save_while_one_is_edited(actors: dict[Role, Actor]) -> None:
    edited = builders.at_state(actors, CaseState.RESTRICTED)
    other = builders.at_state(actors, CaseState.RESTRICTED)
    _reword(edited)
    logged = ContactLogEntry.select().count()
    contacts.log_contact(actors[Role.OFFICER], other, _call(datetime(2026, 11, 27, 10, 15)))
    assert ContactLogEntry.select().count() == logged + 1
    assert f"of {edited}" in audit.verify().problem


def test_expire_skips_an_edited_case_says_so_and_ends_the_others(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    edited = builders.at_state(actors, CaseState.RESTRICTED)
    other = builders.at_state(actors, CaseState.RESTRICTED)
    decision = _reword(edited)
    with clock.travel_to(AFTER_THE_END):
        expiry = decisions.run_expiry(actors[Role.CRM], job="crm-tui expire")
    assert expiry.ended == [other]
    assert len(expiry.skipped) == 1
    assert expiry.skipped[0].startswith(f"{edited} was skipped: decision {decision} of")
    assert Case.get(Case.reference == edited).state == CaseState.RESTRICTED.value
    result = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    assert result.exit_code == 1 and f"decision {decision} of {edited}" in result.output
    acting_as("crm")
    monkeypatch.setenv("CRM_TUI_NOW", AFTER_THE_END.isoformat())
    ran = CliRunner().invoke(main, ["expire", "--db", outside.target(db_path)])
    assert ran.exit_code == 1, ran.output
    assert f"Not ended: {edited} was skipped: decision {decision}" in ran.output


def test_the_housekeeping_archive_skips_an_edited_file_and_says_so(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    decisions.lift_restrictions(actors[Role.CRM], ref, "Subsided", customer_reason=TOLD)
    builders.send_lifted(actors[Role.CRM], ref)
    decision = _reword(ref)
    entries = _entries()
    monkeypatch.setenv("CRM_TUI_NOW", builders.APPEAL_PERIOD_OVER.isoformat())
    acting_as("crm")
    ran = CliRunner().invoke(main, ["expire", "--db", outside.target(db_path)])
    assert ran.exit_code == 1, ran.output
    assert f"Not archived: {ref}: skipped: decision {decision} of {ref}" in ran.output
    assert "run `crm-tui audit verify`" in ran.output
    retention = CliRunner().invoke(main, ["retention", "run", "--db", outside.target(db_path)])
    assert retention.exit_code == 1, retention.output
    assert f"refused: skipped: decision {decision} of {ref}" in retention.output
    assert Case.get(Case.reference == ref).state == CaseState.ENDED.value
    # Nothing written of the file: only the retention years in force, recorded the first
    # time the team's housekeeping runs (services.retention.years_in_force), about no case.
    written = AuditEntry.select().where(AuditEntry.seq > entries)
    assert [(e.action, e.case_reference) for e in written] == [
        ("retention_years_in_force", "")]
    verified = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    assert verified.exit_code == 1 and f"decision {decision} of {ref}" in verified.output


def test_archive_run_reports_the_skip_to_the_start_up_check(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)
    database_proxy.obj.execute_sql(
        "UPDATE \"case\" SET restrictions_end = '2031-01-01' WHERE reference = "
        f"{database_proxy.obj.param}", (ref,))
    with clock.travel_to(builders.APPEAL_PERIOD_OVER):
        report = schedule.archive_run(actors[Role.OFFICER], job="the app's check at start-up")
    assert report.archived == []
    assert [(row.reference, why.split(":")[0]) for row, why in report.refused] == [
        (ref, "skipped")]
