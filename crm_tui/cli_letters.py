"""`crm-tui letters export|resend|show|list`: a letter is issued once and kept. `export` issues
the letter a case calls for (signed, registered) or, once it has been issued, writes a copy of
the very same file; `resend` re-sends a lost letter as a marked duplicate; `show` prints a
letter as it was issued; `list` prints the register. The same services and refusals as the
app's screens. Registered on the `letters` group by `crm_tui.cli`."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from crm_tui.cli_words import (
    NUMBER,
    AllAtOnce,
    Labelled,
    ReadFile,
    WrittenFolder,
    choices_help,
    left_out_value,
    placeholder,
    refused,
)
from crm_tui.domain.errors import DomainError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.typed_dates import in_prose, quoted

if TYPE_CHECKING:
    from crm_tui.cli import Context
    from crm_tui.domain.roles import Actor
    from crm_tui.services.letters.issuing import LetterInfo

DB_HELP = "database file or URL (default: $CRM_TUI_DB, else the user data folder)"
USER_HELP = "act as this user (demo databases only)"
T = TypeVar("T")

passphrase_option = click.option(
    "--passphrase-file", type=ReadFile(),
    help="a file holding the key's passphrase (else the keyring, else you are asked)")
out_option = click.option("--out", type=WrittenFolder(), required=True,
                          help="folder for the PDF" + WrittenFolder.MADE)


def _signed(step: Callable[[str | None], T], passphrase_file: Path | None) -> T:
    """Run a signing step with the passphrase from the file, else the keyring, else asked."""
    from crm_tui.cli import _read_passphrase
    from crm_tui.services.letters import signing_keys

    try:
        return step(_read_passphrase(passphrase_file))
    except signing_keys.PassphraseNeeded:
        return step(click.prompt("Passphrase for your signing key", hide_input=True))


KIND_WIDTH = max(len(kind.label) for kind in LetterKind)


def status_line(info: LetterInfo) -> str:
    dated = f"{info.written_on:%d %b %Y}" if info.written_on else ""
    appeal = f"appeal by {info.appeal_by:%d %b %Y}" if info.appeal_by else ""
    signed = f"{info.signed_by}, {info.signed_at:%d %b %Y %H:%M}" if info.signed_at else ""
    return (f"{info.id:>5}  {info.reference}  {info.shown_status:<18}  "
            f"{info.kind.label:<{KIND_WIDTH}}  {dated:<11}  {appeal:<20}  {signed}  "
            f"{info.note or info.file_name}"
            + (f"  (superseded: {info.superseded})" if info.superseded else "")
            # Why it can no longer go, and what comes of it, as the post run and W say it
            # (issue 15 fixAU2).
            + (f"  (can no longer go: {info.gone}; {info.gone_then})" if info.gone else ""))


def _accessible(actor: Actor, letter_id: int, pdf: Path) -> None:
    from crm_tui.services.letters import accessible

    copies = accessible.export_letter(actor, letter_id, pdf)
    # A copy not to be sent: said with the PDF's copy (_copy); these open with it too.
    click.echo(f"Accessible copy: {copies.text} and {copies.html}"
               + (" (each opens with the notice that it is not to be sent)"
                  if copies.notice else ""))


def _copy(actor: Actor, letter_id: int, out: Path) -> Path:
    from crm_tui.services.letters import copies

    written = copies.write_copy(actor, letter_id, out)
    path = written.path
    info = copies.info(actor, letter_id)
    if written.notice:
        # Said as the app says it, whichever way the letter was named (fixAP AP3: --letter 24
        # exported a superseded letter as if current; issue 15 AU2: nor one that can no
        # longer go).
        click.echo(written.notice.said, err=True)
    when = f" (issued on {in_prose(info.written_on, full_month=True)})" if info.written_on else ""
    click.echo(f"Copy of letter {letter_id}{when}: {path}")
    click.echo(f"The very same file as issued (SHA-256 {info.sha256}); the register is "
               "unchanged.")
    return path


def _file_in_letters_folder(path: Path, sha256: str, folder: Path) -> None:
    """The letters folder keeps every issued letter, as the app files them: one issued to
    another folder (`--out`) is filed there too (found when tried: its absence made every
    later backup fail as "not whole" and every audit verify note a missing file)."""
    from crm_tui.private_files import secure_folder, write_private_bytes

    if path.parent.resolve() == folder.resolve() or (folder / path.name).exists():
        return
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        return  # changed since it was written: the register's copy stays the record
    secure_folder(folder)
    write_private_bytes(folder / path.name, data)


def _one_letter(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """The letter to export, named once: told with the command's other problems."""
    letter, case = (not left_out_value(values.get(name)) for name in ("letter_id", "reference"))
    if letter == case:
        yield "", ("Give --letter N (a letter issued: its register number) or --case REF with "
                   "--kind (a letter to issue)" + (", not both" if letter else "")
                   + ": the letter to export")


