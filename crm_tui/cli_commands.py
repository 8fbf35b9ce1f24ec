"""The commands of `crm-tui` kept in cli.py before: `demo`, `seed`, `cases`, `users`, `import`,
`evidence`, `calendar`, `signing`, `letters`, `expire`, `register` and `check-contact`. They
load when one of them is run or listed (PlainGroup.lazy, in crm_tui.cli), not when `crm-tui`
opens the app: defining their options cost the start some 13 ms of processor time (issue 17)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crm_tui import clock
from crm_tui import config as config_module
from crm_tui.cli import (
    CONFIRM_FILE_HELP,
    DB_HELP,
    REASON,
    Context,
    NoDatabase,
    _confirmed,
    _launch,
    _read_passphrase,
    _settle_restore,
    confirm_option,
    pass_context,
)
from crm_tui.cli_words import (
    DATE,
    ROLE_HELP,
    TIME,
    Labelled,
    PlainGroup,
    ReadFile,
    Whole,
    WrittenFile,
    WrittenFolder,
    both,
    database_file,
    period,
    refused,
)
from crm_tui.db.cipher import KeyUnavailable, WrongKey
from crm_tui.db.connection import DatabaseError, shown
from crm_tui.db.peek import is_server
from crm_tui.domain.characters import json_escaped
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.typed_dates import in_prose, quoted
from crm_tui.services.core import identity, users
from crm_tui.services.core.database_facts import demo_user
from crm_tui.services.core.results import UserInfo
from crm_tui.services.intake import inbox

if TYPE_CHECKING:  # the signing modules load only for the commands that sign
    from crm_tui.services.letters.signing_keys import SigningIdentity

# The group these commands are defined in: never run itself; `crm-tui` (cli.main) takes each
# of them from here when it is first asked for.
commands = PlainGroup("crm-tui")


@commands.command()
@click.option("--db", help="where it is kept (default: demo.sqlite3 in the user data folder)")
@click.option("--fresh", is_flag=True,
              help="build it again, throwing away what was done in it since")
@click.option("--no-launch", is_flag=True, help="build the database only (if it needs building)")
@click.option("--yes", is_flag=True,
              help="with --fresh: throw the demo away without asking (needed without a terminal)")
@pass_context
def demo(state: Context, db: str | None, fresh: bool, no_launch: bool, yes: bool) -> None:
    """Open the demo database of invented cases as the demo CRM, as you left it last time. It
    is built (a few seconds) when there is none yet, when it was made by another version of
    crm-tui, or with --fresh, which first says what it throws away (its cases, the letters
    signed in it, the evidence bundles and print packs made from it) and asks, unless --yes.
    It replaces only a demo database: any other file there is refused, and left as it was."""
    from crm_tui.demo.guard import Refused
    from crm_tui.demo.keep import why_build

    # On PostgreSQL the demo is built as in a file (its tables made again, its folders in the
    # user data folder: guard.demo_folders); there is no file to settle or set aside there.
    path: Path | str = (db if is_server(db) else database_file(db, "demo works")) if db \
        else config_module.demo_database_path()
    _ = state.config  # the configuration says where an encrypted demo's key comes from
    if isinstance(path, Path):
        _settle_restore(path)  # before a build could replace what a restore cut short left
    try:
        if fresh:
            _refuse_dated_ahead("the demo")
            if not yes:
                _ask_fresh(state, path)
            if isinstance(path, Path):
                _set_aside_unreadable(path)
        why = "--fresh was given" if fresh else why_build(path)
        if why is not None:
            _refuse_dated_ahead("the demo")
        if why is None:
            click.echo(f"Demo database: {shown(path)}, as you left it (crm-tui demo --fresh "
                       "builds it again)", err=True)
        elif not no_launch:
            _build_demo_apart(state, db, fresh)
        else:
            click.echo(f"Building the demo database: {why}.", err=True)
            _build_demo(state, path)
    except (Refused, DatabaseError) as exc:
        if _key_problem(exc):
            raise NoDatabase(str(exc)) from exc  # exit 2, as for any command
        raise refused(exc) from exc
    if why is None or no_launch:
        _demo_keys_note()  # else said by the build
    if not no_launch:
        # Letters signed in the demo go beside it, with those its build signed: never among a
        # real database's letters, and --fresh takes them away with the rest (open() follows
        # the database given, as for every command).
        target = state.open(str(path))
        _launch(state, target, state.actor().login)


def _at_terminal() -> bool:
    return sys.stdin.isatty()


def _ask_fresh(state: Context, path: Path | str) -> None:
    """Say what --fresh throws away and ask (issue 15 AX4: it asked nothing); refused without a
    terminal to ask at, unless --yes. Nothing to throw away (no demo there yet): not asked."""
    from crm_tui.demo.guard import demo_marks
    from crm_tui.demo.thrown_away import demo_holds

    try:
        there = demo_marks(path) is not None
    except Exception:  # unreadable (set aside, never deleted) or refused: said after
        there = False
    if not there:
        return
    holds = demo_holds(path, state.config)
    what = (f"crm-tui demo --fresh throws away the demo database at {shown(path)}: "
            f"{holds.said()}, and builds it again.")
    if not _at_terminal():
        raise click.ClickException(f"{what} Nothing was changed: there is no terminal to ask "
                                   "at; add --yes to go ahead.")
    click.echo(what, err=True)
    if not click.confirm("Throw it away?", default=False, err=True):
        raise click.ClickException("Nothing was changed: the demo is as you left it.")


def _refuse_dated_ahead(what: str) -> None:
    """Refuse, before anything is thrown away, a build whose every entry would be refused
    (v16g G13: `demo --fresh` with CRM_TUI_NOW ahead had discarded the demo, then stopped
    half-built on a traceback)."""
    from crm_tui.services.core.audit import dated_ahead

    ahead = dated_ahead(f"{what} is never built dated ahead of the computer's clock; nothing "
                        "was changed")
    if ahead:
        raise click.ClickException(ahead[:1].upper() + ahead[1:])


def _set_aside_unreadable(path: Path) -> None:
    """A file at the demo's path that cannot be read at all (damaged; or, at the demo's usual
    place, encrypted without its key here) is moved aside, with the folders beside it, so
    that --fresh can always build the demo again; nothing is deleted."""
    from crm_tui.demo.guard import Unreadable, demo_marks, set_aside

    try:
        demo_marks(path)
    except Unreadable as exc:
        if exc.kind != "damaged" and path != config_module.demo_database_path():
            raise  # encrypted elsewhere: perhaps a real database whose key is not here
        moved = set_aside(path, exc.kind, clock.now())
        click.echo(f"{path} could not be read ({exc.kind}): set aside as "
                   f"{', '.join(str(p) for p in moved)}.", err=True)


def _key_problem(exc: BaseException) -> bool:
    """Whether an encrypted database's key, missing or wrong, is behind `exc`."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, (KeyUnavailable, WrongKey)):
            return True
        cause = cause.__cause__
    return False


