"""The retention years in force, recorded in the audit trail as a retention step uses them.

`retention_years` is configuration, kept outside the database; a destruction's entry records
the years it was made under, and `audit verify` judges it by them. Unchecked, a destruction
forged into the trail could claim fewer years than were in force (found in review, v15c F0).
So the years in force are recorded in an entry about no case (never erased) whenever they
differ from the latest such entry: before a destruction or a recalculation of a destruction
date, and as the team's app starts (its housekeeping, `crm-tui expire` too) and as
`retention run` starts (v16g: an edit of the years otherwise left no mark until the next
destruction). `audit verify` holds every later destruction and recalculation to the latest
one (audit_destructions.YearsInForce). A change of the setting shows in the trail, by whom it
was first used and when, and the Retention area says where (`as_recorded`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from crm_tui.db.models import AuditEntry, User
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, settings
from crm_tui.services.core.audit_destructions import IN_FORCE, YEARS_KEY, recorded_years
from crm_tui.services.core.database import atomic


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


@dataclass(frozen=True)
class YearsRecorded:
    """The retention years configured now and the trail's latest record of them, for the
    Retention area to say."""

    configured: int
    recorded: int | None
    seq: int = 0
    by: str = ""
    on: str = ""  # the entry's day, in prose

    def said(self) -> str:
        """Where the trail records them, or that it does not yet."""
        if self.recorded is None:
            return ("not yet recorded in the audit trail: the next start of the team's app or "
                    "retention step records them")
        who = f"by {self.by} on {self.on}"
        if self.recorded == self.configured:
            return f"as entry {self.seq} of the audit trail records, {who}"
        return (f"changed in the configuration: the audit trail records {self.recorded} years "
                f"(entry {self.seq}, {who}) until the next start of the team's app or "
                f"retention step records {self.configured}")


def as_recorded() -> YearsRecorded:
    """The retention years configured now, and the trail's latest record of them."""
    configured = settings.current().retention_years
    row = (AuditEntry.select(AuditEntry.seq, AuditEntry.at, AuditEntry.actor_login,
                             AuditEntry.payload)
           .where((AuditEntry.action == IN_FORCE) & ~AuditEntry.erased)
           .order_by(AuditEntry.seq.desc()).first())
    if row is None:
        return YearsRecorded(configured, None)
    user = User.get_or_none(User.login == row.actor_login)
    try:
        day = in_prose(datetime.fromisoformat(str(row.at)).date())
    except ValueError:
        day = str(row.at)
    return YearsRecorded(configured, recorded(), int(row.seq),
                         str(user.name) if user is not None else str(row.actor_login), day)


def recorded_said() -> str:
    """The latest entry's words ("Retention period in force: 7 years (was 6 years)")."""
    row = (AuditEntry.select(AuditEntry.reason)
           .where((AuditEntry.action == IN_FORCE) & ~AuditEntry.erased)
           .order_by(AuditEntry.seq.desc()).first())
    return str(row.reason) if row is not None else ""


def record_if_changed(actor: Actor) -> bool:
    """Record the years configured now if the trail's latest record differs (at the start of
    the team's app, and of `retention run`): whether an entry was written."""
    if recorded() == settings.current().retention_years:
        return False  # as on nearly every start: nothing to write, no wait for the lock
    with atomic():
        before = recorded()  # again, in the write transaction: another may have recorded
        in_force(actor)
        return before != settings.current().retention_years
