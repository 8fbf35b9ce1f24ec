"""`crm-tui migrate-db --from FILE --to postgresql://…`: a team's database file moved whole to
a PostgreSQL server (services/core/migrate_db.py; README, "A shared database for a team").
Exit codes: 0 moved; 1 refused by the rules (who may) or failed part-way (the server database
left empty); 2 refused before anything was written (the source, the target, a key)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crm_tui.cli_words import AllAtOnce, database_file, refused
from crm_tui.domain.counting import counted

if TYPE_CHECKING:
    from crm_tui.cli import Context


class Refusal(click.ClickException):
    """Refused before anything was written: exit 2, as for a wrong argument."""

    exit_code = 2


class _Lines:
    """Progress as plain lines (not a terminal: a log, a pipe): one per table."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def begin(self, tables: list[tuple[str, int]]) -> None:
        self.total = sum(rows for _, rows in tables)
        click.echo(f"Copying {counted(len(tables), 'table')}, "
                   f"{counted(self.total, 'row')} in all.", err=True)

    def table(self, name: str, rows: int) -> None:
        click.echo(f"  {name}: {counted(rows, 'row')}", err=True)

    def copied(self, rows: int) -> None:
        self.done += rows

    def end(self) -> None:
        click.echo(f"Copied {counted(self.done, 'row')}.", err=True)


class _Bar:
    """Progress on a terminal: one bar over every row, naming the table being copied."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(),
                                 # The terminal itself: the command line's own stream writes
                                 # every control character out (cli_words.EscapingStream), and
                                 # nothing here is stored text.
                                 console=Console(file=sys.__stderr__), transient=False)
        self.task: Any = None

    def begin(self, tables: list[tuple[str, int]]) -> None:
        self.progress.start()
        self.task = self.progress.add_task("Copying", total=sum(rows for _, rows in tables))

    def table(self, name: str, rows: int) -> None:
        self.progress.update(self.task, description=f"Copying {name:<22}")

    def copied(self, rows: int) -> None:
        self.progress.advance(self.task, rows)

    def end(self) -> None:
        self.progress.update(self.task, description="Copied")
        self.progress.stop()

    def stop(self) -> None:
        self.progress.stop()


@click.command("migrate-db", cls=AllAtOnce)
@click.option("--from", "source_text", required=True,
              help="the database file to move (a path, or sqlite:///path)")
@click.option("--to", "target", required=True,
              help="an empty PostgreSQL database: postgresql://host/dbname")
@click.option("--evidence-to", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="where the server database keeps its evidence files (default: the "
                   "configured evidence folder; a demo's, a folder of its own)")
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def migrate_db_command(state: Context, source_text: str, target: str,
                       evidence_to: Path | None, user: str | None) -> None:
    """Move a whole database file to an empty PostgreSQL database, in one transaction there:
    every table, the letters, the evidence files, the audit trail (verified there) and the
    search. Refuses a target that is not empty. The Complaints Resolution Manager or a user
    administrator; recorded in the audit trail on the server."""
    from crm_tui.db.cipher import KeyUnavailable, WrongKey
    from crm_tui.db.connection import DatabaseError, open_database, shown
    from crm_tui.domain.errors import DomainError
    from crm_tui.services.core import migrate_db

    source = database_file(source_text, "migrate-db works",
                           on_server="--from is the file to move to the server")
    config = state.config
    try:
        migrate_db.check_source(source)
        migrate_db.check_target(target)
    except migrate_db.MoveRefused as exc:
        raise Refusal(str(exc)) from exc
    try:
        open_database(source, migrate=False, busy_timeout=config.busy_timeout_seconds)
    except (KeyUnavailable, WrongKey) as exc:
        raise Refusal(f"{exc}") from exc
    except DatabaseError as exc:
        raise Refusal(f"{exc}; nothing was written") from exc
    actor = state.actor(user)
    progress: Any = _Bar() if sys.stderr.isatty() and sys.__stderr__ is not None \
        else _Lines()
    try:
        moved = migrate_db.migrate(actor, source, target,
                                   busy_timeout=config.busy_timeout_seconds,
                                   evidence_to=evidence_to, progress=progress)
    except migrate_db.MoveRefused as exc:
        raise Refusal(str(exc)) from exc
    except migrate_db.MoveFailed as exc:
        raise click.ClickException(f"the move failed, and the database at {shown(target)} "
                                   f"was left empty: {exc}") from exc
    except DomainError as exc:
        raise refused(exc) from exc
    finally:
        if isinstance(progress, _Bar):
            progress.stop()
    click.echo(f"Moved {source} to {moved.target}: {counted(len(moved.tables), 'table')}, "
               f"{counted(moved.rows, 'row')}, {counted(moved.documents, 'evidence document')}"
               f" (schema {moved.schema}).")
    click.echo(f"The audit trail verifies there ({counted(moved.audit_entries, 'entry')} "
               "checked), the last saying who moved it.")
    click.echo(f"Evidence files: {moved.evidence_folder}.")
    click.echo(f"Open it with: crm-tui --db {moved.target}  (or db = \"…\" in the "
               "configuration). The file is left as it was.")
