"""Issue 16: retention as the policy sets it. Files whose restrictions ended and that owe
nothing are archived by the team's housekeeping (recorded as the person whose session or job
ran it, with why); what is due is listed with why; `crm-tui retention run` archives and
destroys what is due, `--dry-run` changes nothing; nothing is destroyed while the customer's
restrictions last."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Case, Tombstone
from crm_tui.domain.errors import DomainError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.restrictions import decisions
from crm_tui.services.retention import archive, schedule
from tests import builders, dumps, outside
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

LATER = "2032-12-01T09:00:00"  # past end + 6 years of a file ended on 28 Nov 2026


def _state(ref: str) -> str:
    return str(Case.get(Case.reference == ref).state)


def _dump() -> list[str]:
    return dumps.dump()


def test_a_file_is_archived_by_the_housekeeping_once_nothing_is_owed(
        actors: dict[Role, Actor]) -> None:
    officer = actors[Role.OFFICER]
    ref = builders.at_state(actors, CaseState.ENDED)  # lifted: its letter is not yet signed
    due = schedule.due(officer)
    assert [(r.reference, r.held) for r in due.archive] == [
        (ref, "the letter lifting the restrictions of 28 Nov 2026 is not yet signed")]
    assert schedule.archive_due(officer, job="the app's check at start-up") == []
    assert _state(ref) == CaseState.ENDED.value
    builders.send_lifted(actors[Role.CRM], ref)
    # Told, but the customer may still appeal against the decision (restrictions that ended
    # may be appealed within the period): an archived file could not take the appeal.
    assert [(r.reference, r.held) for r in schedule.due(officer).archive] == [
        (ref, "the customer may appeal against the decision of 28 Nov 2026 until 11 Jan 2027")]
    assert schedule.archive_due(officer, job="the app's check at start-up") == []
    with pytest.raises(DomainError, match="kept open while the customer may appeal"):
        archive.archive(actors[Role.CRM], ref)
    assert Case.get(Case.reference == ref).next_action_due == date(2027, 1, 12)
    # The officer's session ran the check: the officer is recorded as acting, with why.
    with clock.travel_to(builders.APPEAL_PERIOD_OVER):
        assert schedule.archive_due(officer, job="the app's check at start-up") == [ref]
    assert _state(ref) == CaseState.ARCHIVED.value
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert (entry.action, entry.actor_login) == ("archive", "officer")
    assert entry.reason == "Restrictions ended on 28 Nov 2026"
    assert "the app's check at start-up" in entry.payload
    assert audit.verify().ok


def test_those_outside_the_team_archive_nothing(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)
    for role in (Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR, Role.SERVICE_AREA_MANAGER):
        assert schedule.archive_due(actors[role], job="test") == []
    assert _state(ref) == CaseState.CLOSED_NO_ACTION.value


def test_due_for_destruction_with_why(actors: dict[Role, Actor],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    assert schedule.due(actors[Role.CRM]).destroy == []  # not before its time
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    [row] = schedule.due(actors[Role.CRM]).destroy
    assert row.reference == ref
    assert row.why == "Restrictions ended on 28 Nov 2026; kept 6 years to 28 Nov 2032"


def test_a_destruction_date_moved_in_the_database_destroys_nothing(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """b16c F5: the stored date moved six years earlier made `retention run` destroy a file
    whose restrictions had just ended. Now the file is due at its end plus the retention
    years, worked out again; the stored date disagreeing is named, and `audit verify` fails
    on it."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    Case.update(destroy_after=date(2026, 1, 1)).where(Case.reference == ref).execute()
    # Ended 28 Nov 2026, due on 28 Nov 2032: listed, held, naming both dates (b16e F11: the
    # file was left out of the list and the run's report, so nothing said the date moved).
    [row] = schedule.due(crm).destroy
    assert row.reference == ref
    assert "(1 January 2026) is not its end (28 November 2026)" in row.held
    before = _dump()
    with pytest.raises(DomainError, match="its stored destruction date \\(1 January 2026\\) is not "
                       "its end \\(28 November 2026\\) plus 6 years \\(28 November 2032\\)"):
        archive.destroy(crm, ref)
    assert _dump() == before
    report = schedule.run(crm)
    assert not report.destroyed and Case.get(Case.reference == ref).state == "archived"
    assert [held.reference for held in report.held] == [ref]
    assert [held.reference for held in schedule.run(crm, dry_run=True).held] == [ref]
    result = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    assert result.exit_code == 1 and f"the record of {ref}" in result.output


