"""The customer of an archived file as they were when it was archived.

A person has one customer record, shared by all their cases: a new case for them (a new
referral) may correct their address. An archived file is read-only: it keeps showing the
details it had when it was archived, the address its letters went to (found when tried: a new
case's address change showed on the archived file). The archive's audit entry keeps them; a
destruction erases that entry's details with the rest of the file."""

from __future__ import annotations

import json
from typing import Any

from crm_tui.db.models import AuditEntry, Case, Customer
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.states import CaseState

# The customer's fields a file shows, kept as they were when it was archived.
FIELDS = ("name", "address", "postcode", "email", "telephone", "personal_circumstances",
          "reasonable_adjustments", "genuine_ongoing_problems", "contact_needs",
          "form_of_address", "language", "large_print_pt")


def snapshot(customer: Customer | None) -> dict[str, Any]:
    """The customer's details now, for the archive's audit entry."""
    return {} if customer is None else {name: getattr(customer, name) for name in FIELDS}


def shown(case: Case) -> Customer | None:
    """The customer as the file shows them: for an archived file, the record with the
    details it had when it was archived (in memory only, never saved); else the record as
    it is. A file archived before the details were kept shows the record as it is."""
    customer: Customer | None = Customer.get_or_none(Customer.id == case.customer_id)
    if customer is None or case.state != CaseState.ARCHIVED.value:
        return customer
    payload = (AuditEntry.select(AuditEntry.payload)
               .where((AuditEntry.case_reference == case.reference)
                      & (AuditEntry.action == Action.ARCHIVE.value)
                      & (AuditEntry.erased == False))  # noqa: E712 (a query, not a test)
               .order_by(AuditEntry.seq.desc()).scalar())
    try:
        kept = json.loads(payload or "{}").get("customer")
    except (ValueError, AttributeError):
        return customer
    if isinstance(kept, dict):
        for name in FIELDS:
            if name in kept:
                setattr(customer, name, kept[name])
    return customer
