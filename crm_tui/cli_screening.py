"""`crm-tui screening`: the screening queue from the command line — list it, and record an
item's outcome as the person running the command (established from their account, as every
command does). Kept beside cli.py, which registers the group."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from crm_tui.cli_words import NUMBER, Labelled, PlainGroup, refused
from crm_tui.domain.characters import json_escaped
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError, Problems, ValidationError
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.domain.typed_dates import in_prose

if TYPE_CHECKING:
    from crm_tui.cli import Context
    from crm_tui.services.evidence.screening import ScreeningRow

DB_HELP = "database file or URL (default: $CRM_TUI_DB, else the user data folder)"
OPTIONS = {"title": "--title", "passed_to": "--passed-to", "passed_how": "--how",
           "note": "--note"}


@click.group("screening", cls=PlainGroup)
def screening_group() -> None:
    """Post filed without reply: the queue of contacts to read, and their outcomes."""


def _json(row: ScreeningRow) -> dict[str, Any]:
    return {"item": row.id, "case_reference": row.case_reference,
            "customer_name": row.customer_name, "arrived_at": row.arrived_at.isoformat(),
            "channel": row.channel.value, "summary": row.summary, "reasons": list(row.reasons),
            "what_to_do": list(row.advice), "read_by": row.screen_by.isoformat(),
            "outcome": row.outcome.value if row.outcome else None,
            "screened_by": row.screened_by or None,
            "screened_at": row.screened_at.isoformat() if row.screened_at else None,
            "new_matter": row.new_matter or None, "passed_to": row.passed_to or None,
            "passed_how": row.passed_how or None, "note": row.note or None}


@screening_group.command("list")
@click.option("--screened", is_flag=True, help="the items already screened, latest first")
@click.option("--case", "reference", default="", help="one case only")
@click.option("--json", "as_json", is_flag=True, help="one JSON array, for scripts")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def screening_list(state: Context, screened: bool, reference: str, as_json: bool,
                   db: str | None, user: str | None) -> None:
    """The queue: unread items, oldest first (or, with --screened, those read)."""
    from crm_tui import clock
    from crm_tui.services.evidence import screening

    state.open(db, reads_only=True)
    actor = state.actor(user)
    rows: list[ScreeningRow] = []
    after = None
    try:
        while True:  # page by page: the queue is never read whole in one query
            found = screening.page(actor, screened=screened, case_reference=reference,
                                   after=after)
            rows += found.rows
            if found.next_after is None:
                break
            after = found.next_after
    except DomainError as exc:
        raise refused(exc) from exc
    if as_json:
        click.echo(json_escaped(json.dumps([_json(r) for r in rows], ensure_ascii=False, indent=1)))
        return
    today = clock.today()
    for r in rows:
        if r.outcome is None:
            state_ = "OVERDUE" if r.overdue(today) else "unread"
            when = f"read by {r.screen_by:%d %b %Y}"
        else:
            state_ = r.outcome.label
            when = f"by {r.screened_by}, {r.screened_at:%d %b %Y %H:%M}" if r.screened_at \
                else ""
        click.echo(f"{r.id:>6}  {r.arrived_at:%d %b %Y %H:%M}  {r.case_reference}  "
                   f"{state_:<10} {when}  {r.channel.label}: {r.summary}")
        if r.outcome is None:
            for advice in r.advice:
                click.echo(f"        What to do: {advice}")
    if not rows:
        click.echo("Nothing screened yet." if screened else "Nothing is waiting to be read.")


@screening_group.command("record")
@click.argument("item", type=NUMBER)
@click.option("--outcome", type=Labelled((o.value, o.label) for o in ScreeningOutcome),
              required=True,
              help="filed (nothing new), new-matter (opened on the case), passed-on "
                   "(an emergency or safeguarding concern passed to a named person); or as "
                   "the screen names it (Nothing new)")
@click.option("--title", default="", help="for new-matter: the new matter's title")
@click.option("--passed-to", default="", help="for passed-on: the person's name (and role)")
@click.option("--how", "passed_how", default="",
              help="for passed-on: how and when it was passed on")
@click.option("--note", default="", help="what it says, or why nothing follows")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def screening_record(state: Context, item: int, outcome: str, title: str, passed_to: str,
                     passed_how: str, note: str, db: str | None, user: str | None) -> None:
    """Record what reading ITEM found, as you: its one outcome."""
    from crm_tui.services.evidence import screening
    from crm_tui.services.evidence.screening import ScreeningDecision

    state.open(db)
    actor = state.actor(user)
    try:
        row = screening.record_outcome(actor, item, ScreeningDecision(
            ScreeningOutcome(outcome), note=note, title=title, passed_to=passed_to,
            passed_how=passed_how))
    except ValidationError as exc:
        found = exc.found if isinstance(exc, Problems) else [exc]
        said = [f"{OPTIONS[p.field]}: {p.message}" if p.field in OPTIONS else
                p.message[:1].upper() + p.message[1:] for p in found]
        message = said[0] if len(said) == 1 else "\n".join(
            [f"{counted(len(said), 'problem')}:", *(f"  {line}" for line in said)])
        # An option left out or wrongly given is a problem with what was typed (exit 2); an
        # item already screened, or a case archived, is refused by the rules (exit 1).
        if any(p.field in OPTIONS for p in found):
            raise click.UsageError(message) from exc
        raise click.ClickException(message) from exc
    except DomainError as exc:
        raise refused(exc) from exc
    when = (f" on {in_prose(row.screened_at, full_month=True)} {row.screened_at:%H:%M}"
            if row.screened_at else "")
    click.echo(f"Item {row.id} ({row.case_reference}, contact of {in_prose(row.arrived_at)}): "
               f"{ScreeningOutcome(outcome).label}, recorded by {actor.name}{when}")
