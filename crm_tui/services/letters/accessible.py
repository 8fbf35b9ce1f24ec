"""The accessible copy of an issued letter, on request: the same letter as plain text and as
HTML, written beside its PDF (same name, `.txt` and `.html`), readable by the user only (or
the team, as every file the app writes), and the export recorded in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crm_tui.db.models import Letter as LetterRow
from crm_tui.domain.errors import NotFound, PermissionDenied, RequirementMissing
from crm_tui.domain.letters import PREPARERS, LetterKind
from crm_tui.domain.roles import Actor
from crm_tui.letters import record
from crm_tui.letters.accessible import html, plain_text
from crm_tui.letters.content import Letter
from crm_tui.private_files import write_private_together
from crm_tui.services.core import audit, letter_texts
from crm_tui.services.core.case_steps import load_case
from crm_tui.services.core.database import atomic, reading
from crm_tui.services.core.exports import announced
from crm_tui.services.letters import issuing, not_to_send
from crm_tui.services.letters.signing_facts import SigningProblem


@dataclass(frozen=True)
class AccessibleCopies:
    text: Path
    html: Path
    # A copy of a letter not to be sent: the notice both open with (not_to_send; "" if none).
    notice: str = ""


def write_beside(content: Letter, pdf: Path, notice: str = "") -> AccessibleCopies:
    """Write the plain-text and HTML copies of `content` beside `pdf`: both or neither (a
    failure while either is written leaves no file and no partial one). A copy not to be
    sent opens with `notice`."""
    paths = _copies(pdf, notice)
    try:
        write_private_together([
            (paths.text,
             lambda path: path.write_bytes(plain_text(content, notice).encode("utf-8"))),
            (paths.html, lambda path: path.write_bytes(html(content, notice).encode("utf-8")))])
    except OSError as exc:
        raise SigningProblem(f"the accessible copy could not be written to {pdf.parent}: "
                             f"{exc.strerror or exc}") from None
    return paths


def _copies(pdf: Path, notice: str = "") -> AccessibleCopies:
    return AccessibleCopies(pdf.with_suffix(".txt"), pdf.with_suffix(".html"), notice)


def _paths(copies: AccessibleCopies) -> list[str]:
    """Where the copies go, for the audit entry: a destruction finds them by it."""
    return [str(copies.text.absolute()), str(copies.html.absolute())]


def _content_as_issued(row: LetterRow) -> Letter:
    """The letter as the register keeps it: what the customer was sent, not what the record
    would say today."""
    if not row.content:
        raise RequirementMissing("the register does not keep this letter's text (it was issued "
                                 "before letters were kept): no accessible copy can be made")
    # Sent to the customer as the letter issued: only the text the trail vouches for (found
    # when tried: an edited text went out beside "The very same file as issued").
    letter_texts.require_vouched(row, "no accessible copy was written")
    return record.loads(row.content, int(row.id))


def export_letter(actor: Actor, letter_id: int, pdf: Path) -> AccessibleCopies:
    """The accessible copies of issued letter `letter_id`, beside its PDF at `pdf`. A letter
    never posted that is superseded or can no longer go (not_to_send) is copied under names
    that say so, the copies opening with the notice (issue 15 AU1, AU2: nothing said it)."""
    _may_send(actor)
    with reading():
        row = LetterRow.get_or_none(LetterRow.id == letter_id)
        notice = not_to_send.notice_for(row) if row is not None else not_to_send.CopyNotice()
    pdf = notice.named(pdf)
    copies = _copies(pdf, notice.said)
    # Announced before they are written, as every export is: killed while writing (to a
    # folder of the user's, where no start looks), the next start removes what was written.
    with announced(copies.text, copies.html) as done:
        written = False
        try:
            with atomic():
                row = LetterRow.get_or_none(LetterRow.id == letter_id)
                if row is None or row.status != issuing.ISSUED:
                    raise NotFound(f"there is no issued letter {letter_id}")
                case = load_case(actor, row.case.reference)
                content = _content_as_issued(row)
                audit.record(actor, "export_accessible_copy", case.reference,
                             payload={"letter": int(row.id), "beside": pdf.name,
                                      "paths": _paths(copies)})
                # Written last: files that cannot be written take the entry back with them.
                write_beside(content, pdf, notice.said)
                written = True
                done()
        except BaseException:
            if written:  # the entry was not committed: no copy the trail does not record
                for path in (copies.text, copies.html):
                    path.unlink(missing_ok=True)
            raise
    return copies


def export(actor: Actor, reference: str, kind: LetterKind, folder: Path) -> AccessibleCopies:
    """The accessible copies of the case's latest issued letter of `kind`, beside its PDF in
    `folder` (the letters folder, or where `letters export` wrote it)."""
    _may_send(actor)
    with reading():
        case = load_case(actor, reference)
        row = (LetterRow.select().where((LetterRow.case == case)
                                        & (LetterRow.kind == kind.value)
                                        & (LetterRow.status == issuing.ISSUED))
               .order_by(LetterRow.signed_at.desc(), LetterRow.id.desc()).first())
        if row is None:
            raise NotFound(f"{case.reference} has no issued letter of this kind ({kind.label}) "
                           "to copy: sign it first")
        if not row.file_name:
            raise RequirementMissing("the register does not name the letter's file")
    return export_letter(actor, int(row.id), folder / row.file_name)


def _may_send(actor: Actor) -> None:
    if actor.role not in PREPARERS:
        raise PermissionDenied(f"{actor.role.label} may not send letters, nor their "
                               "accessible copies")
