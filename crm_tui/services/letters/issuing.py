"""Letters: prepared (officers may prepare drafts), checked, signed and exported (the CRM; an
appeal outcome by the person who decided the appeal, and no one else), and registered — case,
kind, signer, time, certificate fingerprint and the file's SHA-256 — so that `letters verify`
can tell a genuine letter from a changed one. A recorded decision not to write produces no
letter; the register shows that decision instead."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Appeal, Case, Letter, LetterFile, User
from crm_tui.domain.errors import NotFound, PermissionDenied, RequirementMissing
from crm_tui.domain.letters import PREPARERS, LetterKind, require_signer
from crm_tui.domain.roles import Actor
from crm_tui.letters import checker
from crm_tui.letters.content import Letter as LetterContent
from crm_tui.letters.content import text
from crm_tui.private_files import write_private_bytes
from crm_tui.services.core import audit, scope
from crm_tui.services.core.case_steps import load_case, load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.database_facts import demo_user
from crm_tui.services.letters import editing
from crm_tui.services.letters.letter_content import available, compose
from crm_tui.services.letters.signing_facts import SigningProblem

DRAFT, ISSUED, NOT_SENT = "draft", "issued", "not_sent"


@dataclass(frozen=True)
class LetterInfo:
    id: int
    reference: str
    kind: LetterKind
    status: str
    created_at: datetime
    prepared_by: str
    signed_by: str
    signed_at: datetime | None
    file_name: str
    sha256: str
    cert_fingerprint: str
    note: str


@dataclass(frozen=True)
class IssuedLetter:
    path: Path
    sha256: str
    fingerprint: str
    letter_id: int


def _info(row: Letter) -> LetterInfo:
    prepared = User.get_or_none(User.id == row.created_by_id)
    signed = User.get_or_none(User.id == row.signed_by_id) if row.signed_by_id else None
    return LetterInfo(row.id, row.case.reference, LetterKind(row.kind), row.status,
                      row.created_at, prepared.name if prepared else "",
                      signed.name if signed else "", row.signed_at, row.file_name, row.sha256,
                      row.cert_fingerprint, row.note)


def appeal_signer(actor: Actor, reference: str) -> tuple[int, str] | None:
    """(user id, name) of the person who decided the case's latest appeal: the only one who
    signs its outcome letter. None if no appeal has been decided."""
    case = load_case(actor, reference)
    appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome != ""))
              .order_by(Appeal.id.desc()).first())
    if appeal is None or appeal.decided_by is None:
        return None
    return int(appeal.decided_by.id), str(appeal.decided_by.name)


def kinds_for(actor: Actor, reference: str) -> list[LetterKind]:
    return available(load_case(actor, reference))


def letter(actor: Actor, reference: str, kind: LetterKind) -> LetterContent:
    """The letter as it would be sent today; RequirementMissing if the record cannot make it."""
    case = load_case(actor, reference)
    if kind not in available(case):
        raise RequirementMissing(f"{case.reference} has nothing to write a letter of this kind "
                                 f"about ({kind.label})")
    return compose(actor, case, kind, demo=demo_user() is not None)


def preview(actor: Actor, reference: str, kind: LetterKind) -> tuple[str, list[str]]:
    """The letter's text, and what the checker finds missing (nothing, for a sound letter)."""
    content = letter(actor, reference, kind)
    return text(content), checker.missing(content)


def prepare(actor: Actor, reference: str, kind: LetterKind) -> int:
    """Put a draft in the queue for signing; returns its register number."""
    if actor.role not in PREPARERS:
        raise PermissionDenied(f"{actor.role.label} may not prepare letters")
    with atomic():
        case = load_case_for_change(actor, reference)
        content = letter(actor, reference, kind)
        existing = Letter.get_or_none((Letter.case == case) & (Letter.kind == kind.value)
                                      & (Letter.status == DRAFT))
        if existing is not None:
            Letter.update(body=text(content), created_at=clock.now(),
                          created_by=actor.user_id).where(Letter.id == existing.id).execute()
            row_id = int(existing.id)
        else:
            row_id = int(Letter.create(case=case, kind=kind.value, created_at=clock.now(),
                                       created_by=actor.user_id, status=DRAFT,
                                       body=text(content)).id)
        audit.record(actor, "prepare_letter", case.reference, payload={"kind": kind.value,
                                                                       "letter": row_id})
        return row_id