@click.command("export", cls=AllAtOnce, checks=[_one_letter])
@click.option("--case", "reference", help="the case reference")
@click.option("--kind", type=Labelled(((k.value, k.label) for k in LetterKind),
                                     also=((k.short, k.value) for k in LetterKind)),
              help="which letter (default: the latest the case calls for, else the latest "
                   "issued): " + choices_help((k.value, k.short) for k in LetterKind)
                   + "; as the code or the label")
@click.option("--letter", "letter_id", type=NUMBER,
              help="the register number of an issued letter: write a copy of it")
@out_option
@click.option("--user", help="act as this signer (demo databases only)")
@passphrase_option
@click.option("--accessible", is_flag=True,
              help="also write the letter as plain text and HTML beside the PDF, for a "
                   "screen reader")
@click.option("--as-read", "as_read",
              help="the mark of the prepared letter's words you read, VERSION:WORDS "
                   "(`letters show N` prints it): nothing is signed if they have changed "
                   "since")
@click.option("--yes", is_flag=True,
              help="sign without asking where a caution is said first (the customer's "
                   "reasonable adjustments recorded, the letter in standard print); needed "
                   "without a terminal")
@click.option("--db", help=DB_HELP)
@click.pass_obj
def export_command(state: Context, reference: str | None, kind: str | None,
                   letter_id: int | None, out: Path, user: str | None,
                   passphrase_file: Path | None, accessible: bool, as_read: str | None,
                   yes: bool, db: str | None) -> None:
    """Issue a case's letter (signed and registered), or export a copy of one already issued:
    the same file, byte for byte, with no new register entry."""
    from crm_tui.services.letters import copies, editing, issuing

    state.open(db)
    actor = state.actor(user)
    try:
        if letter_id is not None:
            if as_read is not None:
                raise click.UsageError("--as-read is for a prepared letter to sign (--case "
                                       "with --kind), not a copy of one issued (--letter)")
            path = _copy(actor, letter_id, out)
            if accessible:
                _accessible(actor, letter_id, path)
            return
        assert reference is not None
        offered = issuing.kinds_for(actor, reference)
        chosen = LetterKind(kind) if kind else (offered[-1] if offered else None)
        if chosen is None or chosen not in offered:
            if as_read is not None and chosen is not None:
                # Asked to sign words read: nothing of this kind is to be signed, and a copy
                # of another letter is not what was asked for (v16 finding 2).
                raise click.ClickException(_not_to_sign(actor, reference, chosen, as_read))
            # Nothing new to issue: a copy of the one issued, or the reason there is none.
            try:
                latest = (copies.latest_original(actor, reference, chosen) if chosen
                          else next(e for e in issuing.register(actor, reference)
                                    if e.status == "issued"))
            except (DomainError, StopIteration):
                if chosen is None:
                    raise click.ClickException(f"{reference} has no letter to write yet") \
                        from None
                issuing.letter(actor, reference, chosen)  # raises: why it cannot be issued
                raise
            path = _copy(actor, latest.id, out)
            if accessible:
                _accessible(actor, latest.id, path)
            return
        late = issuing.lateness(actor, reference, chosen)
        if late:
            click.echo(late, err=True)
        read = None
        if as_read is not None:
            draft = editing.draft_for(actor, reference, chosen)
            if draft is None:
                raise click.ClickException(
                    f"--as-read {as_read}: no {chosen.label} letter is prepared on "
                    f"{reference.upper()}. Nothing was signed.")
            read = _as_read(actor, reference, chosen, draft, as_read)
        _cautioned(issuing.format_caution(actor, reference, then=issuing.AT_THE_COMMAND_LINE),
                   yes)
        try:
            issued = _signed(lambda secret: issuing.sign_and_export(
                actor, reference, chosen, out, secret, as_read=read), passphrase_file)
        except DomainError:
            if chosen in issuing.kinds_for(actor, reference):
                raise
            # Issued meanwhile by a run started at the same time: what this run would have
            # given a moment later, a copy (found when tried: "the letter was not issued: it
            # was issued …", exit 1, for the runs that lost the race).
            latest = copies.latest_original(actor, reference, chosen)
            click.echo(f"Letter {latest.id} was issued meanwhile by another run: a copy of "
                       "it instead.", err=True)
            path = _copy(actor, latest.id, out)
            if accessible:
                _accessible(actor, latest.id, path)
            return
        _file_in_letters_folder(issued.path, issued.sha256, state.config.letters_path())
        click.echo(f"Signed, issued and registered as letter {issued.letter_id}: "
                   f"{issued.path}")
        click.echo(f"SHA-256 {issued.sha256}; certificate {issued.fingerprint[:16]}…")
        if issued.post_by:
            click.echo(issued.post_by)
        if accessible:
            _accessible(actor, issued.letter_id, issued.path)
    except DomainError as exc:
        raise refused(exc) from exc


