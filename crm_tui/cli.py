"""The command line. `crm-tui` opens the app; subcommands serve scripts, set-up and checks.

The app is built through `crm_tui.ui.app.create_app`, the same factory the tests use;
Textual is imported only when the app is opened, so scripted commands start fast.
"""

from __future__ import annotations

import contextlib
import grp
import os
import shlex
import stat
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from crm_tui import clock, private_files
from crm_tui import config as config_module
from crm_tui.cli_words import (
    PlainGroup,
    ReadFile,
    database_file,
    escape_output,
    placeholder,
    refused,
)
from crm_tui.config import Config, ConfigError
from crm_tui.db.cipher import KeyUnavailable, WrongKey
from crm_tui.db.connection import DatabaseError, open_database, shown
from crm_tui.db.peek import is_server
from crm_tui.domain.errors import DomainError
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core import (
    configured_areas,
    confirmation,
    identity,
    next_step,
    settings,
    users,
)
from crm_tui.services.core.database_facts import demo_user
from crm_tui.services.core.passphrases import PassphraseNeeded

if TYPE_CHECKING:  # the signing modules load only for the commands that sign
    pass

DB_HELP = "database file or URL (default: $CRM_TUI_DB, else the user data folder)"
# A --reason the service refuses when it stands for nothing ("n/a"): told with the rest.
REASON = [placeholder("reason")]


class NoDatabase(click.ClickException):
    """A command named a database file that is not there (or one that is encrypted with a key
    not to be had here). Exit 2, as for a wrong argument:
    a check run against a mistyped path must never read as "checked, nothing wrong" (nor as
    the ordinary failure, exit 1, that a check reports when it finds a problem)."""

    exit_code = 2


class AreasLeftOut(click.ClickException):
    """The configuration leaves out service areas in use (cases, referrals, users): exit 2, as
    for a wrong argument (nothing was done, the configuration is to be put right)."""

    exit_code = 2


class Context:
    def __init__(self, db: str | None, user: str | None, config_path: str | None) -> None:
        self.db_option = db
        self.user_option = user
        self.config_path = Path(config_path) if config_path else None
        self._config: Config | None = None

    def demo_letters(self, folder: Path) -> None:
        """Sign the demo's letters into its own folder, unless one is configured."""
        if not self.config.letters_folder:
            self._config = replace(self.config, letters_folder=str(folder))
            settings.configure(self._config)  # the services' folders too, not only the app's

    def follow_database(self, file: Path, demo: bool) -> None:
        """A demo database's letters are beside it (`STEM-letters`, as its evidence is in its
        own folder), whichever command is given it with --db: the app, `retention run`,
        `backup`, `restore` alike."""
        if demo:
            self.demo_letters(file.with_name(file.stem + "-letters"))

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = config_module.load(self.config_path)
            except ConfigError as exc:
                raise click.ClickException(f"configuration: {exc}") from exc
            settings.configure(self._config)
            _share_with_team(self._config)
        return self._config

    def database_target(self, db: str | None = None, *, default: Path | None = None) -> str:
        return str(db or self.db_option or os.environ.get("CRM_TUI_DB")
                   or default or config_module.default_database_path())

    def open(self, db: str | None = None, *, default: Path | None = None,
             create: bool = False, reads_only: bool = False) -> str:
        """Open the database. Only the commands that make one (`users add` for a new
        database's first administrator, `demo`, `seed`) may name a file that is not there: a
        mistyped path is an error, never a new empty database. A command that writes first
        cleans up what a killed run left (services.core.leftovers); one that `reads_only`
        (the checks above all, which report leftovers) changes nothing."""
        target = self.database_target(db, default=default)
        _ = self.config
        file = database_file(target, "this works") \
            if target.startswith("sqlite:") or "://" not in target else None
        if not create and file is not None:
            missing = not file.expanduser().exists()
            why = "nothing was created" if missing else _not_a_database(file.expanduser())
            if why:
                # How to make one is said only where there is none: a folder or another
                # program's file is a path typed wrong, not a database still to be made.
                how = (" A new one is made by its first user administrator (crm-tui users add "
                       "... --role user_admin --db PATH); crm-tui demo makes a demo."
                       if missing else "")
                raise NoDatabase(f"no database at {file} ({why}).{how}")
        if not create and is_server(target):
            _no_server_database(target)
        if file is not None:
            _settle_restore(file.expanduser())
        try:
            open_database(target, busy_timeout=self.config.busy_timeout_seconds)
        except (KeyUnavailable, WrongKey) as exc:
            raise NoDatabase(str(exc)) from exc  # exit 2: nothing could be read
        except DatabaseError as exc:
            raise refused(exc) from exc
        if self.config.encrypt_database and file is not None:
            from crm_tui.services.core import database_key

            if database_key.key_in_use() is None:
                click.echo(f"encrypt_database is on, but the database at {file} is not "
                           "encrypted: crm-tui encryption encrypt encrypts it.", err=True)
        if file is not None:
            self.follow_database(file.expanduser(), demo_user() is not None)
        elif is_server(target) and demo_user() is not None:
            # A demo on a server: its letters in its own folder too (guard.demo_folders).
            from crm_tui.demo.guard import demo_folders

            self.demo_letters(demo_folders(target)[2])
        try:
            configured_areas.check(self.config)
        except configured_areas.AreasLeftOut as exc:
            raise AreasLeftOut(str(exc)) from exc
        if not reads_only:
            # A check writes nothing: making a configured area the database lacks is left to
            # the app and the commands that write. Found when tried (v16g G12): the last area,
            # deleted in the database, was made again (same number, same name) by `audit
            # verify` as it started, which then found nothing gone.
            users.ensure_service_areas(self.config.service_areas)
        next_step.recompute_if_marked()
        next_step.refresh_letters_owed()
        if not reads_only:
            _sweep()
        return target

    def claimed(self, user: str | None = None) -> str | None:
        """A user named on the command line or in the environment: honoured on a demo
        database only (see services.core.identity)."""
        return user or self.user_option or os.environ.get("CRM_TUI_USER") or None

    def actor(self, user: str | None = None) -> Actor:
        """The acting person, established from the account running this command."""
        try:
            return identity.establish(self.claimed(user))
        except DomainError as exc:
            raise refused(exc) from exc


