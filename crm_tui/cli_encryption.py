"""`crm-tui encryption status|encrypt|decrypt|import-key|export-key`: encryption at rest of
the database (SQLCipher) and its evidence store, with a key kept in the OS keyring (README,
"Security and privacy"). Exit codes: 0 done; 1 refused (said why; nothing changed); 2 a usage
problem, no database, or an encrypted one whose key is not to be had here."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from crm_tui.cli_words import PlainGroup, database_file
from crm_tui.domain.counting import counted

if TYPE_CHECKING:
    from crm_tui.cli import Context

DB_HELP = "database file (default: $CRM_TUI_DB, else the user data folder)"

# SQLCipher encrypts the SQLite file (db/cipher.py); a server database is never reached here.
ON_SERVER = ("a PostgreSQL database is encrypted by the server's own encryption at rest "
             "(an encrypted disk or volume under its data folder, set up by its "
             "administrator); crm-tui's encryption is for SQLite files")


@click.group("encryption", cls=PlainGroup)
def encryption_group() -> None:
    """Encryption at rest: the database and its evidence store, with a key in your keyring."""


@encryption_group.command("status")
@click.option("--db", help=DB_HELP)
@click.pass_obj
def status(state: Context, db: str | None) -> None:
    """Say whether the database and its evidence files are encrypted, and by which key."""
    from crm_tui.db import cipher
    from crm_tui.services.core import database_key
    from crm_tui.services.core.evidence_store import evidence_store
    from crm_tui.services.core.sealed_files import is_sealed

    database = database_file(state.database_target(db), "encryption works",
                             on_server=ON_SERVER)
    state.open(str(database), reads_only=True)
    raw = database_key.key_in_use()
    if raw is None:
        click.echo(f"{database}: not encrypted.")
    else:
        click.echo(f"{database}: encrypted (SQLCipher), key {database_key.fingerprint(raw)}.")
    root = evidence_store().root
    files = [p for p in root.glob("??/*") if p.is_file()] if root.is_dir() else []
    sealed = sum(1 for p in files if is_sealed(p))
    click.echo(f"Evidence store {root}: {counted(len(files), 'file')}, {sealed} encrypted.")
    if raw is not None and sealed < len(files):
        click.echo("Some evidence files are not encrypted yet: crm-tui encryption encrypt "
                   "finishes them.")
    if not cipher.encrypt_new() and raw is None:
        click.echo("New databases are not encrypted (encrypt_database in the configuration).")


def _done_lines(done: object) -> None:
    from crm_tui.services.retention.encryption import EncryptionDone

    assert isinstance(done, EncryptionDone)
    state_word = "encrypted" if done.encrypted else "decrypted"
    if done.database_changed:
        click.echo(f"The database at {done.database} is {state_word} (key "
                   f"{done.fingerprint}); the audit trail verifies "
                   f"({counted(done.audit_entries, 'entry')} checked).")
    else:
        click.echo(f"The database at {done.database} was already {state_word} (key "
                   f"{done.fingerprint}).")
    click.echo(f"Evidence files {state_word}: {done.files_changed}.")
    for name in done.files_skipped:
        click.echo(f"  left as it was, its content no longer matching its name: {name} "
                   "(crm-tui evidence verify)", err=True)


def _switched(state: Context, db: str | None, user: str | None, *, encrypting: bool) -> None:
    """Encrypt (or decrypt) the database and its evidence store, as the person acting, and
    say what changed; refused with exit 1, saying why, nothing changed."""
    from crm_tui.cli_words import refused
    from crm_tui.domain.errors import DomainError
    from crm_tui.services.retention.encryption import decrypt, encrypt

    database = database_file(state.database_target(db), "encryption works",
                             on_server=ON_SERVER)
    state.open(str(database))
    actor = state.actor(user)
    try:
        done = (encrypt if encrypting else decrypt)(actor, database,
                                                    state.config.busy_timeout_seconds)
    except DomainError as exc:
        raise refused(exc) from exc
    _done_lines(done)


@encryption_group.command("encrypt")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def encrypt_command(state: Context, db: str | None, user: str | None) -> None:
    """Encrypt the database and its evidence store, all or nothing, with the database key
    (made and kept in your keyring if there is none). Nobody may have the database open.
    The Complaints Resolution Manager or a user administrator; recorded in the audit trail."""
    _switched(state, db, user, encrypting=True)
    click.echo("Keep a copy of the key where the council keeps its secrets (crm-tui "
               "encryption export-key): without it, neither this database nor its backups "
               "can be opened.")


@encryption_group.command("decrypt")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def decrypt_command(state: Context, db: str | None, user: str | None) -> None:
    """Turn encryption off for this database: its evidence files, then the database, written
    plain, all or nothing. The key stays in your keyring: backups taken while it was encrypted
    still need it."""
    _switched(state, db, user, encrypting=False)


@encryption_group.command("import-key")
@click.pass_obj
def import_key(state: Context) -> None:
    """Keep a database key in your keyring, read from standard input (64 hexadecimal
    characters, as export-key gives it): a second member of the team, a new laptop."""
    from crm_tui.db.cipher import KeyUnavailable
    from crm_tui.services.core import database_key

    _ = state.config
    text = sys.stdin.readline()
    try:
        fingerprint = database_key.import_key(text)
    except KeyUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Database key {fingerprint} kept in your keyring.")


@encryption_group.command("export-key")
@click.pass_obj
def export_key(state: Context) -> None:
    """Print the database key (64 hexadecimal characters) on standard output, to keep in the
    council's secret store or to give to import-key on another account. Anyone who has it,
    and a copy of the files, can read them."""
    from crm_tui.db.cipher import KeyUnavailable
    from crm_tui.services.core import database_key

    _ = state.config
    try:
        raw = database_key.database_key()
    except KeyUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Database key {database_key.fingerprint(raw)}: keep it as you would the "
               "files themselves.", err=True)
    click.echo(raw.hex())
