"""`crm-tui retention run [--dry-run]`: the policy's retention, from a scheduled job (README,
"Retention"). Files whose restrictions ended and that owe nothing are archived; archived files
past their end + the retention years are destroyed (each confirmed with the acting CRM's
passphrase: from --passphrase-file, else the keyring). Exit codes: 0 done (or nothing due;
files held, e.g. by a letter still owed, are listed); 1 a step was refused (the report says
which and why); 2 a usage error or no database."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crm_tui.cli_words import PlainGroup, ReadFile
from crm_tui.domain.counting import counted
from crm_tui.domain.typed_dates import in_prose

if TYPE_CHECKING:
    from crm_tui.cli import Context
    from crm_tui.services.retention.schedule import DueFile

DB_HELP = "database file or URL (default: $CRM_TUI_DB, else the user data folder)"


@click.group("retention", cls=PlainGroup)
def retention_group() -> None:
    """Archive and destroy files as the policy's retention sets it."""


def _day(value: date | None) -> str:
    return in_prose(value) if value is not None else "no date"


def _line(row: DueFile, extra: str = "") -> str:
    return f"  {row.reference}  {row.service_area}: {row.why}{extra}"


@retention_group.command("run")
@click.option("--dry-run", is_flag=True, help="report what is due; change nothing")
@click.option("--passphrase-file", type=ReadFile(),
              help="a file holding your passphrase, to confirm each destruction (else the "
                   "keyring's; a scheduled job is never asked)")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def retention_run(state: Context, dry_run: bool, passphrase_file: Path | None, db: str | None,
                  user: str | None) -> None:
    """Archive the files whose restrictions ended and that owe nothing; destroy the archived
    files past their end + the retention years; print what was done and why. Exit 0: done
    or nothing due (held files listed; files another run archived or destroyed meanwhile
    listed as such); 1: a step was refused (listed); 2: usage, no database."""
    from crm_tui.cli import _read_passphrase
    from crm_tui.services.core import confirmation, grants
    from crm_tui.services.retention import schedule

    given = _read_passphrase(passphrase_file)
    state.open(db, reads_only=dry_run)  # a dry run finishes nothing
    actor = state.actor(user)
    # Their user record edited in the database (a role raised to the CRM's, say): refused
    # with why, before the run names them in that role (found when tried, v15d N5:
    # "Retention run by Tomasz Nowak (Complaints Resolution Manager)", each file refused).
    standing = grants.standing(actor)
    refusal = standing.why if standing.record_edited else schedule.run_refusal(actor)
    if refusal:
        # Before anything is read or done, dry or not: a scheduled job under the wrong
        # account fails every time, not "nothing due" (b16e F1).
        raise click.ClickException(f"{refusal[:1].upper()}{refusal[1:]}.")
    with confirmation.given(given):
        report = schedule.run(actor, dry_run=dry_run)
    if report.clock_refusal:
        # Exit 1, as a refused step: a scheduled job's mail says so every time.
        click.echo(f"Retention {'dry run' if dry_run else 'run'} refused: "
                   f"{report.clock_refusal}.", err=True)
        sys.exit(1)
    verb = ("Would archive", "Would destroy") if dry_run else ("Archived", "Destroyed")
    click.echo(f"Retention {'dry run' if dry_run else 'run'} by {actor.name} "
               f"({actor.role.label}), {_day(_today())}.")
    if report.years_recorded:
        click.echo(f"{report.years_recorded}.")
    if report.recalculated:
        years = report.recalculated[0].years
        click.echo(f"{'Would recalculate' if dry_run else 'Recalculated'} the destruction date "
                   f"of {counted(len(report.recalculated), 'file')} to {years} years' "
                   "retention (retention_years changed since they ended):")
        for moved in report.recalculated:
            click.echo(f"  {moved.said}")
    for line in report.recalculation_skipped:
        click.echo(f"Destruction date not recalculated: {line}", err=True)
    for title, rows in ((verb[0], report.archived), (verb[1], report.destroyed)):
        click.echo(f"{title}: {counted(len(rows), 'file')}")
        for row in rows:
            click.echo(_line(row))
            if row.reference in report.removed and title == verb[1]:
                click.echo(f"    {report.removed[row.reference]}")
    for reference, exports in report.exports.items():
        # Dry, `deleted` says what the run will delete (erasure.goes_with_file, the rule the
        # run follows): each listed, so that what is left by hand is all that is left.
        left = [e for e in exports if not e.deleted]
        deleted = [e for e in exports if e.deleted]
        if deleted:
            click.echo(f"{reference}: the run deletes {counted(len(deleted), 'export')} of it "
                       "from the app's folders itself:" if dry_run else
                       f"{reference}: {counted(len(deleted), 'export')} of it deleted from the "
                       "app's folders:")
            # Named in the run as in the dry run: a scheduled job's mail is the record of
            # what went (found when tried: the run only counted them).
            for export in deleted:
                click.echo(f"    {export.named}")
        if left:
            click.echo(f"{reference}: these exports were made of this file"
                       + (" and the run leaves them" if dry_run else "")
                       + ": delete them by hand or confirm they were sent:")
            for export in left:
                click.echo(f"    {export.said}")
    for path in report.restore_copies_deleted:
        click.echo(f"{'Would delete' if dry_run else 'Deleted'} {path}: a restore kept it "
                   "(its time is up).")
    if report.restore_copies and (report.destroyed or dry_run):
        click.echo("These copies a restore kept of what it replaced still hold the destroyed "
                   "files' data until they are deleted:")
        for copy in report.restore_copies:
            click.echo(f"    {copy.path} (deleted by the first run on or after "
                       f"{_day(copy.deleted_on)})")
    if report.held:
        click.echo(f"Held: {counted(len(report.held), 'file')}")
        for row in report.held:
            click.echo(_line(row, f"; held: {row.held}"))
    if report.by_another:
        # A file archived and then destroyed meanwhile is one file, listed for each step
        # (found when tried, b16c F12: "5 files" of 3).
        files = {row.reference for row, _how in report.by_another}
        click.echo(f"Done meanwhile by another run or person: "
                   f"{counted(len(files), 'file')} (not a failure)")
        for row, how in report.by_another:
            click.echo(_line(row, f"; {how}"))
    if report.refused:
        click.echo(f"Refused: {counted(len(report.refused), 'file')}", err=True)
        for row, why in report.refused:
            click.echo(_line(row, f"; refused: {why}"), err=True)
    if not report.wal_emptied:
        from crm_tui.db import dialect

        if dialect.is_sqlite():
            click.echo("Note: another program has the database open, so its write-ahead log "
                       "(-wal file) could not be emptied now; it is emptied at the next "
                       "checkpoint. Run again when the app is closed to be sure.", err=True)
        else:  # PostgreSQL: the search tables' vacuum (db/postgres.vacuum_search)
            click.echo("Note: the server did not vacuum the search tables now (busy), so the "
                       "destroyed files' words stay in their dead rows until the next "
                       "destruction's vacuum or the server's own autovacuum.", err=True)
    for reference in report.interrupted:
        click.echo(f"An interrupted destruction of {reference} will be finished (its "
                   "documents and letter files removed, the search indexes rewritten) by the "
                   "next run that changes something.")
    if dry_run:
        click.echo("Dry run: nothing was changed.")
    if report.refused or report.recalculation_skipped:
        sys.exit(1)


def _today() -> date:
    from crm_tui import clock

    return clock.today()