def _no_server_database(url: str) -> None:
    """A PostgreSQL database, as a file is checked before it is opened: a database the server
    does not have, one with no tables yet, or one holding another program's tables is no
    crm-tui database (NoDatabase, exit 2), and nothing is made in it, read in a read-only
    session. A server that does not answer is said by opening it."""
    from crm_tui.db.peek import NotCrmDatabase, server_settings

    try:
        marks = server_settings(url)
    except NotCrmDatabase as exc:
        raise NoDatabase(f"no database at {shown(url)} (the database there is not crm-tui's; "
                         "nothing was changed).") from exc
    except DatabaseError as exc:
        cause = exc.__cause__
        if getattr(cause, "pgcode", None) != "3D000" and "does not exist" not in str(cause):
            return  # not the database missing: opening it says what is wrong
        raise NoDatabase(f"no database at {shown(url)} (the server has no database of that "
                         "name). Its administrator creates one (CREATE DATABASE), then its "
                         "first user administrator makes it (crm-tui users add ... --role "
                         "user_admin --db URL).") from exc
    if marks is None:
        raise NoDatabase(f"no database at {shown(url)} (it has no tables yet: nothing was "
                         "created). A new one is made by its first user administrator "
                         "(crm-tui users add ... --role user_admin --db URL); crm-tui demo "
                         "makes a demo.")


def _settle_restore(database: Path) -> None:
    """A restore of this database cut short is finished or undone before it is opened."""
    from crm_tui.services.retention.restore_swap import JournalProblem, settle

    try:
        said = settle(database)
    except (JournalProblem, OSError) as exc:
        raise click.ClickException(f"a restore was cut short and could not be settled: "
                                   f"{exc}") from exc
    if said:
        click.echo(said, err=True)


def _sweep() -> None:
    """Clean up what a killed run left, saying so on stderr and in the log (by hash only)."""
    from crm_tui.services.core import leftovers

    _log_to_file()
    try:
        swept = leftovers.sweep()
    except DomainError:  # the database busy: the next start cleans up instead
        # Not the busy save's own sentence ("…nothing was saved"), which read as the
        # command's result above the command's real one (found when tried: "nothing was
        # saved", then "Imported 1 contact").
        click.echo("Leftovers of an interrupted run were not looked for this time (another "
                   "person is saving to the database); the next start looks.", err=True)
        return
    if swept:
        click.echo(swept.said, err=True)