def _build_demo_apart(state: Context, db: str | None, fresh: bool) -> None:
    """Build the demo in a process of its own (`crm-tui demo --no-launch`, with the same
    options and environment), saying what it says as it goes, before the app opens: built in
    the app's process, the ~90 MB the build used were never given back, and the app started at
    175 MB instead of 82 (memBW)."""
    options = ["--config", str(state.config_path)] if state.config_path else []
    command = [sys.executable, "-c", "from crm_tui.cli import main; main(prog_name='crm-tui')",
               *options, "demo", "--no-launch", *(["--fresh", "--yes"] if fresh else []),
               *(["--db", db] if db else [])]
    # This interpreter and this program, with the options it was given: nothing from outside.
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,  # noqa: S603
                          text=True, errors="replace") as build:
        for line in build.stdout or ():
            click.echo(line, nl=False, err=True)
    if build.returncode:
        sys.exit(build.returncode)  # it has said why


def _build_demo(state: Context, path: Path | str) -> None:
    from crm_tui.demo.build import build_demo

    summary = build_demo(path, state.config)
    click.echo(f"Demo database: {shown(summary.path)} ({counted(summary.cases, 'case')}, "
               f"{summary.contacts} "
               f"log-sheet entries, {summary.audit_entries} audit entries)", err=True)


def _demo_keys_note() -> None:
    from crm_tui.services.letters import signing_keys

    notice = signing_keys.keyring_notice()  # said once per process, here rather than in the app
    if notice:
        click.echo(notice, err=True)
    problem = signing_keys.keyring_problem()
    where = ("kept in your keyring" if problem is None else
             f"not kept ({problem}): the app asks for it when you sign or decide")
    click.echo(f"Demo personal keys (everyone who signs or decides; certificates stamped "
               f"DEMO): passphrase \"{signing_keys.DEMO_PASSPHRASE}\", {where}", err=True)


@commands.command()
@click.option("--customers", type=Whole(least=1), required=True,
              help="how many synthetic customers to add (at least 1)")
@click.option("--contacts", type=Whole(), required=True,
              help="how many log-sheet entries to add in all, spread over the new customers "
                   "(0 or more)")
@click.option("--db", "db_text", required=True,
              help="a demo database, one made by seed, or a new file (made for benchmarks); "
                   "or a PostgreSQL database (postgresql://host/dbname) made by seed, or "
                   "new and empty")
@pass_context
def seed(state: Context, customers: int, contacts: int, db_text: str) -> None:
    """Add synthetic customers and log-sheet entries at scale, for benchmarks. Writes only into
    a demo database or one made for benchmarks; given a new file, it makes one."""
    from crm_tui.demo.guard import Refused
    from crm_tui.demo.seed import open_for_seeding
    from crm_tui.demo.seed import seed as run_seed

    # A PostgreSQL database is seeded as a file is: a new one (no tables yet), a demo, or one
    # seed made before.
    db: Path | str = db_text if is_server(db_text) else database_file(db_text, "seed works")
    _refuse_dated_ahead("seeded data")
    try:
        open_for_seeding(db, state.config.service_areas)
    except (Refused, DatabaseError) as exc:
        raise refused(exc) from exc
    total = customers + customers // 10 + (1 if customers % 10 else 0) + contacts
    with click.progressbar(length=total, label="Seeding", file=sys.stderr) as bar:
        try:
            run_seed(customers, contacts, bar.update)
        except ValueError as exc:
            raise refused(exc) from exc


