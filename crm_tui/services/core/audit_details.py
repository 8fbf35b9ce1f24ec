"""What an audit entry recorded beyond its reason, in words the audit trail shows under the
table: a change of the review period is a decision whose ground (one of the policy's four
reasons) and note must be traceable, not only its outcome's reason."""

from __future__ import annotations

import json
from contextlib import suppress
from datetime import date

from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.typed_dates import in_prose


def details(action: str, payload: str, whole: bool = True) -> tuple[str, ...]:
    """The lines the entry's payload adds to its reason (none for most entries, and none
    once the payload is erased at the end of retention). Not `whole` (to a service area
    manager): another area's customer is not named."""
    if action not in (Action.CHANGE_REVIEW_PERIOD.value, Action.RECORD_REFERRAL.value):
        return ()
    try:
        found = json.loads(payload or "{}")
    except ValueError:
        return ()
    if not isinstance(found, dict):
        return ()
    if action == Action.RECORD_REFERRAL.value:
        return _customer_match(found.get("customer_match"), whole)
    lines = []
    with suppress(KeyError, ValueError):
        lines.append(f"Next review: {in_prose(date.fromisoformat(str(found['next_review'])))}")
    with suppress(ValueError):
        lines.append("Policy reason: "
                     f"{ReviewPeriodReason(str(found.get('period_reason'))).label}")
    note = str(found.get("period_note") or "").strip()
    if note:
        lines.append(f"Note: {note}")
    return tuple(lines)


def _customer_match(match: object, whole: bool = True) -> tuple[str, ...]:
    """What the person recording a referral said of customers on record likely the same
    person (services/intake/customer_matches.py)."""
    if not isinstance(match, dict):
        return ()
    likely = ", ".join(str(r) for r in match.get("likely") or [])
    others = ", ".join(str(r) for r in match.get("other_areas_only") or [])
    # A manager's match of another area's customer, theirs not to link (v16h H0): told to
    # the team, who may link it.
    if others and match.get("said") != "the same person" and not whole:
        # To the manager, as the which-person question told them: no reference.
        return ("Customer: recorded as a new person; shown as likely the same: a customer "
                "with cases only in other service areas, for the Complaints Resolution Team "
                "to link if it is",)
    if others and match.get("said") != "the same person":
        return (f"Customer: recorded as a new person; shown as likely the same: {likely}, "
                f"of which {others} has cases only in other service areas than the referring "
                "manager's, for the Complaints Resolution Team to link if it is",)
    if match.get("said") == "the same person":
        return (f"Customer: said to be the same person as {match.get('customer')}"
                + (f" (shown as likely: {likely})" if likely else ""),)
    return (f"Customer: said to be a different person from {likely}, shown as likely the "
            "same",) if likely else ()
