"""The screening queue kept in step with contact compliance: a contact that breaches a
restriction which files it without reply is queued to be read (domain.screening); a correction
that shows it did not takes it out again, unless it has been read already, whose record
stays."""

from __future__ import annotations

from crm_tui import clock
from crm_tui.db.models import Case, ContactLogEntry, ScreeningItem
from crm_tui.domain.compliance import Verdict

QUEUED, WITHDRAWN = "queued", "withdrawn"


def sync(case: Case, contact: ContactLogEntry, verdict: Verdict,
         item: ScreeningItem | None) -> str | None:
    """Queue, update or withdraw the contact's item (`item`, if it has one) after its verdict;
    call inside the service's transaction. Returns QUEUED, WITHDRAWN or None (nothing changed
    in the queue's membership)."""
    screened = [b for b in verdict.breaches if b.screened]
    if not screened:
        if item is not None and not item.outcome:
            item.delete_instance()
            return WITHDRAWN
        return None
    reasons = "\n".join(f"{b.kind.label}: {b.reason}" for b in screened)
    advice = "\n".join(b.what_to_do() for b in screened)
    if item is None:
        ScreeningItem.create(contact=contact.id, case=case, arrived_at=contact.at,
                             reasons=reasons, advice=advice, queued_at=clock.now())
        return QUEUED
    if not item.outcome:  # corrected while unread: what it is queued for follows the contact
        ScreeningItem.update(arrived_at=contact.at, reasons=reasons, advice=advice).where(
            ScreeningItem.id == item.id).execute()
    return None