def _at_terminal() -> bool:
    return sys.stdin.isatty()


def _cautioned(caution: str, yes: bool) -> None:
    """Say the caution before signing (issuing.format_caution), as the app's question does,
    and go on only with --yes or a yes at the terminal: nothing is signed otherwise."""
    if not caution:
        return
    click.echo(caution, err=True)
    if yes:
        return
    if not _at_terminal():
        raise click.ClickException("Nothing was signed: there is no terminal to ask at; add "
                                   "--yes to sign it as it is.")
    if not click.confirm("Sign it as it is?", default=False, err=True):
        raise click.ClickException("Nothing was signed (not now).")


def _not_to_sign(actor: Actor, reference: str, kind: LetterKind, as_read: str) -> str:
    """Why `--as-read` signs nothing where the case calls for no letter of the kind: the
    draft prepared is superseded (saying by which letter and why), or none is to be signed."""
    from crm_tui.services.letters import copies, editing

    draft = editing.draft_for(actor, reference, kind)
    info = copies.info(actor, draft) if draft is not None else None
    if info is not None and info.superseded:
        by = f" by letter {info.replaced_by}" if info.replaced_by is not None else ""
        return (f"--as-read {as_read}: letter {info.id} ({kind.label}, prepared) is "
                f"superseded{by} and can no longer be signed: {info.superseded}. Nothing was "
                "signed.")
    return (f"--as-read {as_read}: {reference.upper()} does not call for a {kind.label} "
            "letter now, so there is none to sign. Nothing was signed.")


@click.command("resend", cls=AllAtOnce, service_checks=[placeholder("reason")])
@click.argument("letter_id", type=NUMBER)
@click.option("--reason", required=True, help="why it is re-sent (e.g. lost in the post)")
@out_option
@click.option("--user", help="act as this signer (demo databases only)")
@passphrase_option
@click.option("--yes", is_flag=True,
              help="re-send without asking where a caution is said first (the customer's "
                   "reasonable adjustments recorded, the letter in standard print); needed "
                   "without a terminal")
@click.option("--db", help=DB_HELP)
@click.pass_obj
def resend_command(state: Context, letter_id: int, reason: str, out: Path, user: str | None,
                   passphrase_file: Path | None, yes: bool, db: str | None) -> None:
    """Re-send letter LETTER_ID as a marked duplicate: the original's date and text, marked
    "Copy of the letter sent on …", signed anew and registered as its own entry."""
    from crm_tui.services.letters import copies, issuing

    state.open(db)
    actor = state.actor(user)
    try:
        # The same caution as before signing (export), and as the app says it before `r`.
        _cautioned(copies.resend_caution(actor, letter_id, then=issuing.AT_THE_COMMAND_LINE),
                   yes)
        issued = _signed(lambda secret: copies.resend(actor, letter_id, out, secret, reason),
                         passphrase_file)
    except DomainError as exc:
        raise refused(exc) from exc
    _file_in_letters_folder(issued.path, issued.sha256, state.config.letters_path())
    click.echo(f"Re-sent as letter {issued.letter_id}, a marked duplicate of letter "
               f"{letter_id}: {issued.path}")


