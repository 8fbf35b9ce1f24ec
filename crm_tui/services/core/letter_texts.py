"""The stored text of an issued letter, held to the audit trail by its hash.

The register keeps each issued letter's text (its JSON record and its plain text) beside the
signed PDF: `letters show` and the Letters screen show it, the accessible copy sent to the
customer is written from it, and a re-sent copy is signed from it. So the entry that issues a
letter (or re-sends one) holds a hash of that text as well as of the PDF, and every reader of
the text compares it first (found when tried: a well-formed edit of the text in the database
was shown as the issued letter and sent to the customer in the accessible copy, beside "The
very same file as issued", while `audit verify` said intact).

Letters issued before entries held this hash cannot be vouched for by the trail: their text is
shown with a line saying so, and is not sent out (accessible copy, re-sent copy) — the signed
PDF, checked byte for byte, is the record.
"""

from __future__ import annotations

import json

from crm_tui.db.models import Letter
from crm_tui.domain.audit_chain import digest
from crm_tui.domain.errors import RequirementMissing
from crm_tui.services.core import audit_records

KEY = "text_sha256"
ISSUED = "issued"


def text_hash(content: str, body: str) -> str:
    """The hash of a register row's stored text: its JSON record and its plain text."""
    return digest(json.dumps([content, body], ensure_ascii=False))


def of_row(row: Letter) -> str:
    return text_hash(str(row.content or ""), str(row.body or ""))


def changed(letter_id: int, seq: int, reference: str = "") -> str:
    """What `audit verify` and the readers say of a text that is not the one issued."""
    of = f" of {reference}" if reference else ""
    return (f"the register's stored text of letter {letter_id}{of} is not the text entry "
            f"{seq} issued (its hash differs): it was changed outside the app")


def unvouched(letter_id: int) -> str:
    return (f"letter {letter_id} was issued before the audit trail kept a hash of a letter's "
            "text, so its stored text cannot be vouched for; the signed PDF is the record "
            f"(`crm-tui letters export --letter {letter_id}` writes it, checked byte for byte)")


def vouch(row: Letter) -> str:
    """'' if the trail vouches for an issued letter's stored text (or the row is a draft,
    whose text is only prepared); a note if the letter was issued before entries held the
    text's hash. Raises RequirementMissing, in one sentence, if the text is not the text
    issued, or if no sound entry issued the letter."""
    if row.status != ISSUED:
        return ""
    found = audit_records.issuing_payload(int(row.id), str(row.case.reference))
    if found is None:
        raise RequirementMissing(
            f"letter {row.id} is in the register, but no sound entry in the audit trail "
            "issued it, so its stored text cannot be shown as issued: run `crm-tui audit "
            "verify`")
    seq, payload = found
    kept = payload.get(KEY)
    if not isinstance(kept, str):
        return unvouched(int(row.id))
    if kept != of_row(row):
        raise RequirementMissing(
            f"{changed(int(row.id), seq)}, and is not shown or sent; the signed PDF is the "
            f"record (`crm-tui letters export --letter {row.id}`); run `crm-tui audit verify`")
    return ""


def require_vouched(row: Letter, made: str) -> None:
    """For text that goes out (the accessible copy, a re-sent copy): the trail must vouch
    for it; a letter issued before it could is refused, saying why. `made`: what was not
    made of it, for the message ("no accessible copy was written")."""
    note = vouch(row)
    if note:
        raise RequirementMissing(f"{note}: {made}")
