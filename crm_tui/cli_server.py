"""`crm-tui server-setup`: what a PostgreSQL server enforces for a team, set up by the
database's owner (README, "A shared database for a team"; crm_tui/db/server_roles.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from crm_tui.cli_words import AllAtOnce

if TYPE_CHECKING:
    from crm_tui.cli import Context

DB_HELP = "the PostgreSQL database's URL (default: $CRM_TUI_DB)"


@click.command("server-setup", cls=AllAtOnce)
@click.option("--group", default="crm_tui_users", show_default=True,
              help="the group role (no login) of the people's logins, made if missing")
@click.option("--login", "logins", multiple=True,
              help="a login (made by the server's administrator) to make a member of the "
                   "group; may be repeated")
@click.option("--db", help=DB_HELP)
@click.pass_obj
def server_setup(state: Context, group: str, logins: tuple[str, ...], db: str | None) -> None:
    """On a PostgreSQL database, as its owner: make its tables (or bring them up to date),
    grant the group of the people's logins what the app needs, make the audit trail
    append-only for every login but the owner, and turn on row-level security so that a
    service area manager's login reads only its own area's cases, the user administrator's
    none, and each role's login writes only what the role may. Run it again after each
    upgrade of crm-tui."""
    from peewee import DatabaseError as PeeweeError

    from crm_tui.db import server_roles
    from crm_tui.db.connection import POSTGRES_SCHEMES, shown
    from crm_tui.db.models import database_proxy

    target = state.database_target(db)
    if not target.startswith(POSTGRES_SCHEMES):
        raise click.UsageError(f"{shown(target)}: server-setup works on a PostgreSQL database "
                               "(postgresql://host/dbname), not on a database file, whose "
                               "folder's permissions say who may use it")
    state.open(target, create=True)
    try:
        done = server_roles.set_up(database_proxy.obj, group, logins)
    except server_roles.SetupRefused as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from exc
    except PeeweeError as exc:
        reason = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        how = (" The owner needs CREATEROLE to make the group and add logins to it (or the "
               "server's administrator makes the group and grants it to the owner WITH ADMIN "
               "OPTION)." if "role" in reason else "")
        raise click.ClickException(
            f"the server refused: {reason}; nothing was changed.{how}") from exc
    for line in done:
        click.echo(line)