def _log_to_file() -> None:
    """What the start cleans up is kept in crm-tui.log in the user data folder (hashes and
    counts only: no personal data). The file is made only when there is something to say."""
    import logging

    logger = logging.getLogger("crm_tui.leftovers")
    folder = config_module.data_dir()
    path = folder / "crm-tui.log"
    for old in [h for h in logger.handlers if isinstance(h, logging.FileHandler)]:
        if old.baseFilename == str(path.absolute()):
            return
        logger.removeHandler(old)  # another data folder's (a second run in one process)
        old.close()
    private_files.secure_folder(folder)
    handler = logging.FileHandler(path, delay=True,
                                  encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False


def _share_with_team(config: Config) -> None:
    """A database shared by a team through a file-system group: what this process writes is
    the group's too (umask 007, files 0660, folders 2770), never everyone's."""
    if config.team_group:
        os.umask(0o007)
        private_files.share_with_group(grp.getgrnam(config.team_group).gr_gid)


T = TypeVar("T")
CONFIRM_FILE_HELP = ("a file holding your personal key's passphrase, to confirm this "
                     "(else the keyring's, else you are asked)")
# Every command that takes a decision of consequence offers the same way to confirm it.
confirm_option = click.option("--passphrase-file", type=ReadFile(), help=CONFIRM_FILE_HELP)


def _confirmed(step: Callable[[], T], passphrase_file: Path | None) -> T:
    """Run a decision of consequence, confirmed with the acting person's own passphrase: from
    the file given, else the keyring, else asked for (never echoed, never kept)."""
    given = _read_passphrase(passphrase_file)
    try:
        with confirmation.given(given):
            return step()
    except PassphraseNeeded as exc:
        if given is not None:
            raise refused(exc) from exc
        if exc.notice:
            click.echo(exc.notice, err=True)
        secret = click.prompt(f"{str(exc).capitalize()}. Passphrase", hide_input=True,
                              err=True)
        try:
            with confirmation.given(secret):
                return step()
        except DomainError as again:
            raise refused(again) from again
    except DomainError as exc:
        raise refused(exc) from exc


pass_context = click.make_pass_decorator(Context)


@click.group(cls=PlainGroup, invoke_without_command=True)
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user: demo databases only (also $CRM_TUI_USER); "
                            "elsewhere you act as the account you are logged in as")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="configuration file (default: config.toml in the user config folder)")
@click.version_option(package_name="crm-tui")
@click.pass_context
def main(ctx: click.Context, db: str | None, user: str | None, config_path: str | None) -> None:
    """crm-tui: the Unreasonably Persistent or Vexatious Customer Behaviour Policy, end to
    end. With no command, opens the app."""
    # Everything the app writes holds personal data: readable by this user only.
    os.umask(0o077)
    try:
        clock.now()
    except ValueError as exc:
        raise refused(exc) from exc
    ctx.obj = Context(db, user, config_path)
    if ctx.invoked_subcommand is not None:
        escape_output()  # stored text is shown, never obeyed by the terminal
        # Click strips ANSI sequences from output that is not a terminal (a pipe, a file)
        # before our stream sees it: a stored `ESC[2J` vanished from a report without a sign.
        # Nothing here styles its output, so nothing is stripped and everything is escaped.
        ctx.color = True
    if ctx.invoked_subcommand is None:
        state: Context = ctx.obj
        target = state.open()
        _launch(state, target, state.actor().login)


# `crm-tui appeals …`, in cli_appeals.py: like every command kept in a module of its own, it
# loads when run (PlainGroup.lazy), not when the app opens.
main.lazy("appeals", "crm_tui.cli_appeals:appeals_group")


def _launch(state: Context, target: str, login: str) -> None:
    from crm_tui.ui.collector import collect_seldom

    collect_seldom()  # before Textual and the screens are imported (ui/collector.py)
    from crm_tui.ui.app import create_app

    # Opened by state.open(), its housekeeping done (and what a killed run left said).
    app = create_app(target, login, state.config, opened=True)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)



