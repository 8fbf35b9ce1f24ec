"""`crm-tui letters post`: the letters signed and not yet posted, gathered into one print pack
for the print room, and their posting recorded — the same service as "Post today" in the
Letters area. Kept beside cli.py, which adds it to the `letters` group."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from crm_tui.cli_words import (
    DATE,
    NUMBER,
    AllAtOnce,
    Unreadable,
    left_out_value,
    refused,
)
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError, Problems, ValidationError
from crm_tui.domain.numbers import MOST_ID, read_whole
from crm_tui.domain.posting import PostClass, require_poster
from crm_tui.domain.typed_dates import in_prose, quoted

if TYPE_CHECKING:
    from crm_tui.cli import Context
    from crm_tui.services.letters.posting import UnpostedLetter

DB_HELP = "database file or URL (default: $CRM_TUI_DB, else the user data folder)"


class Tracking(click.ParamType[tuple[int, str], Any]):
    """LETTER=NUMBER: a letter's register number (domain.numbers) and its tracking number."""

    name = "N=NUMBER"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[int, str]:
        if isinstance(value, tuple):
            return value
        letter, sep, number = str(value).partition("=")
        if not sep or not number.strip():
            self.fail(f"{quoted(str(value))}: give it as LETTER=NUMBER, e.g. "
                      "12=AB123456785GB", param, ctx)
        try:
            return read_whole(letter, least=1, most=MOST_ID), number.strip()
        except ValueError as exc:
            self.fail(f"{quoted(str(value))}: give it as LETTER=NUMBER, e.g. 12=AB123456785GB (the "
                      f"letter's register number {exc})", param, ctx)


def _line(u: UnpostedLetter) -> str:
    appeal = f"  appeal by {in_prose(u.appeal_by)}" if u.appeal_by else ""
    copy = f"  copy of letter {u.duplicate_of}" if u.duplicate_of else ""
    kept = "" if u.has_pdf else "  (no signed copy kept: print it from the letters folder)"
    # Superseded first (issue 15 AZ Z1): UnpostedLetter.left_out_why.
    over = f"  SUPERSEDED: {u.superseded}" if u.superseded else ""
    stale = (f"  CANNOT GO{' in any case' if u.superseded else ''}: {u.cannot_go}"
             if u.cannot_go else "")
    return (f"{u.id:>5}  {u.reference}  {u.kind.label}  dated {in_prose(u.dated)}"
            f"{appeal}{copy}{kept}{over}{stale}")


def _left_out(u: UnpostedLetter) -> str:
    if u.superseded and u.cannot_go:
        return f"Left out: {u.left_out_why}:{_line(u)}"
    if u.cannot_go:
        return f"Left out: it cannot go ({u.write_again}):{_line(u)}"
    return f"Left out (name it with --letter {u.id} to post it too):{_line(u)}"


def _today(exc: DomainError) -> DomainError:
    """A refusal of the posting date when --posted-on was not given: the day is today's, and
    what it refuses is a letter named (--letter) that cannot go out today; said of that
    letter, not of an option left out (v15i M1: "--posted-on: "28/11/2026" is too late for
    letter 18")."""
    if not isinstance(exc, ValidationError):
        return exc
    found = exc.found if isinstance(exc, Problems) else [exc]
    said = [ValidationError("letters", "today, {}, {}".format(*one.message.split(" ", 1)))
            if one.field == "posted_on" else one for one in found]
    return said[0] if len(said) == 1 else Problems(said)


