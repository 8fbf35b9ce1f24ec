"""A drafted restriction's own words, as one fingerprint: its kind, terms, reasons and the
behaviours it answers. A draft's version rises for a change to these and for a change to the
evidence under it; comparing fingerprints tells the two apart, so that a view or a reading
out of date says which changed (t15d F1: "the restrictions changed" when only a contact under
one was sorted under its matter)."""

from __future__ import annotations

import hashlib
import json

from crm_tui.db.models import Case, Restriction

_OWN = ("kind", "parameters", "reason", "customer_reason", "evidence_note", "proportionality",
        "less_restrictive_considered", "still_reachable", "equality_note", "behaviours")


def wording(row: Restriction) -> str:
    """The fingerprint of the draft's own words (never of the evidence under it)."""
    own = {name: str(getattr(row, name) or "") for name in _OWN}
    own["parameters"] = json.dumps(json.loads(row.parameters or "{}"), sort_keys=True)
    digest = hashlib.sha256(json.dumps(own, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:16]


def on_case(case: Case) -> dict[int, str]:
    """The fingerprint of each draft on the case now: id -> wording."""
    return {int(r.id): wording(r) for r in Restriction.select().where(
        (Restriction.case == case) & (Restriction.status == "draft"))}