def _not_a_database(path: Path) -> str:
    """Why an existing file is no crm-tui database, so that a command that only reads does
    not turn it into an empty one and report on that; '' if it is one (or cannot be told
    here: opening it then says why). SQLite files only: Context.open asks only when its
    target names a file; a PostgreSQL database is never peeked at here (the server says, as
    it is opened, that it is not there)."""
    from crm_tui.db import cipher

    if path.is_dir():
        return "that is a folder: give the database file in it"
    if path.is_file() and path.stat().st_size == 0:
        return "the file there is empty; nothing was changed"
    try:
        with contextlib.closing(cipher.connect(path, uri=f"{path.resolve().as_uri()}?mode=ro")
                                ) as peek:
            known = peek.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                 "name = 'schema_migration'").fetchone()
    except DatabaseError as exc:  # encrypted, and its key is not to be had here
        raise NoDatabase(str(exc)) from exc
    except cipher.errors() as exc:
        # SQLite's words for a file that is damaged or no database at all (text, a PDF, a
        # damaged header); any other failure (locked, unreadable) is said by opening it.
        if cipher.damaged(exc):
            return ("the file there is damaged, or is not a database at all: if it was one, "
                    "restore it from a backup (crm-tui restore); nothing was changed")
        return ""
    except (OSError, ValueError):
        return ""
    return "" if known else "the file there is not a crm-tui database; nothing was changed"


class ReadableByOthers(click.ClickException):
    """A passphrase file that others can read: refused before it is read, exit 2 (as for a
    wrong argument, and as ssh refuses a private key that others can read)."""

    exit_code = 2


def _read_passphrase(file: Path | None) -> str | None:
    """From a file the user made (never from the command line itself), or None. Only a file
    no one else can read (found when tried: a file everyone could read confirmed a
    destruction): the passphrase confirms decisions about people, as its holder."""
    if file is None:
        return None
    try:
        mode = file.stat().st_mode
        if mode & 0o077:
            raise ReadableByOthers(
                f"the passphrase file {quoted(str(file))} can be read by others (mode "
                f"{stat.S_IMODE(mode):04o}): nothing was read or changed. Make it yours alone "
                f"(chmod 600 {shlex.quote(str(file))}), and choose a new passphrase if others "
                "may have read it")
        return file.read_text(encoding="utf-8").strip("\r\n")
    except OSError as exc:
        raise click.ClickException(f"the passphrase file cannot be read: {exc.strerror}") \
            from exc


# The commands defined in cli_commands.py: loaded when run or listed, not when the app opens.
for _name, _attribute in (("demo", "demo"), ("seed", "seed"), ("cases", "cases"),
                          ("users", "users_group"), ("import", "import_group"),
                          ("evidence", "evidence"), ("calendar", "calendar_group"),
                          ("signing", "signing_group"), ("letters", "letters_group"),
                          ("expire", "expire_command"), ("register", "register_command"),
                          ("check-contact", "check_contact_command")):
    main.lazy(_name, f"crm_tui.cli_commands:{_attribute}")

main.lazy("backup", "crm_tui.cli_privacy:backup_command")  # `crm-tui backup|restore|sar`
main.lazy("restore", "crm_tui.cli_privacy:restore_command")
main.lazy("sar", "crm_tui.cli_privacy:sar_command")
main.lazy("encryption", "crm_tui.cli_encryption:encryption_group")  # `crm-tui encryption …`
main.lazy("migrate-db", "crm_tui.cli_migrate:migrate_db_command")  # `crm-tui migrate-db`
main.lazy("audit", "crm_tui.cli_audit:audit_group")  # `crm-tui audit verify|anchor`
main.lazy("server-setup", "crm_tui.cli_server:server_setup")  # `crm-tui server-setup`
main.lazy("customer", "crm_tui.cli_customers:customer_group")  # `crm-tui customer show|contact`
main.lazy("retention", "crm_tui.cli_retention:retention_group")  # `crm-tui retention run`
main.lazy("screening", "crm_tui.cli_screening:screening_group")  # `crm-tui screening …`