def _case_json(summary: Any) -> dict[str, Any]:
    data = asdict(summary)
    # The screens' words for restrictions decided to start later: the JSON keeps its keys.
    data.pop("starting_kinds", None)
    data.pop("starts_on", None)
    data["state"] = summary.state.value
    data["restriction_kinds"] = [k.value for k in summary.restriction_kinds]
    due = summary.next_action_due
    data["next_due"] = due.isoformat() if due else None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


@commands.command()
@click.option("--state", "state_name", type=Labelled(inbox.state_names()),
              help="only the cases in this state, as the screens name it (Under "
                   "consideration, or the inbox's tab: Considering, Decided) or by its code "
                   "(under_consideration)")
@click.option("--letters-owed", is_flag=True,
              help="only cases whose decision owes the customer a letter not yet signed "
                   "(Home's 'Letters owed' count)")
@click.option("--reviews-overdue", is_flag=True,
              help="only cases whose review is overdue (Home's 'Reviews overdue' count; not "
                   "while the customer may still comment on a proposed extension)")
@click.option("--json", "as_json", is_flag=True, help="one JSON array, for scripts")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def cases(state: Context, state_name: str | None, letters_owed: bool, reviews_overdue: bool,
          as_json: bool, db: str | None, user: str | None) -> None:
    """List cases: reference, customer, state, restrictions in force, next date."""
    from crm_tui.services.intake.queries import list_cases

    state.open(db, reads_only=True)
    actor = state.actor(user)
    rows = list_cases(actor, inbox.states_named(state_name) if state_name else None,
                      letters_owed=letters_owed, overdue_reviews=reviews_overdue)
    if as_json:
        # Escaped as JSON, not by the output's stream (whose `\x85` would not be JSON).
        click.echo(json_escaped(json.dumps([_case_json(r) for r in rows], indent=2,
                                           ensure_ascii=False)))
        return
    if not rows:  # said, not silence (round 10: --letters-owed printed nothing)
        click.echo(_no_cases(state_name, letters_owed, reviews_overdue, actor))
    for r in rows:
        kinds = ", ".join(k.label for k in r.restriction_kinds) or "-"
        due = in_prose(r.next_action_due) if r.next_action_due \
            else "-"
        click.echo(f"{r.reference}  {r.customer_reference}  {r.customer_name:<30}  "
                   f"{r.state.label:<38}  {kinds}  {r.next_action} {due}")


def _no_cases(state_name: str | None, letters_owed: bool, reviews_overdue: bool,
              actor: Actor) -> str:
    """What `crm-tui cases` says when its filters find nothing: true for whoever asks (a
    user administrator reads no case, a manager only their own area's)."""
    from crm_tui.domain.scope import case_scope, unseen_reason

    scope = case_scope(actor)
    if not scope.everything and scope.service_area_id is None:
        return f"No cases are listed: {unseen_reason(actor)}."
    states = inbox.states_named(state_name) if state_name else ()
    state_ = states[0] if len(states) == 1 else None
    label = state_.label if state_ else dict(inbox.state_names()).get(state_name or "", "")
    asked = [*([f"the state {label}"] if state_name else []),
             *(["a letter owed"] if letters_owed else []),
             *(["a review overdue"] if reviews_overdue else [])]
    if len(asked) > 1:
        return "No case has " + ", ".join(asked[:-1]) + f" and {asked[-1]}."
    if letters_owed:
        return "No letters are owed."
    if reviews_overdue:
        return "No reviews are overdue."
    if state_ is not None:
        return f"No case {state_.in_words}."
    if state_name:
        return f"No case is listed under {label}."
    return "No cases yet." if scope.everything else "No cases of your service area yet."


@commands.group("users")
def users_group() -> None:
    """The people who use the app and their roles."""


@users_group.command("list")
@click.option("--db", help=DB_HELP)
@pass_context
def users_list(state: Context, db: str | None) -> None:
    """List users with their roles."""
    state.open(db, reads_only=True)
    for u in users.list_users():
        area = f" ({u.service_area})" if u.service_area else ""
        state_ = "" if u.active else "  [inactive]"
        click.echo(f"{u.login:<16} {u.name:<24} {u.staff_id:<12} {u.os_account or '-':<16} "
                   f"{u.role.label}{area}{state_}")


@users_group.command("add", new=("login",))
@click.argument("login")
@click.option("--name", required=True, help="the person's name, as letters and screens show it")
@click.option("--staff-id", required=True, help="employee number or work email: one person, "
                                                "one login")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True,
              help=ROLE_HELP)
@click.option("--os-account", default=None,
              help="the operating-system account this person works under (on a PostgreSQL "
                   "database: the server login they connect as)")
@click.option("--title", default="", help="their job title, as letters sign it off")
@click.option("--service-area", default=None, help="for a service area manager")
@click.option("--namesake", is_flag=True,
              help="a different person with the same name as an existing user")
@click.option("--passphrase-file", type=ReadFile(),
              help=CONFIRM_FILE_HELP + "; for the first administrator, the passphrase of "
                                          "the personal key made for them")