@click.command("show", cls=AllAtOnce)
@click.argument("letter_id", type=NUMBER)
@click.option("--db", help=DB_HELP)
@click.option("--user", help=USER_HELP)
@click.pass_obj
def show_command(state: Context, letter_id: int, db: str | None, user: str | None) -> None:
    """Print letter LETTER_ID as it was issued (or prepared)."""
    from crm_tui.services.letters import copies, issuing

    state.open(db, reads_only=True)
    try:
        actor = state.actor(user)
        info = copies.info(actor, letter_id)
        body = copies.issued_text(actor, letter_id)
    except DomainError as exc:
        raise refused(exc) from exc
    click.echo(status_line(info))
    if info.status == "draft" and info.superseded:
        # Never a command to sign a draft no longer to be signed (v16 finding 2).
        by = f" by letter {info.replaced_by}" if info.replaced_by is not None else ""
        click.echo(f"Superseded{by}: this draft can no longer be signed, and nothing signs "
                   "it. It is shown as prepared.")
    elif info.status == "draft":
        # What was read here can be signed as read, or not at all (b16f F1).
        mark = f"{info.version}:{issuing.words_of(body)[:MARK]}"
        click.echo(f"Version {info.version} of its words. `crm-tui letters export --case "
                   f"{info.reference} --kind {info.kind.value} --as-read {mark}` signs "
                   "these words, or nothing if they change first.")
    click.echo()
    click.echo(body)


@click.command("list", cls=AllAtOnce)
@click.option("--case", "reference", help="one case only")
@click.option("--db", help=DB_HELP)
@click.option("--user", help=USER_HELP)
@click.pass_obj
def list_command(state: Context, reference: str | None, db: str | None,
                 user: str | None) -> None:
    """The register of letters: number, case, status (posted on its day, signed and not
    posted, superseded by N, duplicate of N, draft, not sent), kind, the date it bears, the
    appeal-by date, who signed it and when."""
    from crm_tui.services.letters import issuing

    state.open(db, reads_only=True)
    try:
        entries = issuing.register(state.actor(user), reference)
    except DomainError as exc:
        raise refused(exc) from exc
    for info in entries:
        click.echo(status_line(info))


# The words' mark `letters show` prints beside their version: the first characters of the
# SHA-256 of the text shown. The version alone did not move when the case's record changed
# the words (the customer's address): `--as-read 2` signed an address never read (v16g G1).
MARK = 16


def _as_read(actor: Any, reference: str, kind: LetterKind, draft: int, given: str) -> Any:
    """What `--as-read VERSION:WORDS` says was read, for the service to hold the signing to:
    the words as they read now when their mark is the one given, else a mark that differs
    (the service then refuses, saying who changed what since)."""
    from crm_tui.services.letters import issuing

    version, _, mark = given.partition(":")
    # ASCII digits only: "²" passes isdigit() and fails int() (tests/unit/test_typed_numbers).
    whole = version.isascii() and version.isdigit() and len(version) <= 9
    if not whole or len(mark) != MARK or any(c not in "0123456789abcdef" for c in mark):
        raise click.UsageError(
            f"--as-read {quoted(given)}: give the mark `crm-tui letters show N` prints, "
            "VERSION:WORDS (like 2:3fa9c1d2e4b5a6f7)")
    unshown = issuing.unshown_mark(actor, reference, kind, int(version), mark)
    if unshown is not None:
        raise click.ClickException(
            f"--as-read {quoted(given)}: {unshown}: run it again and give the mark it prints. "
            "Nothing was signed.")
    now = issuing.read(actor, reference, kind).as_read
    words = now.words if now.words is not None and now.words.startswith(mark) else mark
    return issuing.AsRead(draft, int(version), words)