def sign_and_export(actor: Actor, reference: str, kind: LetterKind, folder: Path,
                    passphrase: str | None = None) -> IssuedLetter:
    """Check, render, sign and export the letter, and register it."""
    from crm_tui.services.letters import printing, signing_keys

    require_signer(actor, kind, appeal_signer(actor, reference)
                   if kind is LetterKind.APPEAL_OUTCOME else None)
    load_case_for_change(actor, reference)  # before a PDF is written for an archived file
    # The signer's edits to the prepared letter, checked again with the rest (forms: editing).
    content = editing.with_edits(actor, reference, kind, letter(actor, reference, kind))
    gaps = checker.missing(content)
    if gaps:
        raise RequirementMissing("the letter cannot be sent: it does not say " + "; ".join(gaps))
    signer, fp = signing_keys.open_signer(actor.login, passphrase)
    signed = printing.signed_pdf(content, signer, actor.name, actor.login)  # type: ignore[arg-type]
    digest = hashlib.sha256(signed).hexdigest()
    target = folder / f"{content.reference}-{kind.value.replace('_', '-')}-" \
                      f"{clock.now():%Y%m%d-%H%M%S}.pdf"
    try:
        write_private_bytes(target, signed)
    except OSError as exc:
        raise SigningProblem(f"the signed letter could not be written to {folder}: "
                             f"{exc.strerror or exc}") from None
    try:
        with atomic():
            # The key may have been revoked while the letter was being signed.
            signing_keys.require_in_use(actor.login, fp)
            row_id = _register_issued(actor, reference, kind, content, target, signed, fp)
    except SigningProblem:
        target.unlink(missing_ok=True)
        raise
    return IssuedLetter(target, digest, fp, row_id)


def _register_issued(actor: Actor, reference: str, kind: LetterKind, content: LetterContent,
                     target: Path, signed: bytes, fp: str) -> int:
    digest = hashlib.sha256(signed).hexdigest()
    case = load_case_for_change(actor, reference)
    draft = Letter.get_or_none((Letter.case == case) & (Letter.kind == kind.value)
                               & (Letter.status == DRAFT))
    values = {"status": ISSUED, "signed_by": actor.user_id, "signed_at": clock.now(),
              "file_name": target.name, "sha256": digest, "cert_fingerprint": fp,
              "body": text(content)}
    if draft is not None:
        Letter.update(**values).where(Letter.id == draft.id).execute()
        row_id = int(draft.id)
    else:
        row_id = int(Letter.create(case=case, kind=kind.value, created_at=clock.now(),
                                   created_by=actor.user_id, **values).id)
    # The signed bytes themselves, so that an export of the letter is the very same file.
    LetterFile.create(letter=row_id, pdf=signed)
    audit.record(actor, "issue_letter", case.reference, payload={
        "kind": kind.value, "letter": row_id, "sha256": digest, "certificate": fp})
    return row_id


def record_not_sent(actor: Actor, case: Case, reason: str) -> None:
    """The policy's decision not to write: no letter, and the register says why. Call inside
    the transaction that records the decision."""
    Letter.create(case=case, kind=LetterKind.LIFTED.value, created_at=clock.now(),
                  created_by=actor.user_id, status=NOT_SENT,
                  note="Not sent: decision not to write (in consultation with the Head of "
                       f"Service), because: {reason.strip()}")


def register(actor: Actor, reference: str | None = None,
             limit: int | None = None) -> list[LetterInfo]:
    """The register of letters, newest first (one case's, or all; the latest `limit`)."""
    query = (Letter.select().join(Case).where(scope.visible(actor))
             .order_by(Letter.created_at.desc(), Letter.id.desc()))
    if reference is not None:
        query = query.where(Case.id == load_case(actor, reference).id)
    if limit is not None:
        query = query.limit(limit)
    return [_info(row) for row in query]


def drafts(actor: Actor) -> list[LetterInfo]:
    """Letters prepared and waiting to be signed, oldest first."""
    query = (Letter.select().join(Case).where((Letter.status == DRAFT) & scope.visible(actor))
             .order_by(Letter.created_at, Letter.id))
    return [_info(row) for row in query]


def sign_many(actor: Actor, letter_ids: list[int], folder: Path, passphrase: str | None,
              progress: Callable[[int, int, str], None]) -> list[tuple[str, str]]:
    """Sign prepared letters one after another; returns (reference, result) for each. One that
    cannot be signed is reported and the rest go on."""
    results = []
    for done, letter_id in enumerate(letter_ids, 1):
        row = Letter.select().join(Case).where(
            (Letter.id == letter_id) & scope.visible(actor)).first()
        if row is None or row.status != DRAFT:
            continue
        reference, kind = row.case.reference, LetterKind(row.kind)
        try:
            issued = sign_and_export(actor, reference, kind, folder, passphrase)
            results.append((reference, f"signed: {issued.path.name}"))
        except (RequirementMissing, PermissionDenied, NotFound, SigningProblem) as exc:
            results.append((reference, f"not signed: {exc}"))
        progress(done, len(letter_ids), reference)
    return results