@click.option("--db", help=DB_HELP)
@pass_context
def users_add(state: Context, login: str, name: str, staff_id: str, role: str,
              os_account: str | None, title: str, service_area: str | None, namesake: bool,
              passphrase_file: Path | None, db: str | None) -> None:
    """Add a person (the user administrator does, confirming with their passphrase). On a
    database with no user administrator yet, the first one adds themselves, bound to the
    account running this command, and chooses the passphrase of their personal key."""
    if state.claimed() and not Path(state.database_target(db)).exists():
        raise click.ClickException(
            "naming a user works only on a demo database: the first administrator is "
            "whoever runs this command, bound to their own account")
    state.open(db, create=True)
    _check_account_exists(os_account)
    if demo_user() is None and not users.has_user_admin():
        if state.claimed():
            raise click.ClickException(
                "naming a user works only on a demo database: the first administrator is "
                "whoever runs this command, bound to their own account")
        _first_administrator(state, login, name, staff_id, Role(role), os_account, title,
                             passphrase_file)
        return
    by = state.actor()
    info = _confirmed(lambda: users.add_user(by, login, name, Role(role), title, service_area,
                                             staff_id=staff_id, os_account=os_account,
                                             namesake=namesake),
                      passphrase_file)
    bound = f", bound to the account {info.os_account}" if info.os_account else ""
    click.echo(f"Added {info.login}: {info.name}, {info.role.label}{bound}")


def _check_account_exists(os_account: str | None) -> None:
    """On a workstation, the account must be one of this computer's; on a server database,
    one of the server's logins."""
    if os_account is not None and not identity.account_exists(os_account):
        if identity.on_server():
            raise click.ClickException(
                f"there is no login {quoted(os_account.strip())} on this database server: "
                "give the login the person connects as (the server's administrator makes it)")
        raise click.ClickException(f"there is no account {quoted(os_account.strip())} on this "
                                   "computer: give the account the person logs in as")


def _first_administrator(state: Context, login: str, name: str, staff_id: str, role: Role,
                         os_account: str | None, title: str,
                         passphrase_file: Path | None) -> None:
    from crm_tui.services.letters import signing_keys

    account = identity.current_account()
    if os_account and os_account != account:
        raise click.ClickException(
            f"the first administrator is bound to the account adding them ({account}), not "
            "another")
    if role is not Role.USER_ADMIN:
        raise click.ClickException("the first user of a database is its user administrator "
                                   "(--role user_admin)")
    secret = _read_passphrase(passphrase_file) or click.prompt(
        "Choose the passphrase of your personal key (it confirms every change to users)",
        hide_input=True, confirmation_prompt=True, err=True)
    try:
        info = users.add_user(None, login, name, role, title, staff_id=staff_id,
                              os_account=account)
        made = signing_keys.create_key(users.resolve_actor(info.login), info.login, secret,
                                       council=state.config.council.name)
    except DomainError as exc:
        raise refused(exc) from exc
    kept = "kept in your keyring" if made.passphrase_in_keyring else "not kept: you are asked"
    click.echo(f"Added {info.login}: {info.name}, {info.role.label}, bound to the account "
               f"{info.os_account}; personal key made (passphrase {kept})")


@users_group.command("change-role", service_checks=REASON)
@click.argument("login")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True,
              help=ROLE_HELP)
@click.option("--reason", required=True, help="why the role changes (recorded in the audit "
                                              "trail)")
@click.option("--service-area", default=None, help="for a service area manager")
@confirm_option
@click.option("--db", help=DB_HELP)
@pass_context
def users_change_role(state: Context, login: str, role: str, reason: str,
                      service_area: str | None, passphrase_file: Path | None,
                      db: str | None) -> None:
    """Give a person another role (the user administrator does); the history is kept."""
    state.open(db)
    actor = state.actor()
    info = _confirmed(lambda: users.change_role(actor, login, Role(role), reason, service_area),
                      passphrase_file)
    click.echo(f"{info.name} is now {info.role.label}")


def _access_command(name: str, reason_help: str, doc: str,
                    change: Callable[[Actor, str, str], UserInfo],
                    said: Callable[[UserInfo], str]) -> None:
    """Define `crm-tui users NAME LOGIN --reason …`: the user administrator changes whether a
    person may use the app (`deactivate`, `reactivate`), confirmed with their passphrase."""

    @users_group.command(name, service_checks=REASON, help=doc)
    @click.argument("login")
    @click.option("--reason", required=True, help=reason_help)
    @confirm_option
    @click.option("--db", help=DB_HELP)
    @pass_context
    def command(state: Context, login: str, reason: str, passphrase_file: Path | None,
                db: str | None) -> None:
        state.open(db)
        actor = state.actor()
        info = _confirmed(lambda: change(actor, login, reason), passphrase_file)
        click.echo(said(info))


_access_command(
    "deactivate", "why their access ends (recorded in the audit trail)",
    "End a person's access (the user administrator does); their history stays.",
    users.deactivate, lambda info: f"{info.name} ({info.login}) can no longer use the app")
_access_command(
    "reactivate", "why their access is given back (recorded in the audit trail)",
    "Give a person who left their access back (the user administrator does).",
    users.reactivate,
    lambda info: f"{info.name} ({info.login}) can use the app again, as {info.role.label}")


@users_group.command("bind", service_checks=REASON)
@click.argument("login")
@click.option("--os-account", required=True,
              help="the operating-system account this person works under (on a PostgreSQL "
                   "database: the server login they connect as)")
@click.option("--reason", required=True, help="why (recorded in the audit trail)")
@confirm_option
@click.option("--db", help=DB_HELP)
@pass_context
def users_bind(state: Context, login: str, os_account: str, reason: str,
               passphrase_file: Path | None, db: str | None) -> None:
    """Bind a person to the operating-system account they work under."""
    state.open(db)
    _check_account_exists(os_account)
    actor = state.actor()
    info = _confirmed(lambda: users.bind_account(actor, login, os_account, reason),
                      passphrase_file)
    click.echo(f"{info.name} ({info.login}) acts from the account {info.os_account}")


