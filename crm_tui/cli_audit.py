"""`crm-tui audit verify|anchor`: the audit trail checked, and its head kept outside the
database on a schedule (README, "Security and privacy")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crm_tui.cli_words import PlainGroup, WrittenFile, refused
from crm_tui.domain.audit_chain import read_anchor
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError

if TYPE_CHECKING:
    from crm_tui.cli import Context

DB_HELP = "database file or URL (default: $CRM_TUI_DB, else the user data folder)"


@click.group("audit", cls=PlainGroup)
def audit_group() -> None:
    """The tamper-evident audit trail."""


class Anchor(click.ParamType[str, Any]):
    """An anchor typed (SEQ:HASH), read as the anchor file's lines are: one that is not is a
    problem with what was typed (exit 2), never a trail found rewritten (exit 1)."""

    name = "SEQ:HASH"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        try:
            read_anchor(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        return str(value).strip()


@audit_group.command("verify")
@click.option("--anchor", "anchors", multiple=True, type=Anchor(),
              help="an anchor printed earlier by `audit anchor` (SEQ:HASH); may be repeated")
@click.option("--since-anchor", "since",
              help="the anchor file `audit anchor --to` keeps (or one SEQ:HASH): the trail "
                   "must pass through every anchor in it; says how many entries were written "
                   "after the last")
@click.option("--db", help=DB_HELP)
@click.pass_obj
def audit_verify(state: Context, anchors: tuple[str, ...], since: str | None,
                 db: str | None) -> None:
    """Check every entry of the hash chain and the records it vouches for (erased entries,
    documents' and letters' hashes, each case's decisions, restrictions and contacts), and
    that it still passes through each anchor kept outside the database; exit 1 at the first
    problem."""
    from crm_tui.services.core import audit as audit_service

    kept = _anchors_kept(since) if since is not None else []
    state.open(db, reads_only=True)
    try:
        result = audit_service.verify()
    except DomainError as exc:
        raise refused(exc) from exc
    if not result.ok:
        click.echo(f"Audit trail {result.broken} ({counted(result.checked, 'entry')} "
                   "verified).", err=True)
        sys.exit(1)
    every = [*anchors, *kept]
    for anchor in every:
        problem = audit_service.check_anchor(anchor)
        if problem:
            click.echo(f"Audit trail REWRITTEN: {problem}.", err=True)
            sys.exit(1)
    held = f"; it passes through {counted(len(every), 'anchor')}" if every else ""
    click.echo(f"Audit trail intact: {counted(result.checked, 'entry')} checked"
               f"{result.vouched}{held}.")
    if kept:
        last = max(kept, key=lambda a: read_anchor(a)[0])
        after = audit_service.beyond(last)
        click.echo(f"{counted(after, 'entry')} {'was' if after == 1 else 'were'} written "
                   f"after the last anchor (entry {last.partition(':')[0]})"
                   + (": they rest on the database alone until the next anchor is kept."
                      if after else "."))
    for note in (result.unvouched_note, result.documents_note, result.letters_note):
        if note:
            click.echo(note)
    if result.clock_note:
        click.echo(result.clock_note)
    # Not a break of the trail, but a signed letter to a customer that no entry records,
    # perhaps in a folder of the user's: verify only reads, so it is named, not removed.
    from crm_tui.services.core import leftovers

    for path in leftovers.unregistered_letters():
        click.echo(leftovers.unregistered_said(path))


def _anchors_kept(since: str) -> list[str]:
    """The anchors `--since-anchor` names: one SEQ:HASH, or the file that keeps them."""
    from crm_tui.services.core import audit as audit_service

    if audit_service.ANCHOR_PATTERN.fullmatch(since.strip()):
        try:
            read_anchor(since)
        except ValueError as exc:
            raise NoAnchors(f"--since-anchor: {exc}") from None
        return [since.strip()]
    path = Path(since).expanduser()
    try:
        found = audit_service.anchors_in(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NoAnchors(f"no anchor file at {path} (nor is it an anchor, SEQ:HASH)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NoAnchors(f"the anchor file {path} cannot be read: {exc}") from exc
    except ValueError as exc:
        raise NoAnchors(f"{path}: {exc}") from exc
    if not found:
        raise NoAnchors(f"{path} holds no anchor yet: crm-tui audit anchor --to {path} "
                        "keeps one")
    return found


class NoAnchors(click.ClickException):
    exit_code = 2


@audit_group.command("anchor")
@click.option("--to", "to", type=WrittenFile(),
              help="also add it, with the date, to this file (kept outside the database: "
                   "another server, a records system); `audit verify --since-anchor` reads it")
@click.option("--db", help=DB_HELP)
@click.pass_obj
def audit_anchor(state: Context, to: Path | None, db: str | None) -> None:
    """Print the trail's head as SEQ:HASH, to keep outside the database: a scheduled job
    (daily, or at least monthly) adds it to a file elsewhere, emails it to the Head of
    Service, or prints it for the register. `audit verify --since-anchor` later proves the
    trail was not rewritten before it, and counts the entries written after it."""
    from crm_tui.services.core import audit as audit_service

    state.open(db, reads_only=True)
    line = audit_service.anchor_line()
    if to is not None:
        try:
            line = audit_service.keep_anchor(to)
        except DomainError as exc:
            raise refused(exc) from exc
        except OSError as exc:
            raise click.ClickException(f"the anchor was not kept in {to}: "
                                       f"{exc.strerror or exc}") from exc
    click.echo(line.split()[0])
