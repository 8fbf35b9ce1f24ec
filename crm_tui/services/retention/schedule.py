"""What retention has due, and doing it: the files due for archive (restrictions ended,
nothing still owed) and for destruction (end + the configured retention years), each with
why; archived by the team's housekeeping (the app's start, `crm-tui expire`), both done by
`crm-tui retention run` from a scheduled job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from peewee import JOIN

from crm_tui import clock
from crm_tui.db.models import AuditEntry, Case, Customer, ScreeningItem
from crm_tui.domain.errors import Destroyed, DomainError
from crm_tui.domain.lifecycle import Action, may, retention_ends, stored_date_disagrees
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit_seals, erasure, next_step, restore_copies, scope, settings
from crm_tui.services.core.case_steps import load_case, step
from crm_tui.services.core.database import reading
from crm_tui.services.core.erasure import ExportMade
from crm_tui.services.core.restore_copies import KeptCopy
from crm_tui.services.retention import (
    archive,
    destruction_clock,
    destruction_rule,
    retention_dates,
    years_in_force,
)
from crm_tui.services.retention.retention_dates import Recalculated


@dataclass(frozen=True)
class DueFile:
    """A file retention has due: what it is, why it is due, and what holds it (if
    anything)."""

    reference: str
    customer_name: str
    service_area: str
    state: CaseState
    ended_on: date | None
    destroy_after: date | None
    why: str
    held: str = ""  # why it cannot go yet: a letter owed, post unread, restrictions elsewhere
    # Due for destruction: the exports made of it (bundles, subject access exports, letter
    # copies), from its audit trail.
    exports: tuple[ExportMade, ...] = ()
    # Due for destruction by its stored columns, but not by what the audit trail vouches for
    # (destruction_rule.refusal): never destroyed, and said so ("changed outside the app").
    outside: str = ""


@dataclass(frozen=True)
class RetentionDue:
    archive: list[DueFile]
    destroy: list[DueFile]
    retention_years: int
    # The copies restores kept of what they replaced: they hold a destroyed file's data too,
    # until they are deleted (restore_copies.py).
    kept_copies: tuple[KeptCopy, ...] = ()
    # Where the audit trail records the retention years in force (years_in_force.YearsRecorded).
    years_said: str = ""


@dataclass
class RunReport:
    """What `run` did (or, dry, would do): each file with why; refusals with theirs."""

    dry_run: bool
    archived: list[DueFile] = field(default_factory=list)
    destroyed: list[DueFile] = field(default_factory=list)
    held: list[DueFile] = field(default_factory=list)
    refused: list[tuple[DueFile, str]] = field(default_factory=list)
    # Done meanwhile by someone else (another run, the app's check at start, the CRM in the
    # Retention area) between this run's reading of what is due and its step: not a failure.
    by_another: list[tuple[DueFile, str]] = field(default_factory=list)
    # After destructions: the WAL was emptied into the database file (False: another program
    # holds the database open on an older moment; the next checkpoint empties it).
    wal_emptied: bool = True
    # The retention years in force recorded in the trail as the run began (they differed
    # from the latest recorded: the configuration was changed), in words; '' if not.
    years_recorded: str = ""
    # The exports made of each file destroyed, by its reference: those in the app's own
    # folders deleted, the others for a person to delete or confirm were sent.
    exports: dict[str, list[ExportMade]] = field(default_factory=dict)
    # What each destruction removed from the evidence store and the letters folder, by its
    # reference (services.core.erasure.Removed.said).
    removed: dict[str, str] = field(default_factory=dict)
    # Dry: the destructions an earlier run committed and did not finish (its files and index
    # words still to go), by reference: the next run that writes finishes them.
    interrupted: list[str] = field(default_factory=list)
    # The copies restores kept of what they replaced: those past their time deleted now (dry:
    # those the run would delete); the others still hold the destroyed files' data until the
    # day each is deleted.
    restore_copies_deleted: list[Path] = field(default_factory=list)
    # Stored destruction dates moved to a changed `retention_years` (dry: to be moved), and
    # files left as they are, in words (changed outside the app).
    recalculated: list[Recalculated] = field(default_factory=list)
    recalculation_skipped: list[str] = field(default_factory=list)
    restore_copies: list[KeptCopy] = field(default_factory=list)
    # The run refused as a whole, dry or not, before it read or did anything: the app's
    # clock ahead of the computer's, or the computer's behind the trail's last entry
    # (destruction_clock; b16f F0).
    clock_refusal: str = ""


def _day(value: date | None) -> str:
    return in_prose(value) if value is not None else "no date"


def _unread_post(case: Case) -> int:
    return int(ScreeningItem.select().where((ScreeningItem.case == case)
                                            & (ScreeningItem.outcome == "")).count())


def _archive_hold(case: Case) -> str:
    owed, decided_on = next_step.letter_to_sign(case)
    if owed:
        return f"the {owed} of {_day(decided_on)} is not yet signed"
    to_post = archive.letter_unposted(case)
    if to_post:
        return to_post
    window = archive.appeal_window_open(case)
    if window:
        return window
    unread = _unread_post(case)
    if unread:
        return f"{unread} item{'s' if unread != 1 else ''} of post still to be read"
    return ""


def _row(case: Case, why: str, held: str = "", exports: tuple[ExportMade, ...] = (), *,
         stored: date | None = None) -> DueFile:
    customer = case.customer
    return DueFile(case.reference, customer.name if customer is not None else "",
                   case.service_area.name, CaseState(case.state), case.ended_on,
                   stored or case.destroy_after, why, held, exports)


def _cases(actor: Actor, *states: CaseState) -> list[Case]:
    return list(Case.select(Case, Customer)
                .join(Customer, JOIN.LEFT_OUTER, on=(Case.customer == Customer.id))
                .where(Case.state.in_([s.value for s in states]) & scope.visible(actor))
                .order_by(Case.ended_on, Case.reference))


def due(actor: Actor, *, moved: Mapping[str, date] | None = None) -> RetentionDue:
    """The files due for archive (ended or closed with no action; held while a letter is
    owed or post is unread) and those due for destruction (archived, past end + retention
    years; held while the customer's restrictions last on another case), on the cases the
    actor may see. `moved`: the stored destruction dates a dry run would have recalculated
    first, by reference (the run's own recalculation saves them before it reads)."""
    today = clock.today()
    years = settings.current().retention_years
    to_archive = [_row(case, archive.ended_why(CaseState(case.state), case.ended_on),
                       _archive_hold(case))
                  for case in _cases(actor, CaseState.ENDED, CaseState.CLOSED_NO_ACTION)]
    to_destroy = [row for row in (_due_for_destruction(case, today, years, moved=moved)
                                  for case in _cases(actor, CaseState.ARCHIVED)) if row]
    return RetentionDue(to_archive, to_destroy, years,
                        tuple(restore_copies.kept_copies()) if to_destroy else (),
                        years_in_force.as_recorded().said())


def _due_for_destruction(case: Case, today: date, years: int, *, archiving: bool = False,
                         moved: Mapping[str, date] | None = None) -> DueFile | None:
    """`archiving`: the file is not archived yet, but a run archives it first; `moved`: its
    stored date is one the run recalculates first (a dry run says what the run would do)."""
    # Due at its end plus the retention years, worked out again: not on the stored date
    # alone, which a hand in the database could have moved (b16c F5).
    when = retention_ends(case.ended_on, years)
    # A stored date moved by hand to a day already past is listed (held, naming both dates)
    # though the file is not yet due: the run's report is where someone looks each day
    # (found when tried, b16e F11: the file was left out and nothing was said).
    stored = (moved or {}).get(case.reference, case.destroy_after)
    by_hand = stored is not None and stored != when and stored <= today
    if ((case.state != CaseState.ARCHIVED.value and not archiving)
            or when is None or (when > today and not by_hand)):
        return None
    why = f"{archive.ending_why(case)}; kept {years} years to {_day(when)}"
    elsewhere = archive.restricted_elsewhere(case)
    held = f"the customer's restrictions on {elsewhere} still last" if elsewhere else ""
    outside = ""
    if stored != when:
        held = stored_date_disagrees(stored, case.ended_on, years)
    else:
        # The one rule the destruction itself follows (b16e F0): the list, the dry run and
        # the run say the same of each file.
        outside = destruction_rule.refusal(case, today, years)
    return replace(_row(case, why, held, tuple(erasure.exports_of(case.reference)),
                        stored=stored), outside=outside)


def destruction_due(actor: Actor, reference: str) -> RetentionDue:
    """One file due for destruction as it stands now (the question before `D` is built from
    it, not from what a list read earlier: an export made meanwhile in another terminal is
    named), with the restore copies that hold it; empty if it is no longer due. Refused as
    load_case refuses (a file destroyed meanwhile says so)."""
    with reading():
        case = load_case(actor, reference)
        # Refused before the passphrase is asked for, as the destruction itself refuses.
        destruction_clock.check()
        row = _due_for_destruction(case, clock.today(), settings.current().retention_years)
        return RetentionDue([], [row] if row else [], settings.current().retention_years,
                            tuple(restore_copies.kept_copies()) if row else ())


def _checked(actor: Actor, action: Action, reference: str, moved: Mapping[str, date]) -> str:
    """Why the service would refuse this step now ("" if it would take it): the same
    checks, run without a change, for a dry run (on the stored date the run would have
    recalculated first: `moved`)."""
    try:
        case = load_case(actor, reference)
        if action is Action.DESTROY:
            case.destroy_after = moved.get(reference, case.destroy_after)  # never saved
            if case.state != CaseState.ARCHIVED.value:
                # The run archives it first (this dry run has checked that step): its
                # destruction is checked as of then. Nothing is saved.
                case.state = CaseState.ARCHIVED.value
            step(actor, action, case, restrictions_last_on=archive.restricted_elsewhere(case))
        else:
            step(actor, action, case)
    except DomainError as exc:
        return str(exc)
    # The run skips a file changed outside the app (its save would seal over the change):
    # so does the dry run (found when tried: unread post deleted in the database, the dry
    # run said "Would archive" the file its post had held, v16b S1).
    found = audit_seals.as_left(case.reference, int(case.id))
    return f"skipped: {audit_seals.left_alone(found)}" if found else ""


def _take(actor: Actor, action: Action, row: DueFile, report: RunReport, done: list[DueFile],
          job: str) -> None:
    if action is Action.DESTROY and row.outside:
        # Never destroyed, dry or not: the run skips it and exits 1 (b16e F0).
        report.refused.append((row, f"skipped: {row.outside}"))
        return
    if row.held:
        report.held.append(row)
        return
    try:
        if report.dry_run:
            refusal = _checked(actor, action, row.reference, _moved(report))
            if refusal:
                raise DomainError(refusal)
        elif action is Action.ARCHIVE:
            archive.archive(actor, row.reference, job=job)
        else:
            done_with = archive.destroy(actor, row.reference, purge=False)
            if done_with.exports:
                report.exports[row.reference] = done_with.exports
            report.removed[row.reference] = (
                done_with.removed.said if done_with.removed is not None
                else "its files are removed at the next start (the database was busy)")
    except audit_seals.OutsideChange as exc:
        report.refused.append((row, f"skipped: {audit_seals.left_alone(exc.found)}"))
    except destruction_rule.NotBorneOut as exc:
        report.refused.append((row, f"skipped: {exc}"))
    except DomainError as exc:
        meanwhile = "" if report.dry_run else _done_meanwhile(action, row.reference, exc)
        if meanwhile:
            report.by_another.append((row, meanwhile))
        else:
            report.refused.append((row, str(exc)))
    else:
        done.append(row)


def _moved(report: RunReport) -> dict[str, date]:
    """The stored destruction dates the run recalculated (dry: would have), by reference."""
    return {one.reference: one.now for one in report.recalculated} if report.dry_run else {}


def _done_meanwhile(action: Action, reference: str, refusal: DomainError) -> str:
    """How the step was done by someone else since this run read what is due ("" if it
    was not: the refusal stands): the file archived, or destroyed, meanwhile."""
    if isinstance(refusal, Destroyed):
        return str(refusal)
    if action is not Action.ARCHIVE:
        return ""
    with reading():
        state = Case.select(Case.state).where(Case.reference == reference).scalar()
        if state != CaseState.ARCHIVED.value:
            return ""
        entry = (AuditEntry.select(AuditEntry.actor_login, AuditEntry.at)
                 .where((AuditEntry.case_reference == reference)
                        & (AuditEntry.action == Action.ARCHIVE.value))
                 .order_by(AuditEntry.seq.desc()).first())
    if entry is None:
        return "archived meanwhile"
    when = datetime.fromisoformat(str(entry.at))
    return f"archived meanwhile by {entry.actor_login} on {_day(when.date())} at {when:%H:%M}"


def archive_due(actor: Actor, job: str) -> list[str]:
    """The references `archive_files_due` archived."""
    return [row.reference for row in archive_files_due(actor, job)]


def archive_files_due(actor: Actor, job: str) -> list[DueFile]:
    """Archive every file whose restrictions have ended (or that closed with no action) and
    that owes nothing: no letter unsigned or unposted, no post unread. Run by the team's
    housekeeping; `job` names it in each audit entry, and the person whose session or job it
    is acts. Returns the files archived, each with why (`archived_said`)."""
    return archive_run(actor, job).archived


def archive_run(actor: Actor, job: str) -> RunReport:
    """`archive_files_due`, with the files it could not archive and why (`refused`): a file
    changed outside the app since its latest entry is skipped, not sealed over, and said."""
    report = RunReport(dry_run=False)
    if not may(actor, Action.ARCHIVE):
        return report
    report.years_recorded = _years_recorded(actor)  # the team's start, and `crm-tui expire`
    for row in due(actor).archive:
        _take(actor, Action.ARCHIVE, row, report, report.archived, job)
    return report


def _years_recorded(actor: Actor) -> str:
    """Record the retention years configured now if the trail's latest record differs: what
    was recorded, in words ('' if nothing was)."""
    try:
        if not years_in_force.record_if_changed(actor):
            return ""
    except DomainError:
        # The person cannot record now (their standing, the clocks): said where they are;
        # the next start, run or destruction records the years.
        return ""
    return f"Recorded in the audit trail: {years_in_force.recorded_said()}"


def archived_said(rows: list[DueFile]) -> str:
    """The files archived, each with what ended it as `archive.ended_why` says it (the one
    wording, everywhere a file's archiving is told): "UPV-2026-0003 (closed with no action
    on 26 Oct 2026), UPV-2025-0001 (restrictions ended on 1 Dec 2026)" (found when tried: the
    start-up toast and `crm-tui expire` said a file closed with no action, never restricted,
    had had its restrictions ended)."""
    return ", ".join(f"{row.reference} ({row.why[:1].lower()}{row.why[1:]})" for row in rows)


def _due_after_archiving(actor: Actor, todo: RetentionDue, report: RunReport) -> list[DueFile]:
    """What is due for destruction once the run has archived what it could: read again
    (a real run), or, dry, the files it would archive that are past their date too."""
    if not report.archived:
        return todo.destroy
    if not report.dry_run:
        return due(actor).destroy
    today, years = clock.today(), settings.current().retention_years
    with reading():
        cases = {c.reference: c for c in Case.select().where(
            Case.reference.in_([row.reference for row in report.archived]))}
        more = [row for row in (_due_for_destruction(cases[r.reference], today, years,
                                                     archiving=True, moved=_moved(report))
                                for r in report.archived if r.reference in cases) if row]
    return [*todo.destroy, *more]


def run_refusal(actor: Actor) -> str:
    """Why `actor` may not run retention at all ("" if they may archive or destroy): said up
    front, dry or not (found when tried, b16e F1: the user administrator, who sees no case,
    got "nothing due" and exit 0, so a scheduled job set up under that account would report
    success every morning while nothing was ever archived or destroyed)."""
    if may(actor, Action.ARCHIVE) or may(actor, Action.DESTROY):
        return ""
    return (f"the {actor.role.label} does not archive or destroy files: run it as the "
            "Complaints Resolution Manager")


def run(actor: Actor, *, dry_run: bool = False, job: str = "crm-tui retention run") -> RunReport:
    """Archive what is due, then destroy what is due (each destruction on its own,
    confirmed with the acting person's passphrase). Dry, nothing changes and the report
    says what would be done (the service's checks run, none of its changes). A file held (a
    letter owed, restrictions lasting elsewhere) is reported, not touched; a step the
    service refuses is reported with its reason."""
    report = RunReport(dry_run)
    # Nothing at all on a "today" the computer's clock does not bear out: a destruction
    # cannot be undone, and an archiving dated ahead would hold every later one back
    # (destruction_clock). The dry run says the same.
    with reading():
        report.clock_refusal = destruction_clock.refusal()
    if report.clock_refusal:
        return report
    # A changed `retention_years` leaves its mark in the trail as the run begins, by the
    # person running it, whatever is then due (v16g: it left none until a destruction).
    if not dry_run:
        report.years_recorded = _years_recorded(actor)
    # First, the stored dates follow a changed `retention_years` (b16c F11): otherwise every
    # file ended before the change is held for ever as "its stored date … is not its end
    # plus N years".
    # A dry run saves none of them, and reads what is due as of the dates the run would
    # have saved (found when tried: a file held in the dry run, "its stored destruction
    # date … is not its end plus N years", was destroyed by the real run).
    report.recalculated, report.recalculation_skipped = retention_dates.recalculate(
        actor, dry_run=dry_run)
    todo = due(actor, moved=_moved(report))
    for row in todo.archive:
        _take(actor, Action.ARCHIVE, row, report, report.archived, job)
    # A file archived now and already past its destruction date is destroyed in the same
    # run, as the policy has it due (found when tried: it waited for the next night's run).
    for row in _due_after_archiving(actor, todo, report):
        _take(actor, Action.DESTROY, row, report, report.destroyed, job)
    if report.destroyed and not dry_run:
        # The search indexes rewritten once for all the files destroyed (a whole index's
        # rewrite each time would hold the write lock for long on a large contact log).
        report.wal_emptied = archive.finish_destructions()
    elif dry_run:
        report.exports = {row.reference: erasure.as_planned(row.exports)
                          for row in report.destroyed if row.exports}
        report.interrupted = erasure.interrupted()
    # Dry, the copies whose time is up are those the run would delete (found when tried: a
    # dry run listed them as "deleted by the first run on or after" a day already past).
    report.restore_copies_deleted = restore_copies.due_now() if dry_run \
        else restore_copies.expire()
    report.restore_copies = [copy for copy in restore_copies.kept_copies()
                             if copy.path not in report.restore_copies_deleted]
    return report