@users_group.command("set-details")
@click.argument("login")
@click.option("--telephone", default=None, help="direct line, a UK number (blank clears it)")
@click.option("--email", default=None, help="direct email address (blank clears it)")
@click.option("--db", help=DB_HELP)
@pass_context
def users_set_details(state: Context, login: str, telephone: str | None, email: str | None,
                      db: str | None) -> None:
    """Record a person's direct telephone and email: a letter naming them as the customer's
    single point of contact or named officer gives these. The user administrator, or the
    person themselves."""
    from crm_tui.services.core import direct_details

    state.open(db)
    actor = state.actor()
    try:
        now = direct_details.details_of(login)
        done = direct_details.set_direct_details(
            actor, login, now.telephone if telephone is None else telephone,
            now.email if email is None else email)
    except DomainError as exc:
        raise refused(exc) from exc
    click.echo(f"{done.name} ({done.login}): telephone {done.telephone or '(none)'}, "
               f"email {done.email or '(none)'}")


@users_group.command("show")
@click.argument("login")
@click.option("--db", help=DB_HELP)
@pass_context
def users_show(state: Context, login: str, db: str | None) -> None:
    """A person, their account and every role they have held."""
    state.open(db, reads_only=True)
    try:
        info, history = users.show(login)
    except DomainError as exc:
        raise refused(exc) from exc
    click.echo(f"{info.name} ({info.login}) · staff id {info.staff_id} · account "
               f"{info.os_account or '(none bound)'} · "
               f"{'active' if info.active else 'inactive'}")
    click.echo(f"  direct telephone {info.telephone or '(none)'} · email "
               f"{info.email or '(none)'}")
    for held in history:
        area = f" ({held.service_area})" if held.service_area else ""
        until = f" until {held.ended_at:%Y-%m-%d %H:%M}" if held.ended_at else " (current)"
        by = f", granted by {held.granted_by}" if held.granted_by else ""
        click.echo(f"  {held.role.label}{area}: from {held.granted_at:%Y-%m-%d %H:%M}{until}"
                   f"{by} — {held.reason}")


class WhichPerson(click.ClickException):
    """A referral naming a person who may be a customer on record, not saying which."""

    exit_code = 2


@commands.group("import")
def import_group() -> None:
    """Bring records in from files."""


@import_group.command("referral")
@click.argument("path", type=ReadFile(folder_okay=True))
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def import_referral_command(state: Context, path: Path, db: str | None,
                            user: str | None) -> None:
    """Import a referral: a JSON file, or a folder with referral.json and its documents."""
    from crm_tui.services.intake.referral_import import ImportProblem, import_referral

    state.open(db)
    actor = state.actor(user)
    try:
        summary = import_referral(actor, path)
    except ImportProblem as exc:  # said as the app says it: the file's words, its dates
        if exc.asks_which:  # which person it is: to be said in the file, as a usage error
            raise WhichPerson(str(exc)) from exc
        raise click.ClickException(str(exc)) from exc
    except DomainError as exc:
        raise refused(exc) from exc
    click.echo(f"Recorded referral {summary.reference} for {summary.customer_name} "
               f"({summary.state.label})")


@commands.group()
def evidence() -> None:
    """The evidence store."""


@evidence.command("verify")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def evidence_verify(state: Context, db: str | None, user: str | None) -> None:
    """Check every stored document of the cases you may see against its SHA-256, and list the
    files in the store no record points to; exit 1 if any is missing or changed, or any such
    file is there (nothing is deleted)."""
    from crm_tui.services.evidence.documents import verify_store

    state.open(db, reads_only=True)
    report = verify_store(state.actor(user))
    for reference, name, sha in report.missing:
        click.echo(f"MISSING  {reference}  {name}  {sha}", err=True)
    for reference, name, sha in report.changed:
        click.echo(f"CHANGED  {reference}  {name}  {sha}", err=True)
    foreign = set(report.foreign)
    for path in report.orphans:
        seq = report.attached.get(path)
        why = "" if seq is None else (f"  (attached to a case by audit entry {seq}: its "
                                      "record was changed or deleted; kept)")
        if path in foreign:
            why = "  (not a document the store named: remove it by hand)"
        click.echo(f"ORPHAN   {path}{why}", err=True)
    for path in report.partial:
        click.echo(f"PARTIAL  {path}", err=True)
    if report.trail:
        click.echo(f"NOT AS ATTACHED  {report.trail}", err=True)
    if report.ok:
        click.echo(f"Evidence intact: {counted(report.checked, 'document')} checked.")
        return
    if report.missing or report.changed or report.trail:
        changed = len(report.changed) + (1 if report.trail else 0)
        click.echo(f"{len(report.missing)} missing and {changed} changed of "
                   f"{counted(report.checked, 'document')}.", err=True)
    else:
        click.echo(f"Documents intact: {counted(report.checked, 'document')} checked.",
                   err=True)
    if report.orphans or report.partial:
        click.echo(f"Kept by no record: {counted(len(report.orphans), 'file')} "
                   "(ORPHAN: a destroyed file's document left behind, or an import cut "
                   "short after copying it"
                   + ("; or, marked so, what the store never named: put there by hand, or "
                      "an export an older version let be written there; only a person "
                      "removes those" if foreign else "")
                   + f") and {counted(len(report.partial), 'partial copy')}"
                   " (PARTIAL: a copy cut short, or one an import still running is making; "
                   "or, outside the store, an export, letter or key its writer never finished)"
                   ". Nothing was deleted by this check: the next start of the app, or of a "
                   "command that writes, removes them once no import or export is running"
                   + (", but for those an audit entry attached: they are kept (crm-tui audit "
                      "verify names the record changed)" if report.attached else "")
                   + (" and those marked to remove by hand" if foreign else "") + ".",
                   err=True)
    sys.exit(1)