def _numbers_too(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """The recorded-delivery numbers' problems (missing, mistyped, one already recorded for
    another letter), told beside a --posted-on that is no date, which stops the command before
    the service could tell them (v15i M2: only "--posted-on: "31/02/2026" is not a date" was
    said), as the form shows them beside a date it cannot read."""
    from crm_tui.services.letters import posting

    chosen, given, named = (None if left_out_value(values.get(name)) else values.get(name)
                            for name in ("post_class", "tracking", "letters"))
    if any(isinstance(v, Unreadable) for v in (chosen, given, named)):
        return  # told as typed; what it would check is not known
    if chosen != PostClass.RECORDED.value and not given:
        return
    context = click.get_current_context(silent=True)
    state: Any = context.find_root().obj if context is not None else None
    if state is None or not hasattr(state, "open"):
        return
    try:
        state.open(None if left_out_value(values.get("db")) else values.get("db"),
                   reads_only=True)
        actor = state.actor(None if left_out_value(values.get("user")) else values.get("user"))
        ids = list(named or ()) or [
            u.id for u in posting.left_out_unless_named(posting.unposted(actor))[0]]
        found = posting.number_problems(actor, ids, chosen or PostClass.FIRST.value,
                                        dict(given or ()))
    except (click.ClickException, DomainError):
        return  # the command tells it once the date is right
    for problem in found:
        yield "tracking", problem.message


@click.command("post", cls=AllAtOnce, service_checks=[_numbers_too])
@click.option("--class", "post_class", type=click.Choice([c.value for c in PostClass]),
              default=PostClass.FIRST.value, show_default=True, help="the class of post")
@click.option("--tracking", multiple=True, type=Tracking(),
              help="letter N's recorded-delivery number (each letter sent recorded needs one)")
@click.option("--letter", "letters", type=NUMBER, multiple=True, metavar="N",
              help="only these letters (register numbers; default: every one not yet posted)")
@click.option("--posted-on", type=DATE,
              help="the day they were posted (default: today)")
@click.option("--no-pack", is_flag=True,
              help="record the posting only (the letters were printed some other way)")
@click.option("--dry-run", is_flag=True, help="list what would go, and change nothing")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def post_command(state: Context, post_class: str, tracking: tuple[tuple[int, str], ...],
                 letters: tuple[int, ...], posted_on: datetime | None, no_pack: bool, dry_run: bool,
                 db: str | None, user: str | None) -> None:
    """Make the print pack of the letters not yet posted and record their posting."""
    from crm_tui import clock
    from crm_tui.services.letters import posting

    state.open(db, reads_only=dry_run)
    actor = state.actor(user)
    day = posted_on.date() if posted_on is not None else clock.today()
    numbers = dict(tracking)
    try:
        require_poster(actor)  # said first, alone, as the service says it
        # Each letter's "cannot go" as of the day they are posted, which may be earlier.
        waiting = posting.unposted(actor, on=day)
        left_out: list[UnpostedLetter] = []
        if letters:
            known = {u.id for u in waiting}
            stray = [n for n in letters if n not in known]
            if stray:
                why = posting.why_not_waiting(actor, stray[0])
                raise click.ClickException(why or f"letter {stray[0]} is not waiting to be "
                                           "posted (see crm-tui letters list)")
            waiting = [u for u in waiting if u.id in letters]
        else:
            # Those that cannot go out on the day, and a decision's letter overtaken by an
            # appeal since, are left out and named, as "Post today" starts (v15i M1: one
            # letter that could not go refused the whole run); the rest go. A superseded
            # one goes when named (--letter N): posting it beside the outcome is a choice.
            waiting, left_out = posting.left_out_unless_named(waiting)
        if not waiting and not left_out:
            click.echo("No letters are waiting to be posted.")
            return
        ids = [u.id for u in waiting]
        chosen = PostClass(post_class)
        if ids:  # checked before anything is said: nothing promised for a refused posting
            posting.check_posting(actor, ids, day, chosen, numbers)
        for u in left_out:
            click.echo(_left_out(u))
        if not ids:
            click.echo(f"Nothing to post: {counted(len(left_out), 'letter')} waiting, "
                       "left out (above).")
            return
        if dry_run:
            count = counted(len(ids), "letter")
            click.echo(f"Would post {count} {chosen.label} on {in_prose(day)}"
                       + ("" if no_pack else f", in a print pack in "
                          f"{state.config.print_path()}") + ":")
            for u in waiting:
                click.echo(_line(u))
            return
        if no_pack:
            done = posting.record_posting(actor, ids, day, chosen, numbers)
        else:
            result = posting.post_today(actor, ids, day, chosen, numbers)
            pack = result.pack
            how_many = counted(len(pack.letters), "letter")
            click.echo(f"Print pack: {pack.path} ({counted(pack.pages, 'page')}, {how_many}; "
                       f"SHA-256 {pack.sha256[:16]}…)")
            for u in pack.without_pdf:
                click.echo(f"NOT IN THE PACK, NOT RECORDED: {_line(u).strip()}", err=True)
            done = result.posted
    except DomainError as exc:
        raise refused(exc if posted_on is not None else _today(exc)) from exc
    for p in done:
        number = f" {p.tracking}" if p.tracking else ""
        click.echo(f"Posted: letter {p.letter_id} ({p.reference}) {p.post_class.label}"
                   f"{number} on {in_prose(p.posted_on)}")
