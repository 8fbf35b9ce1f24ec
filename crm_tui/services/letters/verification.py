"""`letters verify`: is this file a letter the council issued, unchanged? One verdict per
file, naming the first thing wrong in the order it matters — a file that cannot be read, one
with no signature, a signature that cannot be read, content changed after signing, something
added after signing, a signature that does not match, a certificate the council never used,
a letter never registered, a certificate other than the one registered, a key revoked
before the letter was signed, a register row that no audit entry issued — and nothing that
follows from it (a changed file is not also "not in the register")."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from pathlib import Path

from crm_tui.db.models import AuditEntry, Letter, SigningCertificate, Tombstone
from crm_tui.domain.errors import NotKnown
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit_records, letter_register
from crm_tui.services.letters import not_to_send
from crm_tui.services.letters.issuing import ISSUED, LetterInfo, _info


class Verdict(Enum):
    GENUINE = "genuine"
    UNREADABLE = "unreadable"  # the file could not be read at all
    DAMAGED = "damaged"  # not a PDF, or one damaged past reading
    UNSIGNED = "unsigned"
    CHANGED = "changed"
    SIGNATURE_DAMAGED = "signature_damaged"
    ADDED_TO = "added_to"
    SEVERAL = "several"
    FORGED = "forged"
    UNKNOWN_CERTIFICATE = "unknown_certificate"
    NOT_REGISTERED = "not_registered"
    UNRECORDED = "unrecorded"  # in the register, but the audit trail never issued it
    DIFFERENT_CERTIFICATE = "different_certificate"
    REVOKED = "revoked"
    # Issued, unchanged, in a file since destroyed at the end of its retention period: the
    # register's row went with it; the destruction's audit entry keeps the letter's hash.
    ISSUED_FILE_DESTROYED = "issued_file_destroyed"


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    reason: str  # in plain words; empty for a genuine letter
    letter: LetterInfo | None
    # Signed with a certificate its signer made (not the council's certificate authority's).
    self_signed: bool = False
    # A genuine file whose register row was changed since: what differs (the verdict names
    # the letter from its issuing entry and its signature, never from the row).
    register_changed: str = ""
    # A genuine letter signed and never posted that is not to go (superseded, or it can no
    # longer go): the one notice every copy of it carries (not_to_send.notice_for), said
    # after the verdict, as `letters show` and `letters export` say it (issue 15 BA1: a
    # superseded letter, or its copy, verified as "GENUINE" alone).
    notice: str = ""

    @property
    def genuine(self) -> bool:
        return self.verdict in (Verdict.GENUINE, Verdict.ISSUED_FILE_DESTROYED)

    @property
    def said(self) -> str:
        """The verdict in one line, as the screen and the command line both say it: for a
        genuine letter, which letter it is (and, for a re-sent copy, of which)."""
        if self.verdict is Verdict.ISSUED_FILE_DESTROYED:
            return f"GENUINE: {self.reason}"
        if not self.genuine or self.letter is None:
            return f"NOT GENUINE: {self.reason}"
        info = self.letter
        when = f" on {in_prose(info.signed_at)} {info.signed_at:%H:%M}" if info.signed_at else ""
        copy = (f", a marked copy of letter {info.duplicate_of} re-sent to the customer"
                if info.duplicate_of is not None else "")
        changed = (f" But the register's row for it was changed since: {self.register_changed}"
                   " (`audit verify` fails on it)." if self.register_changed else "")
        notice = f" {self.notice}" if self.notice else ""
        return (f"GENUINE: letter {info.id}{copy}, {info.kind.label} for {info.reference}, "
                f"signed by {info.signed_by}{when}; unchanged since.{changed}{notice}")

    @property
    def reasons(self) -> list[str]:
        return [self.reason] if self.reason else []


def _when(moment: datetime) -> str:
    return f"{in_prose(moment)} {moment:%H:%M}"


_SIGNATURE = {
    "changed": (Verdict.CHANGED, "its content was changed after it was signed"),
    "signature_damaged": (Verdict.SIGNATURE_DAMAGED, "its digital signature is damaged and "
                          "cannot be read, so nothing in the file can be shown to be as the "
                          "council signed it"),
    "added_to": (Verdict.ADDED_TO, "something was added to the file after it was signed"),
    "several": (Verdict.SEVERAL, "it carries more than one signature: the council signs each "
                                 "letter once"),
    "forged": (Verdict.FORGED, "its signature does not match its content: it is forged or "
                               "damaged"),
    "unsigned": (Verdict.UNSIGNED, "it carries no digital signature: it is not a letter the "
                                   "council issued"),
}


def verify(path: Path) -> Verification:
    """Is this file a letter the council issued, unchanged? One verdict, with its reason."""
    from cryptography import x509

    from crm_tui.letters import keys, signing
    from crm_tui.services.letters import signing_keys

    if not path.is_file():
        # A mistyped path asks nothing of the register: it is refused as typed, never
        # answered "not genuine" (found when tried: the dialog closed and the path was lost).
        raise NotKnown("file", "the file does not exist (was it moved?)"
                              if not path.exists() else "is not a file (a folder or a device)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Verification(Verdict.UNREADABLE,
                            f"the file cannot be read: {exc.strerror or exc}", None)
    check = signing.check(data, signing_keys.trusted_certificates())
    if check.finding is signing.Finding.UNREADABLE:
        where = f" ({check.detail})" if check.detail else ""
        return Verification(Verdict.DAMAGED, "it is not a PDF, or it is damaged past "
                            f"reading{where}: it is not a letter as the council issued it",
                            None)
    if check.finding.value in _SIGNATURE:
        verdict, reason = _SIGNATURE[check.finding.value]
        return Verification(verdict, reason, None)
    cert = SigningCertificate.get_or_none(
        SigningCertificate.fingerprint == check.signer_fingerprint)
    if check.finding is signing.Finding.UNTRUSTED or cert is None:
        return Verification(Verdict.UNKNOWN_CERTIFICATE, "the signing certificate is not one "
                            "this council issued letters with", None)
    self_signed = keys.is_self_signed(x509.load_pem_x509_certificate(cert.pem.encode()))
    digest = hashlib.sha256(data).hexdigest()
    row = Letter.get_or_none((Letter.sha256 == digest) & (Letter.status == ISSUED))
    if row is None:
        gone = _in_destroyed_file(digest, check.signer_fingerprint, cert.revoked_at)
        if gone is not None:
            return Verification(*gone, None, self_signed)
        named = _destroyed_file_named(data)
        if named:
            # Destroyed before destructions kept their letters' hashes: neither way can be
            # shown, and it is not said to be a forgery.
            return Verification(Verdict.NOT_REGISTERED, "its signature is sound, and the file "
                                f"it names, {named}: the register's entries went with it, "
                                "and its letters' SHA-256 were not kept then, so whether it "
                                "was issued as it stands cannot be shown", None, self_signed)
        return Verification(Verdict.NOT_REGISTERED, "its signature is sound, but the file is "
                            "not, byte for byte, any letter in the register (its SHA-256 "
                            f"begins {digest[:16]}): it was never issued as it stands", None,
                            self_signed)
    info = _info(row)
    if row.cert_fingerprint != check.signer_fingerprint:
        return Verification(Verdict.DIFFERENT_CERTIFICATE, "it was signed with a different "
                            "certificate from the one registered for it", info, self_signed)
    if cert.revoked_at is not None and row.signed_at is not None and \
            row.signed_at >= cert.revoked_at:
        return Verification(Verdict.REVOKED, f"it was signed on {_when(row.signed_at)}, after "
                            "its signing certificate was revoked on "
                            f"{_when(cert.revoked_at)}", info, self_signed)
    # The register is only as good as the trail behind it: a row added to it (by hand, for
    # a file signed but never issued) has no entry issuing that letter with that hash.
    entry = audit_records.issuing_entry(row, row.case.reference)
    if entry is None or audit_records.issuing_mismatch(
            entry, {"id": row.id, "reference": row.case.reference, "sha256": row.sha256,
                    "cert_fingerprint": row.cert_fingerprint}):
        return Verification(Verdict.UNRECORDED, "the register lists it, but the audit trail "
                            f"has no entry issuing letter {row.id} with this file: the "
                            "register was changed, and it is not a letter the council issued",
                            None, self_signed)
    vouched, changed = _as_vouched(row, info, entry[0], check.signer_name)
    return Verification(Verdict.GENUINE, "", vouched, self_signed, changed,
                        not_to_send.notice_for(row).said)


def _as_vouched(row: Letter, info: LetterInfo, seq: int,
                signer: str) -> tuple[LetterInfo, str]:
    """The letter as its issuing entry and its signature say it is: its kind, case and copy
    from the entry (a copy's kind from its original's), its signer's name from the signing
    certificate; and what of the register's row differs from the entries, if anything."""
    reference = info.reference
    found = audit_records.issuing_row(int(row.id), reference)
    payload = json.loads(found.payload) if found is not None else {}
    kind, original = payload.get("kind"), payload.get("duplicate_of")
    if isinstance(original, int):
        first = audit_records.issuing_payload(original, reference)
        kind = first[1].get("kind") if first is not None else None
    vouched = replace(info, signed_by=signer or "a certificate that names no one",
                      duplicate_of=original if isinstance(original, int) else None)
    if isinstance(kind, str) and kind in {k.value for k in LetterKind}:
        vouched = replace(vouched, kind=LetterKind(kind))
    what = "" if found is None else (
        letter_register.issuing_differs(row, str(found.action), str(found.actor_login),
                                        payload)
        or letter_register.posting_differs(
            row, letter_register.posting_entry(int(row.id), reference)))
    return vouched, (letter_register.register_changed(int(row.id), reference, seq, what)
                     if what else "")