@evidence.command("copy")
@click.argument("case_reference")
@click.argument("document")
@click.option("--out", "out", type=WrittenFolder(),
              help="folder for the copy (default: exports_folder from the configuration)")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def evidence_copy(state: Context, case_reference: str, document: str, out: Path | None,
                  db: str | None, user: str | None) -> None:
    """Write a plain copy of one of the case's documents (DOCUMENT: its name as attached, or
    the start of its SHA-256) to open in the program that shows it: an encrypted store's
    own copies cannot be opened. Checked against its hash first."""
    from crm_tui.services.evidence.documents import copy_out

    state.open(db)  # the copy is recorded in the audit trail, with its path
    try:
        path = copy_out(state.actor(user), case_reference, document,
                        out or state.config.exports_path())
    except DomainError as exc:
        raise refused(exc) from exc
    click.echo(f"Copied to {path}")


@evidence.command("bundle", checks=[period("start", "end"), both(
    ("start", "--from"), ("end", "--to"),
    "the period's first and last days (or neither, for the monitoring period)")])
@click.argument("case_reference")
@click.option("--out", "out", type=WrittenFolder(),
              help="folder for the PDF (default: exports_folder from the configuration)"
                   + WrittenFolder.MADE)
@click.option("--from", "start", type=DATE, help="first day of the period (default: the "
                                                 "monitoring period)")
@click.option("--to", "end", type=DATE, help="last day of the period")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def evidence_bundle(state: Context, case_reference: str, out: Path | None,
                    start: datetime | None, end: datetime | None, db: str | None,
                    user: str | None) -> None:
    """Export a case's evidence bundle as a PDF: index, figures, matters, documents with
    their SHA-256, and the log sheet."""
    from crm_tui.services.evidence.analysis import check_period
    from crm_tui.services.evidence.bundle import export_bundle

    state.open(db)
    actor = state.actor(user)
    period = None
    if start and end:  # both or neither: told before it runs (`both`)
        try:
            period = check_period(start.date(), end.date())
        except DomainError as exc:
            raise refused(exc) from exc
    try:
        path = export_bundle(actor, case_reference, out or state.config.exports_path(),
                             state.config.council.name, period)
    except DomainError as exc:
        raise refused(exc) from exc
    except OSError as exc:
        raise click.ClickException(f"no bundle was written: {exc}") from exc
    click.echo(f"Evidence bundle written to {path}")


@commands.group("calendar")
def calendar_group() -> None:
    """The review calendar."""


@commands.group("signing")
def signing_group() -> None:
    """Signing keys for letters."""


@signing_group.command("init", service_checks=REASON)
@click.option("--user", "login", required=True,
              help="whose key: your own (a user administrator may replace someone's)")
@click.option("--import", "import_file", type=ReadFile(),
              help="a PKCS#12 file from the council's certificate authority")
@click.option("--passphrase-file", type=ReadFile(),
              help="a file holding the passphrase (else you are asked)")
@click.option("--old-passphrase-file", type=ReadFile(),
              help="replacing your key: a file holding its passphrase (else you are asked)")
@click.option("--reason", default="",
              help="a user administrator replacing someone's key: why (recorded)")
@click.option("--db", help=DB_HELP)
@pass_context
def signing_init(state: Context, login: str, import_file: Path | None,
                 passphrase_file: Path | None, old_passphrase_file: Path | None, reason: str,
                 db: str | None) -> None:
    """Create your signing key and self-signed certificate, or import the one the council's
    certificate authority issued you. Replacing a key needs its passphrase, or a user
    administrator with a reason. The key file is readable by you only; its passphrase goes
    into the OS keyring."""
    from crm_tui.services.letters import signing_keys

    state.open(db)
    actor = state.actor()
    login = login.strip().lower()
    try:
        old = None
        if actor.login == login and signing_keys.key_in_use(login):
            old = _read_passphrase(old_passphrase_file)
            if old is None:
                old = click.prompt("Passphrase of the key you are replacing", hide_input=True)
        signing_keys.authorise_new_key(actor, login, old, reason)
        secret = _read_passphrase(passphrase_file)
        if secret is None:
            secret = click.prompt("Passphrase for the key" if import_file else
                                  "New passphrase for the key (8 characters or more)",
                                  hide_input=True, confirmation_prompt=import_file is None)
        def make() -> SigningIdentity:
            if import_file is not None:
                return signing_keys.import_key(actor, login, import_file, secret,
                                               old_passphrase=old, reason=reason)
            return signing_keys.create_key(actor, login, secret,
                                           council=state.config.council.name,
                                           old_passphrase=old, reason=reason)

        identity = make()
    except DomainError as exc:
        raise refused(exc) from exc
    _report_key(actor, identity)