def test_a_destruction_date_moved_later_holds_the_file_naming_both(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    Case.update(destroy_after=date(2040, 1, 1)).where(Case.reference == ref).execute()
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    [row] = schedule.due(crm).destroy
    assert ("(1 January 2040) is not its end (28 November 2026) plus 6 years "
            "(28 November 2032)") in row.held
    assert not schedule.run(crm).destroyed


def test_nothing_is_destroyed_while_the_customers_restrictions_last(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    # The customer is referred again, and restricted again, on a new case.
    new = builders.referred_again(actors, ref)
    Case.update(state=CaseState.RESTRICTED.value).where(Case.reference == new).execute()
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    [row] = schedule.due(crm).destroy
    assert row.held == f"the customer's restrictions on {new} still last"
    before = _dump()
    with pytest.raises(DomainError, match=f"the customer's restrictions on {new} still last"):
        archive.destroy(crm, ref)  # refused in the service, whatever calls it
    assert _dump() == before
    Case.update(state=CaseState.ENDED.value).where(Case.reference == new).execute()
    archive.destroy(crm, ref)
    assert Tombstone.get(Tombstone.case_reference == ref).destroyed_by == "crm"


def _run(args: list[str], db_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["retention", "run", *args, "--db", outside.target(db_path)])
    return result.exit_code, result.output


def test_retention_run_dry_then_for_real(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    ended = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)
    acting_as("crm")
    before = _dump()
    code, out = _run(["--dry-run"], db_path)
    assert code == 0, out
    assert "Would archive: 1 file" in out and ended in out
    assert "Would destroy: 1 file" in out and old in out
    assert "Closed with no action on 1 Dec 2032" in out
    assert "Dry run: nothing was changed." in out
    assert _dump() == before
    code, out = _run([], db_path)
    assert code == 0, out
    assert "Archived: 1 file" in out and "Destroyed: 1 file" in out
    assert _state(ended) == CaseState.ARCHIVED.value
    assert Tombstone.select().where(Tombstone.case_reference == old).exists()
    assert audit.verify().ok
    code, out = _run([], db_path)
    assert (code, "Archived: 0 files" in out, "Destroyed: 0 files" in out) == (0, True, True)


def test_retention_run_checks_roles_as_the_service_does(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    acting_as("officer")  # archives, as the team's housekeeping; destroys nothing
    for args in (["--dry-run"], []):
        code, out = _run(args, db_path)
        assert code == 1
        assert f"{old}" in out and "only the Complaints Resolution Manager may" in out
    assert _state(old) == CaseState.ARCHIVED.value


def test_expire_archives_what_owes_nothing(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    decisions.lift_restrictions(actors[Role.CRM], ref, "Subsided", customer_reason=TOLD)
    builders.send_lifted(actors[Role.CRM], ref)
    acting_as("crm")
    monkeypatch.setenv("CRM_TUI_NOW", builders.APPEAL_PERIOD_OVER.isoformat())
    result = CliRunner().invoke(main, ["expire", "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert f"Archived (nothing owed): {ref} (restrictions ended on " in result.output
    assert _state(ref) == CaseState.ARCHIVED.value


def test_expire_says_a_file_closed_with_no_action_was_closed_so(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Tester v16 N6: `crm-tui expire` said "restrictions ended" of a file closed with no
    action, which never had any; it says why as `retention run` does."""
    ref = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)
    acting_as("crm")
    monkeypatch.setenv("CRM_TUI_NOW", builders.APPEAL_PERIOD_OVER.isoformat())
    result = CliRunner().invoke(main, ["expire", "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert f"Archived (nothing owed): {ref} (closed with no action on 28 Nov 2026)" \
        in result.output
    assert "restrictions ended" not in result.output.lower()
    assert _state(ref) == CaseState.ARCHIVED.value


@pytest.mark.sqlite_only("SQLite's WAL, emptied after a destruction")
def test_a_reader_elsewhere_keeps_the_wal_and_the_report_says_so(
        actors: dict[Role, Actor], db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from crm_tui.db import sqlite as dialect

    monkeypatch.setattr(dialect, "CHECKPOINT_WAIT_SECONDS", 0.05)
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute('SELECT COUNT(*) FROM "case"').fetchone()  # the app reading, elsewhere
    try:
        report = schedule.run(actors[Role.CRM])
    finally:
        reader.close()
    assert [row.reference for row in report.destroyed] == [ref]
    assert report.wal_emptied is False
    assert archive.empty_wal()  # once the reader is gone
    assert Path(f"{db_path}-wal").stat().st_size == 0


@pytest.mark.sqlite_only("a restore keeps the SQLite file it replaced beside it; on a "
                         "PostgreSQL database restore is refused, the server's own backups "
                         "do it (test_postgresql_commands.py)")
def test_a_destruction_names_the_copies_a_restore_kept_and_old_ones_go(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A restore keeps what it replaced beside it, destroyed files' data included: kept for
    restore_copies_days (30), then deleted by `retention run`; until then each run that
    destroys names them."""
    old = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    now = clock.now()

    def kept(days_ago: int) -> Path:
        path = db_path.with_name(f"{db_path.name}.before-restore-"
                                 f"{now - timedelta(days=days_ago):%Y%m%d-%H%M%S}-7")
        path.write_bytes(b"the customer's data, as it was before a restore")
        return path

    recent, stale = kept(2), kept(31)
    acting_as("crm")
    code, out = _run([], db_path)
    assert code == 0, out
    assert "Destroyed: 1 file" in out and old in out
    assert not stale.exists() and f"Deleted {stale}" in out
    assert recent.exists()
    assert "still hold the destroyed files' data" in out and str(recent) in out
    assert f"{(now + timedelta(days=28)).day} " in out.split(str(recent))[1]


@pytest.mark.sqlite_only("a restore keeps the SQLite file it replaced beside it; on a "
                         "PostgreSQL database restore is refused, the server's own backups "
                         "do it (test_postgresql_commands.py)")
def test_a_dry_run_lists_the_restore_copies_whose_time_is_up_as_what_it_would_delete(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """v16b X4: past its 30 days, a restore's copy was listed by the dry run as "deleted by
    the first run on or after" a day already gone, while the run deletes it at once."""
    builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    now = clock.now()
    stale = db_path.with_name(f"{db_path.name}.before-restore-"
                              f"{now - timedelta(days=35):%Y%m%d-%H%M%S}-7")
    stale.write_bytes(b"the customer's data, as it was before a restore")
    acting_as("crm")
    code, out = _run(["--dry-run"], db_path)
    assert code == 0, out
    assert f"Would delete {stale}: a restore kept it (its time is up)." in out, out
    assert "deleted by the first run on or after" not in out, out
    assert stale.exists()


def test_a_file_closed_with_no_action_says_so_when_due_for_destruction(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """Break 16a F5: archived, it was said to have had "Restrictions ended on …"; it never
    had any."""
    ref = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)
    archive.archive(actors[Role.CRM], ref)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    [row] = schedule.due(actors[Role.CRM]).destroy
    assert row.why == "Closed with no action on 28 Nov 2026; kept 6 years to 28 Nov 2032"


def test_a_file_archived_by_a_run_past_its_date_is_destroyed_in_the_same_run(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Break 16a F6: "archive, then destroy, what is due": a file the run archived and
    already past its destruction date waited for the next run. The dry run says the same."""
    ref = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)  # not archived in time
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    acting_as("crm")
    before = _dump()
    code, out = _run(["--dry-run"], db_path)
    assert code == 0, out
    assert "Would archive: 1 file" in out and "Would destroy: 1 file" in out, out
    assert f"{ref}  Housing Services: Closed with no action on 28 Nov 2026; kept 6 years " \
           "to 28 Nov 2032" in out, out
    assert _dump() == before
    code, out = _run([], db_path)
    assert code == 0, out
    assert "Archived: 1 file" in out and "Destroyed: 1 file" in out, out
    assert Tombstone.get(Tombstone.case_reference == ref).destroyed_by == "crm"
    assert audit.verify().ok
    code, out = _run(["--dry-run"], db_path)
    assert "Would destroy: 0 files" in out, out


def test_a_passphrase_file_others_can_read_is_refused(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found when tried: a passphrase file everyone could read confirmed a destruction. It is
    refused before it is read, as ssh refuses a private key others can read; exit 2."""
    old = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    acting_as("crm")
    secret = tmp_path / "crm-passphrase"
    secret.write_text(PASSPHRASE + "\n")
    for mode in (0o644, 0o640, 0o604):
        secret.chmod(mode)
        before = _dump()
        code, out = _run(["--passphrase-file", str(secret)], db_path)
        assert code == 2, out
        assert f"can be read by others (mode {mode:04o}): nothing was read or changed" in out
        assert f"chmod 600 {secret}" in out
        assert _dump() == before
    secret.chmod(0o600)
    code, out = _run(["--passphrase-file", str(secret)], db_path)
    assert code == 0 and "Destroyed: 1 file" in out, out
    assert Tombstone.select().where(Tombstone.case_reference == old).exists()


def test_a_file_done_meanwhile_twice_is_counted_once(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """b16c F12: two runs at once; the second said "5 files" done meanwhile of 3, each file
    archived and destroyed by the other listed once per step."""
    def due_file(reference: str) -> schedule.DueFile:
        return schedule.DueFile(reference, "A Person", "Housing Services", CaseState.ENDED,
                                date(2026, 11, 1), date(2032, 11, 1), "Restrictions ended")

    report = schedule.RunReport(dry_run=False)
    for reference in ("UPV-2026-0003", "UPV-2025-0001"):
        report.by_another.append((due_file(reference), "archived meanwhile"))
        report.by_another.append((due_file(reference), "destroyed meanwhile"))
    report.by_another.append((due_file("UPV-2019-0002"), "destroyed meanwhile"))
    monkeypatch.setattr(schedule, "run", lambda *_args, **_kw: report)
    acting_as("crm")
    result = CliRunner().invoke(main, ["retention", "run", "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert "Done meanwhile by another run or person: 3 files (not a failure)" in result.output
    assert result.output.count("UPV-2025-0001") == 2


def test_unread_post_deleted_in_the_database_is_not_taken_for_a_file_owing_nothing(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """v16b S1: the post still to be read held the file; deleted in the database it released
    the hold unseen. `audit verify` names it, and the run and its dry run skip the file."""
    from datetime import datetime

    from crm_tui.db.models import Restriction, ScreeningItem
    from crm_tui.domain.contact import Channel, Direction
    from crm_tui.services.evidence import contacts
    from crm_tui.services.evidence.contacts import ContactInput

    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    with builders.as_the_app(ref):  # November's post falls under the restriction
        Restriction.update(starts_on=date(2026, 11, 2)).where(
            Restriction.status == "in_force").execute()
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 11, 25, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Same complaint again, by email"))
    decisions.lift_restrictions(crm, ref, "Behaviour has subsided", customer_reason=TOLD)
    builders.send_lifted(crm, ref)
    with clock.travel_to(builders.APPEAL_PERIOD_OVER):
        assert [r.reference for r in schedule.run(crm, dry_run=True).held] == [ref]
        item = int(ScreeningItem.select(ScreeningItem.id).scalar())
        with outside.connect(db_path) as con:
            con.execute("DELETE FROM screening_item WHERE id = ?", (item,))
        con.close()
        gone = f"item of post to screen {item} of {ref}"
        assert gone in audit.verify().problem
        for dry in (True, False):
            report = schedule.run(crm, dry_run=dry)
            assert not report.archived and [(r.reference, why[:8]) for r, why in
                                            report.refused] == [(ref, "skipped:")], dry
            assert gone in report.refused[0][1]
    assert _state(ref) == CaseState.ENDED.value
