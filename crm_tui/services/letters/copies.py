"""Copies of issued letters. An export of an issued letter is the very same file (the bytes
kept in the register), with no new register entry; a lost letter is re-sent as a marked
duplicate — the original's date and text, "Copy of the letter sent on …", signed anew — and
registered as its own entry pointing at the original."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Appeal, Case, Letter, LetterFile
from crm_tui.domain.errors import NotFound, RequirementMissing
from crm_tui.domain.letters import LetterKind, require_signer
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.letters import record
from crm_tui.letters.content import Letter as LetterContent
from crm_tui.services.core import audit, letter_texts, places, scope, settings
from crm_tui.services.core.case_steps import load_case, load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.exports import announced
from crm_tui.services.core.posting_dates import (
    address_changed_on,
    addressed_elsewhere,
    cannot_go,
    draft_superseded,
    no_longer_sent,
    replaced_by,
)
from crm_tui.services.core.validation import grounds_text
from crm_tui.services.letters import issuing, letter_content, sources
from crm_tui.services.letters.issuing import (
    DRAFT,
    ISSUED,
    IssuedLetter,
    LetterInfo,
    _info,
    read,
    render_and_sign,
    write_out,
    write_registered,
)
from crm_tui.services.letters.not_to_send import CopyNotice, notice_for


def _row(actor: Actor, letter_id: int) -> Letter:
    row: Letter | None = Letter.select().join(Case).where(
        (Letter.id == letter_id) & scope.visible(actor)).first()
    if row is None:
        raise NotFound(f"no letter {letter_id} in the register")
    load_case(actor, row.case.reference)  # the same refusals as the case itself
    return row


def _issued(actor: Actor, letter_id: int) -> Letter:
    row = _row(actor, letter_id)
    if row.status != ISSUED:
        status = row.status.replace("_", " ")
        gone = draft_superseded(row)
        if gone:  # v16 finding 2: it said "draft" only, not that it will never be signed
            newer = replaced_by(row)
            by = f" by letter {newer}" if newer is not None else ""
            status += f", superseded{by} and never to be signed: {gone}"
        raise RequirementMissing(f"letter {letter_id} was not issued ({status}): there is "
                                 "nothing to copy")
    return row


def latest_original(actor: Actor, reference: str, kind: LetterKind) -> LetterInfo:
    """The latest letter of this kind issued on the case (not a re-sent copy)."""
    case = load_case(actor, reference)
    row = (Letter.select().where((Letter.case == case) & (Letter.kind == kind.value)
                                 & (Letter.status == ISSUED) & Letter.duplicate_of.is_null())
           .order_by(Letter.signed_at.desc(), Letter.id.desc()).first())
    if row is None:
        raise NotFound(f"no letter of this kind ({kind.label}) has been issued on "
                       f"{case.reference}")
    return _info(row)


def info(actor: Actor, letter_id: int) -> LetterInfo:
    return _info(_row(actor, letter_id))


def issued_text(actor: Actor, letter_id: int) -> str:
    """The text of a letter as it was issued (or prepared), never composed again."""
    row = _row(actor, letter_id)
    if row.status == DRAFT:
        return _draft_text(actor, row)
    # Never a text the trail does not vouch for shown as issued (found when tried: a
    # well-formed edit of it in the database was shown as the letter sent).
    note = letter_texts.vouch(row)
    shown = record.as_text(record.loads(row.content, int(row.id))) if row.content \
        else str(row.body)
    return f"Not vouched for: {note}.\n\n{shown}" if note else shown


def _draft_text(actor: Actor, row: Letter) -> str:
    """A prepared letter as it would be signed now, with its signer's edits (found when tried,
    b16f F1: its words as first prepared were shown, while the edited ones would be signed);
    as prepared if it is no longer the letter the case calls for (it will not be signed)."""
    kind = LetterKind(row.kind)
    try:
        now = read(actor, row.case.reference, kind)
    except RequirementMissing:
        return str(row.body)
    return now.text if now.as_read.draft_id == int(row.id) else str(row.body)


def _kept_bytes(row: Letter) -> bytes:
    """The signed bytes of the letter, checked against the register's SHA-256 before anything
    is written: the copy the register keeps, or else the file in the letters folder."""
    kept = LetterFile.get_or_none(LetterFile.letter == row.id)
    if kept is not None and hashlib.sha256(bytes(kept.pdf)).hexdigest() == row.sha256:
        return bytes(kept.pdf)
    # Issued before the register kept the signed bytes (or its copy is damaged): the file in
    # the letters folder, if it is still there unchanged.
    found = settings.current().letters_path() / row.file_name if row.file_name else None
    if found is not None and found.is_file():
        data = found.read_bytes()
        if hashlib.sha256(data).hexdigest() == row.sha256:
            return data
    if kept is not None:
        raise RequirementMissing(
            f"the signed file the register keeps for letter {row.id} is not the file issued "
            f"(its SHA-256 is not the register's {row.sha256[:16]}…), and the letters folder "
            "holds no unchanged copy: nothing was written. Run `crm-tui audit verify`; a "
            "lost letter can be re-sent as a marked duplicate (`crm-tui letters resend`)")
    raise RequirementMissing(f"the signed file of letter {row.id} was not kept in the register "
                             "(it was issued before letters were kept as records) and is not "
                             "in the letters folder unchanged")


@dataclass(frozen=True)
class WrittenCopy:
    """A copy written (`path`), and what it is to be told (not_to_send: "" when the letter
    may be posted, or went already)."""

    path: Path
    notice: CopyNotice


def copy_notice(actor: Actor, letter_id: int) -> CopyNotice:
    """What a copy of the letter is to be told and marked with (not_to_send.notice_for)."""
    return notice_for(_row(actor, letter_id))


def export_copy(actor: Actor, letter_id: int, folder: Path) -> Path:
    """Write a copy of an issued letter: the very same bytes. Nothing in the register changes;
    the export is recorded in the audit trail."""
    return write_copy(actor, letter_id, folder).path


def write_copy(actor: Actor, letter_id: int, folder: Path) -> WrittenCopy:
    """export_copy, with what the copy is to be told: a letter never posted that is
    superseded or can no longer go is copied under a name that says so (issue 15 AU1, AU2),
    its bytes those issued."""
    places.check_folder(folder, letters=False)
    row = _issued(actor, letter_id)
    data = _kept_bytes(row)
    notice = notice_for(row)
    name = row.file_name or f"{row.case.reference}-letter-{row.id}.pdf"
    target = notice.named(folder / name)
    name = target.name
    if target.exists() and target.read_bytes() != data:
        target = folder / f"{Path(name).stem}-copy-{clock.now():%Y%m%d-%H%M%S}.pdf"
    # Announced before it is written, as every export is: killed while writing (to a folder
    # of the user's, where no start looks), the next start removes its partial file.
    with announced(target) as done, atomic():
        audit.record(actor, "export_letter", row.case.reference, payload={
            "letter": row.id, "sha256": row.sha256, "file": target.name,
            "path": str(target.absolute())})
        write_out(folder, target.name, data)
        done()
    return WrittenCopy(target, notice)


def _appeal_decider(row: Letter) -> tuple[int, str] | None:
    """Who decided the appeal the letter is about (its source), who alone signs a copy."""
    appeal_id = row.source.removeprefix("appeal:") if row.source.startswith("appeal:") else ""
    query = Appeal.select().where((Appeal.case == row.case_id) & (Appeal.outcome != ""))
    appeal = (Appeal.get_or_none(Appeal.id == int(appeal_id))
              if appeal_id.isascii() and appeal_id.isdigit() and len(appeal_id) < 13
              else query.order_by(Appeal.id.desc()).first())
    if appeal is None or appeal.decided_by is None:
        return None
    return int(appeal.decided_by.id), str(appeal.decided_by.name)


def _require_can_go(original: Letter) -> None:
    """Refuse a copy that could never go out, before anything is asked or signed."""
    gone = no_longer_sent(original)  # withdrawn, or addressed elsewhere (moved)
    if gone:
        # v15m: "post it" of an outcome letter no post run will take; it is superseded.
        newer = replaced_by(original)
        by = f" by letter {newer}" if newer is not None else ""
        raise RequirementMissing(f"letter {original.id} was never posted and is superseded"
                                 f"{by}: {gone}. It is not sent, and neither is a copy")
    if original.posted_on is None:
        # Found when tried: copies made of a letter still waiting to be posted went out beside
        # it. A letter not yet posted is not lost: post it.
        raise RequirementMissing(f"letter {original.id} has not been posted yet, so it cannot "
                                 "have been lost: post it (P in the Letters area) rather than "
                                 "a copy")
    if addressed_elsewhere(original):
        # A copy keeps the original's text, its address too: it would go where the customer
        # no longer lives (issue 15 AG1), and every post run would refuse it.
        raise RequirementMissing(_moved_refusal(original))
    # A copy keeps the original's date and text: one giving a date already past would be
    # signed and registered, then held back by every post run (v15i J2).
    why = cannot_go(original, clock.today(), as_copy=True)
    if why:
        raise RequirementMissing(
            f"letter {original.id} cannot be re-sent: {why}. A copy keeps its date and text, "
            "so the post run could never send it. Nothing was signed; an exact copy of the "
            "file can still be exported for the record")


def _moved_refusal(original: Letter) -> str:
    """Why a lost letter to an address the customer has left cannot be re-sent, and what to do
    instead (fixAL AL5: the refusal said only why): the case's next letter goes to the new
    address; what this one said, if they need it sooner, is written to them there."""
    changed = address_changed_on(original)
    when = f"changed on {in_prose(changed, full_month=True)}" if changed else "has changed"
    case = original.case
    step = str(case.next_action or "")
    due = case.next_action_due
    next_letter = (f" (the case's next step: {step}"
                   + (f", due {in_prose(due, full_month=True)}" if due else "") + ")"
                   if step else "")
    return (f"letter {original.id} cannot be re-sent: it is addressed to where the customer "
            f"no longer lives (their address {when}), and a copy keeps the address it was "
            "signed with. What to do instead: the next letter on the case goes to their new "
            f"address{next_letter}; if they need what letter {original.id} said before then, "
            "write to them at their new address and note it on the case. Nothing was signed; "
            "an exact copy of the file can still be exported for the record")


def check_resend(actor: Actor, letter_id: int) -> None:
    """Refuse at once a re-send that could not go ahead (asked before the reason and the
    passphrase): the same refusals `resend` makes before signing."""
    row = _issued(actor, letter_id)
    _require_can_go(row.duplicate_of if row.duplicate_of_id is not None else row)


def resend_caution(actor: Actor, letter_id: int, *, then: str = issuing.IN_THE_APP) -> str:
    """What the signer is told before re-sending a copy to the customer, as before signing
    their letter (issuing.format_caution, read now: issue 15 BA2, a re-sent copy was signed
    with no word of adjustments recorded and standard print). A copy is printed in the size
    the customer's record gives now (resend), so recording large print first serves it too."""
    row = _issued(actor, letter_id)
    original = row.duplicate_of if row.duplicate_of_id is not None else row
    if original.content and record.loads(original.content, int(original.id)).print_pt:
        return ""  # in large print, as the letter was
    return issuing.format_caution(actor, original.case.reference, then=then)