def _report_key(actor: Actor, identity: SigningIdentity) -> None:
    login = identity.login
    click.echo(f"Signing key for {login}: {identity.key_file}")
    click.echo(f"Certificate: {identity.subject}")
    click.echo(f"Fingerprint (SHA-256): {identity.fingerprint}")
    for old in identity.replaced:
        click.echo(f"Replaces {old[:16]}…, revoked from now: letters signed with it before "
                   "still verify.")
    if identity.self_signed:
        click.echo("The certificate is self-signed. For real use, import the certificate the "
                   f"council's certificate authority issued: crm-tui signing init --user "
                   f"{login} --import FILE.p12")
    if actor.login != login:
        click.echo(f"The passphrase was not kept in any keyring: give it to {login}, who should "
                   f"replace the key with their own (crm-tui signing init --user {login} asks "
                   "for it).")
    elif identity.passphrase_in_keyring:
        click.echo("The passphrase is kept in the operating system's keyring.")
    else:
        click.echo("This computer has no usable keyring: the passphrase was not stored, and "
                   "you will be asked for it each time you sign.")


@signing_group.command("revoke", service_checks=REASON)
@click.option("--user", "login", required=True, help="whose key: your own, or (a user "
                                                     "administrator) someone's")
@click.option("--reason", required=True, help="why (recorded in the audit trail)")
@confirm_option
@click.option("--db", help=DB_HELP)
@pass_context
def signing_revoke(state: Context, login: str, reason: str, passphrase_file: Path | None,
                   db: str | None) -> None:
    """Revoke a signing key: nothing more can be signed with it; letters signed with it before
    now still verify as genuine."""
    from crm_tui.services.letters import signing_keys

    state.open(db)
    login = login.strip().lower()
    actor = state.actor()
    revoked = _confirmed(lambda: signing_keys.revoke_key(actor, login, reason), passphrase_file)
    for fp in revoked.fingerprints:
        click.echo(f"Revoked {login}'s signing key {fp[:16]}… on "
                   f"{in_prose(revoked.revoked_at)} {revoked.revoked_at:%H:%M}: letters signed "
                   "with it before then still verify; later ones do not.")
    click.echo(f"A new key: crm-tui signing init --user {login}")


@click.group("letters", cls=PlainGroup)
def letters_group() -> None:
    """Signed letters: issue, export copies, re-send, verify, list."""


commands.add_command(letters_group)


# Issued once, kept, copied and re-sent: in cli_letters.py.
for _name in ("export", "resend", "show", "list"):
    letters_group.lazy(_name, f"crm_tui.cli_letters:{_name}_command")


@letters_group.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--db", help=DB_HELP)
@pass_context
def letters_verify(state: Context, file: Path, db: str | None) -> None:
    """Is FILE a letter the council issued, unchanged? Exit 0 genuine, 1 otherwise."""
    from crm_tui.services.letters import verification

    state.open(db, reads_only=True)
    try:
        result = verification.verify(file)
    except DomainError as exc:
        raise refused(exc) from None
    if result.genuine:
        click.echo(result.said)
        if result.self_signed:
            click.echo(SELF_SIGNED)
        return
    click.echo(result.said, err=True)
    # Of a file the register holds, whose trust rests on the register: never of one it does
    # not hold ("never issued" and "trusted because registered" contradict; found when tried).
    if result.self_signed and result.letter is not None:
        click.echo(SELF_SIGNED, err=True)
    sys.exit(1)


SELF_SIGNED = ("Self-signed: the certificate was made by its signer in crm-tui, not issued by "
               "the council's certificate authority; it is trusted because this database "
               "registered it.")


@commands.command("expire")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def expire_command(state: Context, db: str | None, user: str | None) -> None:
    """End restrictions that reached their end date without an extension, and archive the
    files whose restrictions have ended and that owe nothing (for a daily job; the app also
    does it when the team opens it)."""
    from crm_tui.services.restrictions.decisions import run_expiry
    from crm_tui.services.retention.schedule import archive_run, archived_said

    state.open(db)
    try:
        actor = state.actor(user)
        expiry = run_expiry(actor, job="crm-tui expire")
        archiving = archive_run(actor, job="crm-tui expire")
    except DomainError as exc:
        raise refused(exc) from exc
    ended, archived = expiry.ended, archiving.archived
    click.echo(f"Ended: {', '.join(ended)}" if ended else "No restrictions reached their end.")
    if archived:
        click.echo(f"Archived (nothing owed): {archived_said(archived)}")
    if archiving.years_recorded:  # retention_years changed since last recorded
        click.echo(f"{archiving.years_recorded}.")
    # A file left alone is said, and the exit is 1: a daily job's log shows it (found when
    # tried: an edited file was archived over its edit, or, refused, left without a word).
    for said in expiry.skipped:
        click.echo(f"Not ended: {said}", err=True)
    for row, why in archiving.refused:
        click.echo(f"Not archived: {row.reference}: {why}", err=True)
    if expiry.skipped or archiving.refused:
        sys.exit(1)


