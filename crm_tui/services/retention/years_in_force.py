"""The retention years in force, recorded in the audit trail as a retention step uses them.

`retention_years` is configuration, kept outside the database; a destruction's entry records
the years it was made under, and `audit verify` judges it by them. Unchecked, a destruction
forged into the trail could claim fewer years than were in force (found in review, v15c F0).
So, before a destruction or a recalculation of a destruction date, the years in force are
recorded in an entry about no case (never erased) whenever they differ from the latest such
entry: `audit verify` holds every later destruction and recalculation to the latest one
(audit_destructions.YearsInForce). A change of the setting shows in the trail, by whom it was
first used and when."""

from __future__ import annotations

import json

from crm_tui.db.models import AuditEntry
from crm_tui.domain.roles import Actor
from crm_tui.services.core import audit, settings
from crm_tui.services.core.audit_destructions import IN_FORCE, YEARS_KEY, recorded_years


def recorded() -> int | None:
    """The retention years the latest entry recording them says were in force, if any."""
    row = (AuditEntry.select(AuditEntry.payload)
           .where((AuditEntry.action == IN_FORCE) & ~AuditEntry.erased)
           .order_by(AuditEntry.seq.desc()).first())
    if row is None:
        return None
    try:
        payload = json.loads(row.payload or "{}")
    except ValueError:
        return None
    return recorded_years(payload) if isinstance(payload, dict) else None


def in_force(actor: Actor) -> int:
    """The retention years configured now, recorded first if the trail's latest record of
    them differs. Call inside the step's transaction, before its own entry."""
    years = settings.current().retention_years
    before = recorded()
    if before != years:
        was = f" (was {before} years)" if before is not None else ""
        audit.record(actor, IN_FORCE, reason=f"Retention period in force: {years} years{was}",
                     payload={YEARS_KEY: years, "before": before})
    return years
