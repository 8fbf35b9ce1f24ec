"""`crm-tui backup DEST` and `crm-tui restore SRC`: the database (a consistent copy while the
app runs), the evidence store and the letters folder, with a manifest of hashes; a restore
checks everything before it replaces anything (README, "Backups")."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crm_tui.cli_words import AllAtOnce, WrittenFolder, database_file, placeholder
from crm_tui.domain.counting import counted
from crm_tui.domain.grounds import request_problem
from crm_tui.domain.typed_dates import in_prose, quoted

if TYPE_CHECKING:
    from crm_tui.cli import Context

DB_HELP = "database file (default: $CRM_TUI_DB, else the user data folder)"
# Backup and restore copy the SQLite file itself (db/copies.py: SQLite's online backup, its
# integrity check, the file swapped in place). A PostgreSQL database's copy is the server's.
ON_SERVER = ("a PostgreSQL database is backed up and restored by the server's own backups "
             "(pg_dump and pg_restore, or the backups the server's administrator keeps); "
             "back up the evidence and letters folders with them")


def _day(text: str) -> str:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{in_prose(when)} {when:%H:%M}"


@click.command("backup", cls=AllAtOnce)
@click.argument("dest", type=WrittenFolder())
@click.option("--db", help=DB_HELP)
@click.pass_obj
def backup_command(state: Context, dest: Path, db: str | None) -> None:
    """Copy the database (consistently, while the app runs), the evidence store and the
    letters folder into DEST, a new or empty folder (made private; a new one only inside a
    folder that exists), with manifest.json: every file's SHA-256 and size, the audit trail's
    head, the version and the time."""
    from crm_tui.db import copies
    from crm_tui.services.core.database_facts import EVIDENCE_KEY
    from crm_tui.services.retention.backup import BackupProblem, take_backup

    database = database_file(state.database_target(db), "backup and restore work",
                             on_server=ON_SERVER)
    from crm_tui.db.models import database_proxy

    state.open(str(database))  # refuses a database that is not there (exit 2)
    from crm_tui.services.core.personal_keys import key_folder

    keys = key_folder()  # this database's (the demo's own folder, or the data folder's)
    database_proxy.close()  # the copy is taken through a connection of its own
    config = state.config
    evidence = copies.evidence_folder(database, EVIDENCE_KEY, config.evidence_path())
    try:
        done = take_backup(database, evidence, config.letters_path(), dest.expanduser(),
                           config.busy_timeout_seconds, keys, config.exports_path())
    except BackupProblem as exc:
        raise click.ClickException(f"no backup was taken: {exc}") from exc
    except OSError as exc:
        raise click.ClickException(f"no backup was taken (nothing was left in {dest}): "
                                   f"{exc}") from exc
    click.echo(f"Backup written to {done.folder}: {counted(done.files, 'file')}, "
               f"{done.size / 1e6:.1f} MB; audit trail head {done.audit_head.split(':')[0]}.")
    click.echo(f"Manifest SHA-256 {done.manifest_sha256} (keep it elsewhere, as the audit "
               "anchor: `restore --manifest-sha256` checks it).")
    if done.key_fingerprint:
        click.echo(f"Encrypted, as the database is: restoring it needs the database key "
                   f"{done.key_fingerprint} (keep a copy of it apart from the backups).")
    if done.left_out:
        click.echo(f"Not copied: {counted(len(done.left_out), 'file')} of the evidence store "
                   "that no record of the copied database points to (a document of an import "
                   "still at work as the database was copied, or left by a run cut short): "
                   + "; ".join(done.left_out[:20])
                   + (f"; and {len(done.left_out) - 20} more" if len(done.left_out) > 20
                      else ""))
    short = ""
    if done.not_whole:
        short = (f"what it copied is not whole ({counted(len(done.not_whole), 'problem')}; "
                 "`crm-tui evidence verify` checks the store): "
                 + "; ".join(done.not_whole[:20])
                 + (f"; and {len(done.not_whole) - 20} more" if len(done.not_whole) > 20
                    else ""))
    if done.broken:
        # Kept (the database as it now is, for whoever looks into the change), but marked,
        # and the job fails with a code of its own: it is no backup to restore from.
        raise TrailBroken(
            f"the backup was written, but it cannot be restored as it stands: "
            f"{done.broken}. `restore` refuses it (its manifest marks it: "
            f"audit_trail_when_taken). Keep it for whoever looks into the change, keep the "
            f"last backup that restores, and run `crm-tui audit verify`."
            + (f" Also, {short}" if short else ""))
    if short:
        # Written all the same (the rest is worth keeping), but the job fails, so that the
        # damage is seen while good copies of what is damaged may still exist.
        raise click.ClickException(f"the backup was written, but {short}")


class TrailBroken(click.ClickException):
    """A backup written of a database whose audit trail is broken: exit 3, apart from a
    backup that is not whole (1), so that a scheduled job tells the two apart."""

    exit_code = 3


class Sha256(click.ParamType[str, Any]):
    """64 hexadecimal digits, as `backup` printed them: anything else is a typing error
    (exit 2), not a manifest that fails to match (found when tried: "deadbeef" exited 1)."""

    name = "sha256"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = str(value).strip().lower()
        if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
            self.fail(f"{quoted(value)} is not a SHA-256: give the 64 hexadecimal digits `backup` "
                      "printed", param, ctx)
        return text


class NoBackupFolder(click.ClickException):
    """`restore` given a SRC that is no folder: exit 2, as for any path typed wrong."""

    exit_code = 2


@click.command("restore", cls=AllAtOnce)
@click.argument("src", type=click.Path(path_type=Path))
@click.option("--manifest-sha256", "manifest_sha256", default=None, type=Sha256(),
              help="the manifest's SHA-256 that `backup` printed, kept elsewhere: the "
                   "manifest must still be that one")
@click.option("--new", is_flag=True,
              help="restore into a new database at --db (a path with none); its evidence "
                   "store and letters folder must be absent or empty")
@click.option("--bring-back-destroyed", is_flag=True,
              help="restore even though the backup holds files destroyed since it was taken "
                   "(refused without it, naming them); the next retention run destroys them "
                   "again")
@click.option("--db", help=DB_HELP)
@click.pass_obj
def restore_command(state: Context, src: Path, manifest_sha256: str | None, new: bool,
                    bring_back_destroyed: bool, db: str | None) -> None:
    """Put the backup in SRC in place of the database, the evidence store and the letters
    folder. First checks every file against the manifest, the copy's integrity check and its
    audit trail; on any mismatch it refuses, saying what, and changes nothing. Refuses while
    the database is open. What was there before is kept beside, renamed. A path with no
    database is refused unless --new says one is wanted there."""
    from crm_tui.services.retention.backup import BackupProblem
    from crm_tui.services.retention.restore import (
        BackupKeyProblem,
        NoDatabaseThere,
        PlainOverEncrypted,
        becomes_demo,
        restore,
    )

    database = database_file(state.database_target(db), "backup and restore work",
                             on_server=ON_SERVER)
    # The configuration first: it installs the database key, without which an encrypted demo
    # (or its encrypted backup, for --new) cannot be read as one, and its letters went into
    # the installation's letters folder (found when tried, b16f F4).
    _ = state.config
    state.follow_database(database, becomes_demo(src.expanduser(), database))
    config = state.config
    if not src.expanduser().is_dir():
        # A path typed wrong is a usage error, exit 2 (README's exit rule), as a --db with no
        # database is: never the ordinary refusal of a backup that does not check out.
        raise NoBackupFolder(f"not restored: {quoted(str(src))} is "
                             f"{'not a folder' if src.expanduser().exists() else 'not there'};"
                             " nothing was restored or changed")
    try:
        done = restore(src.expanduser(), database, config.evidence_path(),
                       config.letters_path(), manifest_sha256, new=new,
                       bring_back_destroyed=bring_back_destroyed)
    except (BackupKeyProblem, NoDatabaseThere, PlainOverEncrypted) as exc:
        from crm_tui.cli import NoDatabase

        raise NoDatabase(f"not restored: {exc}") from exc  # exit 2, as for any key problem
    except BackupProblem as exc:
        raise click.ClickException(f"not restored: {exc}") from exc
    except OSError as exc:
        raise click.ClickException(f"the restore stopped: {exc}") from exc
    if done.settled:
        click.echo(done.settled)
    last = f", its last audit entry of {_day(done.last_entry_at)}" if done.last_entry_at \
        else ""
    click.echo(f"Restored the backup its manifest dates {_day(done.taken_at)}{last}, into "
               f"{done.database} (audit trail intact: {counted(done.audit_entries, 'entry')} "
               f"checked, as the manifest says, with the records it vouches for); evidence in "
               f"{done.evidence}, letters in {done.letters}.")
    for note in done.notes:
        click.echo(note)
    if done.not_whole:
        click.echo(f"The backup was not whole ({counted(len(done.not_whole), 'problem')}), "
                   "and is restored as it was: " + "; ".join(done.not_whole), err=True)
    if done.put_back:
        click.echo(f"Put back from the register: {counted(len(done.put_back), 'letter file')} "
                   "(" + "; ".join(done.put_back) + ").", err=True)
    if done.left_out:
        # "As said above" only when it was: the letter files put back from the register
        # (found when tried: said with nothing above, v16b X3).
        changed = ", or a registered file changed, as said above" if done.put_back else ""
        click.echo(f"Not restored: {counted(len(done.left_out), 'file')} in the backup that "
                   "its database does not know (no register row or document with that name "
                   f"and hash: put there after the backup was taken{changed}): "
                   + "; ".join(done.left_out), err=True)
    for path in done.kept_aside:
        click.echo(f"Kept what was there before as {path}: remove it once you are sure "
                   f"(retention run deletes it after {config.restore_copies_days} days).")
    if done.lacking:
        # Only when there were such entries: not into a new database, nor over a trail
        # the backup holds whole (v16g G6).
        click.echo(f"{counted(done.lacking, 'entry')} of the trail replaced "
                   f"{'is' if done.lacking == 1 else 'are'} not in the backup (written after "
                   "it was taken) and so not in the restored trail: an audit anchor kept "
                   "since then no longer verifies; note the restore beside it.")


@click.command("sar", cls=AllAtOnce,
               service_checks=[placeholder("reason", rule=request_problem)])
@click.argument("customer")
@click.option("--reason", required=True,
              help="the request's reference, or why it is answered (recorded in the audit "
                   "trail)")
@click.option("--out", type=WrittenFolder(),
              help="folder to write into (default: exports_folder)" + WrittenFolder.MADE)
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def sar_command(state: Context, customer: str, reason: str, out: Path | None, db: str | None,
                user: str | None) -> None:
    """Answer a subject access request: everything held about CUSTOMER (their reference, e.g.
    C000007, or one of their cases') as a PDF for them and a complete JSON copy, with the
    staff and other people named listed apart for redaction review before release. The
    Complaints Resolution Team only; the request is recorded on each of their cases."""
    from crm_tui.cli_words import refused
    from crm_tui.domain.errors import DomainError
    from crm_tui.services.retention.subject_access import export_subject_access

    state.open(db)
    actor = state.actor(user)
    try:
        done = export_subject_access(actor, customer, reason, out or state.config.exports_path(),
                                     state.config.council.name)
    except DomainError as exc:
        raise refused(exc) from exc
    except OSError as exc:
        raise click.ClickException(f"nothing was exported: {exc}") from exc
    click.echo(f"Subject access request for {done.customer_reference} "
               f"({counted(len(done.cases), 'case')}, {counted(done.contacts, 'contact')}) "
               f"written to {done.folder}:")
    copies = f", documents/ ({counted(done.documents, 'document')})" if done.documents else ""
    click.echo(f"  for the person: {done.pdf.name}, {done.json.name}{copies}")
    click.echo(f"  not for release: {done.review.name} (names to review for redaction first)")