def _in_destroyed_file(digest: str, fingerprint: str, revoked_at: datetime | None,
                       ) -> tuple[Verdict, str] | None:
    """A letter issued in a file destroyed since: the destruction's audit entry (in the
    chain, `audit verify` holds it) keeps each issued letter's hash, certificate and signing
    time. None if no destruction issued this file."""
    found = (AuditEntry.select(AuditEntry.case_reference, AuditEntry.payload)
             .where((AuditEntry.action == "destroy") & ~AuditEntry.erased
                    & AuditEntry.payload.contains(digest)).first())
    if found is None:
        return None
    try:
        issued = json.loads(found.payload).get("letters_issued", [])
    except (ValueError, AttributeError):
        return None
    letter = next((one for one in issued if isinstance(one, dict)
                   and one.get("sha256") == digest), None)
    if letter is None:
        return None
    reference = str(found.case_reference)
    stone = Tombstone.get_or_none(Tombstone.case_reference == reference)
    on = f" on {in_prose(stone.destroyed_on)}" if stone else ""
    if letter.get("certificate") != fingerprint:
        return (Verdict.DIFFERENT_CERTIFICATE, "it was signed with a different certificate "
                f"from the one registered for it (in file {reference}, destroyed{on})")
    signed_at = datetime.fromisoformat(letter["signed_at"]) if letter.get("signed_at") \
        else None
    if revoked_at is not None and (signed_at is None or signed_at >= revoked_at):
        return (Verdict.REVOKED, "it was signed after its signing certificate was revoked on "
                f"{_when(revoked_at)} (in file {reference}, destroyed{on})")
    when = f" on {_when(signed_at)}" if signed_at else ""
    return (Verdict.ISSUED_FILE_DESTROYED,
            f"issued{when}, unchanged since, in file {reference}, which was destroyed{on} at "
            "the end of its retention period: the register's entry went with the file, and "
            "the destruction's audit entry keeps the letter's SHA-256")


_NAMED = re.compile(rb"/Keywords \(([A-Z]{2,5}-\d{4}-\d{4})\)")


def _destroyed_file_named(data: bytes) -> str:
    """The destroyed file a letter names in its properties (the app writes the case's
    reference there), as "REF, destroyed on DAY"; "" if it names none destroyed."""
    found = _NAMED.search(data)
    if found is None:
        return ""
    stone = Tombstone.get_or_none(Tombstone.case_reference == found.group(1).decode())
    if stone is None:
        return ""
    return (f"{stone.case_reference}, was destroyed on {stone.destroyed_on.day} "
            f"{stone.destroyed_on:%b %Y}")
