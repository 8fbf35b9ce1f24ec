"""Who is acting: established, not claimed.

On a workstation the acting person is the operating-system account running the app, bound to
exactly one user of the database. On a PostgreSQL database it is the connection's login
(`session_user`: the role the server authenticated, by password, certificate or peer, which
SET ROLE does not change), bound to the user in the same column and by the same check: the
app never asks for, nor keeps, a password (the server's authentication and libpq's URL,
PGPASSWORD, ~/.pgpass or client certificate do). Naming a user (`--user`, `CRM_TUI_USER`,
switching user in the app) is for trying the roles on a demo database only. The account comes
from an `AccountSource` (a test gives its own)."""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable

from crm_tui.db import dialect
from crm_tui.db.models import User, database_proxy
from crm_tui.domain.errors import DomainError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core import users
from crm_tui.services.core.database_facts import demo_user

AccountSource = Callable[[], str]


class IdentityRefused(DomainError):
    """The acting person could not be established; the message says why and what to do."""


def workstation_account() -> str:
    """The operating-system account this process runs under, from the kernel's user id: not
    from $USER or $LOGNAME, which anyone can set."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid-{uid}"


def on_server() -> bool:
    """Whether the bound database is a server's (PostgreSQL), whose logins are its accounts."""
    return database_proxy.obj is not None and not dialect.is_sqlite()


def server_login() -> str:
    """The login the server authenticated this connection as: `session_user`, which SET ROLE
    does not change (only a superuser's SET SESSION AUTHORIZATION does)."""
    return str(database_proxy.execute_sql("SELECT session_user").fetchone()[0])


def connection_account() -> str:
    """The account the acting person is bound by: the server's login on a PostgreSQL
    database, the workstation's account on a file."""
    return server_login() if on_server() else workstation_account()


_source: AccountSource = connection_account


def use_account_source(source: AccountSource) -> None:
    """Take the acting account from elsewhere (a test)."""
    global _source
    _source = source


def current_account() -> str:
    return _source()


def account_exists(name: str) -> bool:
    """Whether `name` is an account of this workstation, or on a server database one of the
    server's logins (a role that may log in)."""
    if on_server():
        row = database_proxy.execute_sql(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s AND rolcanlogin)",
            (name.strip(),)).fetchone()
        return bool(row[0])
    try:
        pwd.getpwnam(name.strip())
    except KeyError:
        return False
    return True


def establish(claimed: str | None = None) -> Actor:
    """The acting person. `claimed` (a login named on the command line, in the environment or
    in the app) is honoured only on a demo database; elsewhere it is refused."""
    demo = demo_user()  # None where anyone is bound to an account, whatever the settings say
    if claimed and claimed.strip():
        if demo is None:
            raise IdentityRefused(
                f"naming a user ({quoted(claimed.strip())}) works only on a demo database. On this "
                f"database you act as yourself: the account you are logged in as "
                f"({current_account()}) and the user it is bound to.")
        return users.resolve_actor(claimed)
    if demo is not None:
        return users.resolve_actor(demo)
    account = current_account()
    user = User.get_or_none(User.os_account == account)
    if user is None:
        if not User.select().where(User.role == Role.USER_ADMIN.value).exists():
            raise IdentityRefused(
                f"this database has no user administrator yet. The person who will manage "
                f"users adds themselves first, logged in as their own account ({account}): "
                f"crm-tui users add LOGIN --name \"Full Name\" --staff-id ID --role user_admin")
        raise IdentityRefused(
            f"your account ({account}) is not bound to a user of this database. The user "
            f"administrator can add you: crm-tui users add LOGIN --name \"Full Name\" "
            f"--staff-id ID --role ROLE --os-account {account}")
    if not user.active:
        raise IdentityRefused(f"{user.name} ({user.login}) is no longer an active user")
    return users.resolve_actor(user.login)