def resend(actor: Actor, letter_id: int, folder: Path, passphrase: str | None,
           reason: str) -> IssuedLetter:
    """Re-send a letter as a marked duplicate of the original: its date and text, marked "Copy
    of the letter sent on …", signed anew by the actor, registered as its own entry."""
    from crm_tui.services.letters import signing_keys

    places.check_folder(folder, letters=False)
    why = grounds_text("reason", reason)
    row = _issued(actor, letter_id)
    original = row.duplicate_of if row.duplicate_of_id is not None else row
    kind = LetterKind(original.kind)
    require_signer(actor, kind, _appeal_decider(original)
                   if kind is LetterKind.APPEAL_OUTCOME else None)
    load_case_for_change(actor, original.case.reference)  # not on an archived file
    if not original.content:
        raise RequirementMissing(f"the text letter {original.id} was issued with was not kept "
                                 "(it was issued before letters were kept as records): export "
                                 "a copy of the file instead")
    _require_can_go(original)
    # Signed anew from the stored text: only from the text the trail vouches for.
    letter_texts.require_vouched(original, "nothing was re-sent")
    kept: LetterContent = record.loads(original.content, int(original.id))
    sent_on = original.written_on or kept.written_on
    # In the customer's print size as recorded now, where one is (recorded since the letter
    # went, as the caution before re-sending asks: resend_caution); else as the letter was.
    pt = letter_content.customer_print_pt(original.case) or kept.print_pt
    content = replace(kept, copy_of=sent_on, print_pt=pt,
                      large_print=kept.large_print or pt is not None)
    # The original signer's handwriting belongs to the original; the copy carries the digital
    # signature of whoever re-sends it.
    signed, fp = render_and_sign(actor, content, passphrase, signature_image=False)
    digest = hashlib.sha256(signed).hexdigest()

    def register(target: Path) -> Letter:
        signing_keys.require_in_use(actor.login, fp)
        stored, body = record.dumps(content), record.as_text(content)
        dup = Letter.create(
            case=original.case_id, kind=kind.value, created_at=clock.now(),
            created_by=actor.user_id, status=ISSUED, signed_by=actor.user_id,
            signed_at=clock.now(), file_name=target.name, sha256=digest,
            cert_fingerprint=fp, body=body, source=original.source,
            written_on=sent_on, appeal_by=original.appeal_by,
            content=stored, duplicate_of=original.id)
        LetterFile.create(letter=dup.id, pdf=signed)
        audit.record(actor, "resend_letter", original.case.reference, why, payload={
            "letter": dup.id, "duplicate_of": original.id, "sha256": digest,
            "certificate": fp, letter_texts.KEY: letter_texts.text_hash(stored, body),
            "path": str(target.absolute())})
        return dup

    target, dup = write_registered(folder, f"{content.reference}-"
                                   f"{sources.file_word(kind, original.source or '')}-copy-"
                                   f"{clock.now():%Y%m%d-%H%M%S}.pdf", signed, register)
    return IssuedLetter(target, digest, fp, int(dup.id))