@calendar_group.command("export")
@click.option("--ics", "ics", type=WrittenFile(), required=True,
              help="the .ics file to write, in a folder that exists")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def calendar_export(state: Context, ics: Path, db: str | None, user: str | None) -> None:
    """Every dated obligation on the cases you may see (90 days back to 400 ahead) as
    all-day events for Outlook. Events name the case reference only."""
    from crm_tui.services.reviews.calendar import export_ics, replaces

    state.open(db)
    actor = state.actor(user)
    try:
        replaced = replaces(ics)
        count = export_ics(actor, ics)
    except DomainError as exc:
        raise refused(exc) from exc
    except OSError as exc:
        raise click.ClickException(f"the calendar was not written: {exc}") from exc
    click.echo(f"{counted(count, 'obligation')} written to {ics}"
               + (" (replacing the calendar exported there before)" if replaced else ""))


@commands.command("register")
@click.option("--pdf", "pdf", is_flag=True, help="print it to a PDF in the exports folder")
@click.option("--out", type=WrittenFolder(),
              help="folder for the PDF (default: exports_folder)" + WrittenFolder.MADE)
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def register_command(state: Context, pdf: bool, out: Path | None, db: str | None,
                     user: str | None) -> None:
    """The staff register: who is under restriction and how to handle their contact."""
    from crm_tui.services.restrictions.register import export_register, staff_register

    state.open(db, reads_only=not (pdf or out))
    actor = state.actor(user)
    if pdf or out:
        try:
            path = export_register(actor, out or state.config.exports_path(),
                                   state.config.council.name)
        except DomainError as exc:
            raise refused(exc) from exc
        except OSError as exc:
            raise click.ClickException(f"the register was not written: {exc}") from exc
        click.echo(f"Staff register written to {path}")
        return
    try:
        entries = staff_register(actor)
    except DomainError as exc:
        raise refused(exc) from exc
    for e in entries:
        until = f"until {in_prose(e.until)}" if e.until else ""
        click.echo(f"{e.customer_name} ({e.customer_reference})  {e.case_reference}  {until}")
        for line in e.handling:
            click.echo(f"    {line}")


class ChannelName(click.ParamType[str, Any]):
    """A channel as the screens name it, read as the service reads it: a typo is told beside
    the command's other problems."""

    name = "channel"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        from crm_tui.services.restrictions.compliance import parse_channel

        try:
            parse_channel(str(value))
        except DomainError as exc:
            self.fail(getattr(exc, "message", str(exc)), param, ctx)
        return str(value)


class Unanswered(click.ClickException):
    """check-contact's exit 1 means a breach: a question it could not answer is not one."""

    exit_code = 2


@commands.command("check-contact")
@click.option("--customer", "customer", required=True,
              help="the customer's reference (e.g. C000007), or one of their cases'")
@click.option("--channel", type=ChannelName(), required=True,
              help="as the screens name it: Telephone (or Phone), Email, Letter, Web form, ...")
@click.option("--at", "at", type=TIME, required=True, help="when the contact would come")
@click.option("--officer", default="", help="the officer who would take it: login or name")
@click.option("--matter", default="", help="the recorded matter it is about, if any")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def check_contact_command(state: Context, customer: str, channel: str, at: datetime, officer: str,
                          matter: str, db: str | None, user: str | None) -> None:
    """Would a contact from a customer keep to their restrictions? Exit 0 allowed, 1 breach
    (with the reason), 2 not answered (a typo, a customer not known). Records nothing."""
    from crm_tui.services.restrictions.compliance import (
        ContactQuestion,
        parse_channel,
        would_comply,
    )

    try:
        state.open(db, reads_only=True)
        actor = state.actor(user)
    except click.ClickException as exc:
        raise Unanswered(exc.format_message()) from exc
    try:
        verdict = would_comply(actor, ContactQuestion(customer, parse_channel(channel), at,
                                                      officer, matter))
    except DomainError as exc:
        raise Unanswered(refused(exc).format_message()) from exc
    for note in verdict.notes:
        click.echo(f"NOTE    {note}")
    if verdict.complied:
        click.echo("ALLOWED: this contact keeps to the restrictions in force on that day.")
        return
    for breach in verdict.breaches:
        click.echo(f"BREACH  {breach.kind.label}: {breach.reason}")
        click.echo(f"        What to do: {breach.what_to_do(logged=False)}")
    sys.exit(1)


@import_group.command("log-sheet")
@click.argument("case_reference")
@click.argument("path", type=ReadFile())
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@pass_context
def import_log_sheet_command(state: Context, case_reference: str, path: Path, db: str | None,
                             user: str | None) -> None:
    """Import a CSV log sheet onto a case: every line, or none."""
    from crm_tui.services.evidence.contacts import import_log_sheet_report

    state.open(db)
    actor = state.actor(user)
    try:
        done = import_log_sheet_report(actor, case_reference, path)
    except DomainError as exc:
        raise refused(exc) from exc
    click.echo(f"Imported {counted(done.contacts, 'contact')} onto {case_reference.upper()}")
    if done.breaches:
        click.echo(f"{counted(len(done.breaches), 'breach')} of the restrictions in force:")
    for found in done.breaches:
        click.echo(f"BREACH  {in_prose(found.at)} {found.at:%H:%M} {found.channel.label}: "
                   f"{found.breach.kind.label}: {found.breach.reason}")
        click.echo(f"        What to do: {found.breach.what_to_do()}")


letters_group.lazy("post", "crm_tui.cli_posting:post_command")  # `crm-tui letters post`
