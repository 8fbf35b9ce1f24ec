"""A register row held to the audit entries about its letter, on every field they record.

The entry that issued a letter records its kind, the decision or step it answers (source),
the date it bears, the last day to appeal (which sets the appeal window and holds the file
from destruction), and who signed it (the entry's actor); a re-sent copy's entry records
the letter it copies. The entry that recorded its posting records the day, the class, the
recorded-delivery number and who posted it. A row edited in the database on any of these
(a decision letter made a lifting letter, the appeal date moved, a posted letter made
unposted) no longer passes `audit verify`, and `letters verify` does not call it genuine.

An issuing entry written before it recorded a field is not held to that field.
"""

from __future__ import annotations

import json
from typing import Any

from crm_tui.db.models import AuditEntry, Letter, User

POSTING = "record_posting"
RESEND = "resend_letter"
# Fields an issue_letter entry records, as (payload key, the row's column, in words).
_ISSUED = (("kind", "kind", "kind"), ("source", "source", "source"),
           ("written_on", "written_on", "date"), ("appeal_by", "appeal_by", "appeal-by date"))


def _said(value: Any) -> str:
    return "" if value is None else str(value)


def _login(user_id: int | None) -> str:
    if user_id is None:
        return ""
    return str(User.select(User.login).where(User.id == user_id).scalar() or "")


def issuing_differs(letter: Letter, action: str, actor: str,
                    payload: dict[str, Any]) -> str:
    """'' if the row is as the entry that issued it recorded it, else the field (in words)
    that differs."""
    if _login(letter.signed_by_id) != actor:
        return "signer"
    if action == RESEND:
        original = payload.get("duplicate_of")
        if letter.duplicate_of_id != original:
            return "copy-of mark"
        # A copy bears what its original bears (the original is held to its own entry).
        first = Letter.get_or_none(Letter.id == original) if isinstance(original, int) \
            else None
        if first is None:
            return "copy-of mark"
        for _key, column, words in _ISSUED:
            if column == "written_on" and first.written_on is None:
                continue
            if _said(getattr(letter, column)) != _said(getattr(first, column)):
                return words
        return ""
    if letter.duplicate_of_id is not None:
        return "copy-of mark"
    for key, column, words in _ISSUED:
        if key in payload and _said(getattr(letter, column)) != _said(payload[key]):
            return words
    return ""


def posting_differs(letter: Letter, posting: tuple[int, str, dict[str, Any]] | None) -> str:
    """'' if the row's posting is as the latest entry recording its posting left it (or, with
    none, the row records no posting), else the field (in words) that differs."""
    if posting is None:
        if letter.posted_on is not None or letter.posted_at is not None \
                or letter.post_class or letter.tracking or letter.posted_by_id is not None:
            return "posting (no entry recorded one)"
        return ""
    _seq, actor, payload = posting
    if _said(letter.posted_on) != _said(payload.get("posted_on")) \
            or letter.posted_at is None:
        return "posting date"
    if _said(letter.post_class) != _said(payload.get("class")):
        return "post class"
    if _said(letter.tracking) != _said(payload.get("tracking")):
        return "recorded-delivery number"
    if _login(letter.posted_by_id) != actor:
        return "poster"
    return ""


def register_changed(number: int, reference: str, seq: int, what: str) -> str:
    return (f"letter {number} of {reference} is not as entry {seq} recorded it (its {what} "
            "differs): the register was changed")


def posting_entry(letter_id: int, reference: str) -> tuple[int, str, dict[str, Any]] | None:
    """The latest entry recording the posting of this letter, as (number, actor, payload)."""
    found = None
    for row in (AuditEntry.select(AuditEntry.seq, AuditEntry.actor_login, AuditEntry.payload)
                .where((AuditEntry.action == POSTING) & (AuditEntry.case_reference == reference)
                       & ~AuditEntry.erased
                       & AuditEntry.payload.contains(f'"letter": {int(letter_id)}'))
                .order_by(AuditEntry.seq)):
        try:
            payload = json.loads(row.payload)
        except ValueError:
            continue
        if isinstance(payload, dict) and payload.get("letter") == int(letter_id):
            found = (int(row.seq), str(row.actor_login), payload)
    return found
