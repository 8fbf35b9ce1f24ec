"""What the case file says about posting: an entry for each letter posted, and the appeal
deadline beside the posting date of the letter it comes from (the customer's time to appeal
runs from a letter they can only have had once it was posted)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm_tui import clock
from crm_tui.db.models import AuditEntry, Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.posting import PostClass
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.posting_dates import to_write_again, withdrawn

ISSUED = "issued"


def day(value: date) -> str:
    """'5 Jan 2027': the day without a leading zero."""
    return in_prose(value)


@dataclass(frozen=True)
class PostingEntry:
    at: datetime
    title: str
    detail: str
    seq: int = 0  # the audit entry that recorded the posting (found when tried: none shown)


def posted_line(posted_on: date, post_class: str, tracking: str) -> str:
    how = PostClass(post_class).label if post_class else ""
    extra = ", ".join(part for part in (how, tracking) if part)
    return f"Letter posted on {day(posted_on)}" + (f" ({extra})" if extra else "")


def _postings_recorded(case_id: int) -> dict[int, int]:
    """For each letter of the case, the audit entry that last recorded its posting."""
    found: dict[int, int] = {}
    reference = Case.select(Case.reference).where(Case.id == case_id).scalar()
    for entry in (AuditEntry.select(AuditEntry.seq, AuditEntry.payload)
                  .where((AuditEntry.case_reference == reference)
                         & (AuditEntry.action == "record_posting"))
                  .order_by(AuditEntry.seq)):
        try:
            found[int(json.loads(entry.payload or "{}").get("letter", 0))] = int(entry.seq)
        except (ValueError, TypeError, AttributeError):
            continue
    return found


def posting_entries(case_id: int) -> list[PostingEntry]:
    """One entry for each letter of the case recorded as posted."""
    entries = []
    recorded = _postings_recorded(case_id)
    for row in Letter.select().where((Letter.case == case_id)
                                     & Letter.posted_on.is_null(False)):
        posted_on: date = row.posted_on  # type: ignore[assignment]  # not null, as selected
        at = row.posted_at
        if at is None or at.date() != posted_on:
            # Recorded on a later day: the entry stands on the day of posting, after the issue.
            at = max(datetime.combine(posted_on, datetime.min.time()),
                     row.signed_at or row.created_at)
        copy = (f" — copy of letter {row.duplicate_of_id}"
                if row.duplicate_of_id is not None else "")
        detail = "\n".join(f"{label}: {value}" for label, value in (
            ("Letter", f"{LetterKind(row.kind).label} (register number {row.id}){copy}"),
            ("Posted on", day(posted_on)),
            ("Class", PostClass(row.post_class).label if row.post_class else ""),
            ("Recorded-delivery number", row.tracking),
            ("Print pack", row.print_pack),
            ("Recorded by", f"{row.posted_by.name}, {in_prose(row.posted_at)} {row.posted_at:%H:%M}"
             if row.posted_by is not None and row.posted_at is not None else ""),
        ) if value)
        entries.append(PostingEntry(at, posted_line(posted_on, row.post_class,
                                                    row.tracking), detail,
                                    recorded.get(int(row.id), 0)))
    return entries


@dataclass(frozen=True)
class AppealDeadline:
    appeal_by: date
    letter_id: int
    kind: LetterKind
    posted_on: date | None
    copy_posted_on: date | None  # a duplicate re-sent, posted

    def line(self) -> str:
        """'Appeal by 5 Jan 2027 — letter posted 3 Dec 2026', or '— letter not yet posted'."""
        posted = (f"letter posted {day(self.posted_on)}" if self.posted_on is not None
                  else "letter not yet posted")
        if self.copy_posted_on is not None:
            posted += f"; copy posted {day(self.copy_posted_on)}"
        return f"Appeal by {day(self.appeal_by)} — {posted}"


def appeal_deadline(case_id: int) -> AppealDeadline | None:
    """The appeal deadline of the case's latest issued letter that gives one, with the date
    that letter (and any copy of it re-sent) was posted. Not of a letter that will never go
    (superseded, or owed again: posting_dates.withdrawn, to_write_again): the date of the
    letter that goes, or none until it is signed (issue 15 AG3: the case panel said "Appeal
    by …" from a letter superseded when the customer's address changed)."""
    skipped: set[str] = set()
    row: Any = None  # a Letter
    for found in (Letter.select().where((Letter.case == case_id) & (Letter.status == ISSUED)
                                        & Letter.appeal_by.is_null(False)
                                        & Letter.duplicate_of.is_null())
                  .order_by(Letter.signed_at.desc(), Letter.id.desc())):
        if found.posted_on is None and (withdrawn(found)
                                        or to_write_again(found, clock.today())):
            skipped.add(str(found.source))
            continue
        # An earlier event's letter is not the one the customer is owed: none yet.
        row = None if skipped - {str(found.source)} else found
        break
    if row is None:
        return None
    copy = (Letter.select().where((Letter.duplicate_of == row.id)
                                  & Letter.posted_on.is_null(False))
            .order_by(Letter.posted_on.desc()).first())
    return AppealDeadline(row.appeal_by, int(row.id), LetterKind(row.kind), row.posted_on,
                          copy.posted_on if copy is not None else None)
