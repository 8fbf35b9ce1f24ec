"""`crm-tui letters post`: the letters signed and not yet posted, gathered into one print pack
for the print room, and their posting recorded — the same service as "Post today" in the
Letters area. Kept beside cli.py, which adds it to the `letters` group."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from crm_tui.cli_words import DATE, NUMBER, AllAtOnce, refused
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError
from crm_tui.domain.numbers import MOST_ID, read_whole
from crm_tui.domain.posting import PostClass
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
    stale = f"  CANNOT GO: {u.cannot_go}" if u.cannot_go else ""
    over = f"  SUPERSEDED: {u.superseded}" if u.superseded and not u.cannot_go else ""
    return (f"{u.id:>5}  {u.reference}  {u.kind.label}  dated {in_prose(u.dated)}"
            f"{appeal}{copy}{kept}{stale}{over}")


@click.command("post", cls=AllAtOnce)
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
        waiting = posting.unposted(actor)
        if letters:
            known = {u.id for u in waiting}
            stray = [n for n in letters if n not in known]
            if stray:
                raise click.ClickException(f"letter {stray[0]} is not waiting to be posted "
                                           "(see crm-tui letters list)")
            waiting = [u for u in waiting if u.id in letters]
        else:
            # A decision's letter overtaken by an appeal since goes only when named (--letter
            # N): posting it beside the outcome is a choice, not the default.
            for u in waiting:
                if u.superseded and not u.cannot_go:
                    click.echo(f"Left out (name it with --letter {u.id} to post it too):"
                               f"{_line(u)}")
            waiting = [u for u in waiting if not u.superseded or u.cannot_go]
        if not waiting:
            click.echo("No letters are waiting to be posted.")
            return
        ids = [u.id for u in waiting]
        chosen = PostClass(post_class)
        if dry_run:
            going = len([u for u in waiting if not u.cannot_go])
            count = "1 letter" if going == 1 else f"{going} letters"
            if going != len(ids):
                count += f" ({len(ids) - going} more cannot go)"
            click.echo(f"Would post {count} {chosen.label} on {in_prose(day)}"
                       + ("" if no_pack else f", in a print pack in "
                          f"{state.config.print_path()}") + ":")
            for u in waiting:
                click.echo(_line(u))
            posting.check_posting(actor, ids, day, chosen, numbers)  # would it be refused?
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
        raise refused(exc) from exc
    for p in done:
        number = f" {p.tracking}" if p.tracking else ""
        click.echo(f"Posted: letter {p.letter_id} ({p.reference}) {p.post_class.label}"
                   f"{number} on {in_prose(p.posted_on)}")
